#include "sim/mapping/row_switch_delay.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

namespace pjsim {

RowSwitchDelay::RowSwitchDelay(const ArchConfig& arch) : arch_(arch) {
  channels_ = std::max<std::uint64_t>(1, arch.dram.channels.size());
  interleave_ = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(arch.dram.interleave_bytes));
  row_bytes_ = std::max(1.0, arch.dram.row_bytes);
  channel_bytes_per_cycle_ =
      arch.dram.SustainedBytesPerCycle(arch.clock_hz) / static_cast<double>(channels_);
  const auto& params = arch.dram.params;
  if (params != nullptr) {
    switch_ = params->RowSwitch(arch.clock_hz);
    turnaround_ = params->BusTurnaroundCycles(arch.clock_hz);
  }
  enabled_ = (switch_.after_data > 0 || switch_.row_cycle > 0 || turnaround_ > 0) &&
             channel_bytes_per_cycle_ > 0;
  round_trip_ =
      (params ? params->IdleReadLatencyCycles(arch.clock_hz) : 0) +
      static_cast<double>(arch.mesh_width + arch.mesh_height) * arch.noc.hop_latency_cycles;
}

namespace {

constexpr double kLongAgo = -std::numeric_limits<double>::infinity();

// The channels as the replay sees them: each serves its pieces whole, in the order they reach
// it, at its share of the sustained rate; with `switches`, a piece to another row of a bank
// waits for the bank (ModelParams::RowSwitch), and a store's piece after a load's (or back)
// for the bus to turn (ModelParams::BusTurnaroundCycles).
class Channels {
 public:
  Channels(const ModelParams& params, const DramRowSwitch& s, double turnaround,
           std::uint64_t channels, std::uint64_t interleave, double bytes_per_cycle,
           double row_bytes, double round_trip, bool switches)
      : params_(params),
        switch_(s),
        turnaround_(turnaround),
        interleave_(interleave),
        bytes_per_cycle_(bytes_per_cycle),
        row_bytes_(row_bytes),
        round_trip_(round_trip),
        switches_(switches),
        channels_(channels) {}

  // Reads (or, `write`, stores) `t`, issued at `issued`; returns when its last piece's data has
  // come (or gone). A transfer cut by the interleave: each channel's chunks are contiguous in its
  // own addresses, one transaction (the NoC coalesces them).
  double Move(const Transfer& t, double issued, bool write) {
    const std::uint64_t n = channels_.size();
    const std::uint64_t end = t.address + static_cast<std::uint64_t>(t.bytes);
    const std::uint64_t first = t.address / interleave_;
    const std::uint64_t last = (end - 1) / interleave_;
    double done = issued;
    for (std::uint64_t chunk = first; chunk <= std::min(last, first + n - 1); ++chunk) {
      std::int64_t bytes = 0;
      for (std::uint64_t k = chunk; k <= last; k += n) {
        const std::uint64_t from = std::max(t.address, k * interleave_);
        const std::uint64_t to = std::min(end, (k + 1) * interleave_);
        bytes += static_cast<std::int64_t>(to - from);
      }
      const std::uint64_t from = std::max(t.address, chunk * interleave_);
      const std::uint64_t local = from / (interleave_ * n) * interleave_ + from % interleave_;
      done = std::max(done, Serve(channels_[chunk % n], local, bytes, issued, write));
    }
    return done;
  }

 private:
  struct Bank {
    bool touched = false;  // untouched: its row is any
    std::uint64_t row = 0;
    double opened = kLongAgo;  // the first data of its row (untouched: its row is any)
    double free = kLongAgo;    // its last data
  };
  struct Channel {
    std::vector<Bank> banks;  // by DramRow::bank (a few dozen per channel)
    double at = kLongAgo;     // its last piece's end
    bool writing = false;     // its last piece was a write
  };

  // Channel c's piece of `bytes` from channel-local `local`, issued at `issued`: its data starts
  // no sooner than an idle round trip after the issue (as the estimate charges every load) nor
  // before the channel's previous piece has ended; a switch falling in the channel's idle time
  // costs nothing beyond that.
  double Serve(Channel& c, std::uint64_t local, std::int64_t bytes, double issued, bool write) {
    const DramRow r = params_.RowOf(local);
    if (r.bank >= c.banks.size()) c.banks.resize(r.bank + 1);
    Bank& bank = c.banks[r.bank];
    if (!bank.touched) bank = {true, r.row};
    const double turn = switches_ && write != c.writing ? turnaround_ : 0;
    double start = std::max(c.at + turn, issued + round_trip_);
    c.writing = write;
    if (bank.row != r.row) {
      if (switches_)
        start = std::max({start, bank.free + switch_.after_data, bank.opened + switch_.row_cycle});
      bank.row = r.row;
      bank.opened = start;
    }
    c.at = start + static_cast<double>(bytes) / bytes_per_cycle_;
    // A longer piece goes on to other banks: this one is done after at most a row.
    bank.free = start + std::min(static_cast<double>(bytes), row_bytes_) / bytes_per_cycle_;
    return c.at;
  }

  const ModelParams& params_;
  DramRowSwitch switch_;
  double turnaround_;
  std::uint64_t interleave_;
  double bytes_per_cycle_, row_bytes_, round_trip_;
  bool switches_;
  std::vector<Channel> channels_;
};

}  // namespace

double RowSwitchDelay::Finish(const LayerPlan& plan,
                              const std::function<double(const TileTask&)>& compute,
                              std::int64_t steps, bool switches) const {
  Channels channels(*arch_.dram.params, switch_, turnaround_, channels_, interleave_,
                    channel_bytes_per_cycle_, row_bytes_, round_trip_, switches);
  const int slots = arch_.mapping.double_buffering ? 2 : 1;
  const size_t tiles = plan.per_tile.size();
  struct Tile {
    std::int64_t step = 0;         // the task whose loads are next
    double loaded = 0;             // when the last task's loads had all come
    std::vector<double> computed;  // each walked task's compute end
    int awaited = 0;               // its task's shares not read yet
    // The storer: the stores of finished blocks not yet issued (compute end, task), one at a
    // time, each after the one before has been written.
    std::deque<std::pair<double, const TileTask*>> stores;
    double stored = 0;     // the storer's last store's end
    bool storing = false;  // a store event of this tile is queued
  };
  std::vector<Tile> state(tiles);
  const auto task_of = [&](size_t t, std::int64_t step) -> const TileTask& {
    return plan.per_tile[t][static_cast<size_t>(step)];
  };
  const auto walked = [&](size_t t) {
    return std::min(steps, static_cast<std::int64_t>(plan.per_tile[t].size()));
  };
  // Issue events, earliest first. At one time, where a transaction reaches its channel as its
  // tile issues it (ModelParams::ServedAsIssued: `simple`) the last tile first: the kernel runs
  // the loaders woken in one delta cycle last-woken first (traced on `default`: at a layer's
  // start the channels serve tile 15's loads, then tile 14's, ...); through port threads
  // (`jedec`) in tile order. Keyed by that order.
  const bool last_first = arch_.dram.params->ServedAsIssued();
  const auto order = [&](size_t t) { return last_first ? tiles - 1 - t : t; };
  using Event = std::pair<double, size_t>;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> issues, store_issues;
  // A share is read once, when its last receiver issues it (LayerPlan::shares).
  struct Share {
    size_t joined = 0;
    double done = 0;
    std::vector<size_t> waiting;
  };
  std::vector<Share> shares(plan.shares.size());
  double end = 0;
  // Tile t's current task has all its loads at `loaded`: it computes after its previous task,
  // and its loader takes a slot for the next one once a task before it has freed one.
  const auto loads_done = [&](size_t t, double loaded) {
    Tile& s = state[t];
    const std::int64_t i = s.step;
    const double previous = i > 0 ? s.computed[static_cast<size_t>(i - 1)] : 0;
    const TileTask& done = task_of(t, i);
    s.computed.push_back(std::max(loaded, previous) + compute(done));
    end = std::max(end, s.computed.back());
    if (done.last_k && done.store.bytes > 0) {
      s.stores.emplace_back(s.computed.back(), &done);
      if (!s.storing) {
        store_issues.emplace(std::max(s.computed.back(), s.stored), order(t));
        s.storing = true;
      }
    }
    s.loaded = loaded;
    s.step = i + 1;
    if (s.step >= walked(t)) return;
    const TileTask& next = task_of(t, s.step);
    // The slot the next task takes: freed by the task `slots` before it (every slot: the one
    // just before it), as BufferSlots gives them back after each compute.
    const bool all = slots == 1 || next.single_buffered || task_of(t, i).single_buffered;
    const std::int64_t frees = all ? s.step - 1 : s.step - slots;
    const double free = frees >= 0 ? s.computed[static_cast<size_t>(frees)] : 0;
    issues.emplace(std::max(loaded, free), order(t));
  };
  const auto read_share = [&](Share& share, double at) {
    for (size_t t : share.waiting) {
      Tile& s = state[t];
      s.loaded = std::max(s.loaded, share.done);
      if (--s.awaited == 0) loads_done(t, std::max(s.loaded, at));
    }
    share.waiting.clear();
  };
  for (size_t t = 0; t < tiles; ++t) {
    if (walked(t) > 0) issues.emplace(0.0, order(t));
  }
  for (;;) {
    while (!issues.empty() || !store_issues.empty()) {
      // A store issued no later than the next loads goes first.
      if (!store_issues.empty() && (issues.empty() || store_issues.top() <= issues.top())) {
        const auto [at, key] = store_issues.top();
        store_issues.pop();
        Tile& s = state[order(key)];
        s.stored = channels.Move(s.stores.front().second->store, at, true);
        end = std::max(end, s.stored);
        s.stores.pop_front();
        s.storing = !s.stores.empty();
        if (s.storing) store_issues.emplace(std::max(s.stores.front().first, s.stored), key);
        continue;
      }
      const auto [at, key] = issues.top();
      issues.pop();
      const size_t t = order(key);  // its own inverse
      Tile& s = state[t];
      const TileTask& task = task_of(t, s.step);
      s.loaded = at;
      std::vector<Share*> ready;
      for (const Transfer& l : task.Loads()) {
        if (l.bytes <= 0) continue;
        if (l.share < 0) {
          s.loaded = std::max(s.loaded, channels.Move(l, at, false));
          continue;
        }
        Share& share = shares[static_cast<size_t>(l.share)];
        ++s.awaited;
        share.waiting.push_back(t);
        if (++share.joined == plan.shares[static_cast<size_t>(l.share)].size()) {
          share.done = channels.Move(l, at, false);
          ready.push_back(&share);
        }
      }
      if (s.awaited == 0) loads_done(t, s.loaded);
      for (Share* share : ready) read_share(*share, at);
    }
    // Shares some of whose receivers are past the walked steps: read when the last walked one
    // joined (their tiles wait for nothing else).
    Share* pending = nullptr;
    for (Share& share : shares) {
      if (!share.waiting.empty() && (pending == nullptr || share.joined > pending->joined))
        pending = &share;
    }
    if (pending == nullptr) break;
    double at = 0;
    for (size_t t : pending->waiting) at = std::max(at, state[t].loaded);
    pending->done = at + round_trip_;
    read_share(*pending, at);
  }
  return end;
}

double RowSwitchDelay::Cycles(const LayerPlan& plan,
                              const std::function<double(const TileTask&)>& compute) const {
  if (!enabled_) return 0;
  std::int64_t steps = 0;
  for (const TaskQueue& q : plan.per_tile)
    steps = std::max(steps, static_cast<std::int64_t>(q.size()));
  if (steps == 0) return 0;
  const auto delay = [&](std::int64_t walked) {
    return Finish(plan, compute, walked, true) - Finish(plan, compute, walked, false);
  };
  if (steps <= kMaxSteps) return std::max(0.0, delay(steps));
  // Longer plans: the delay of the first kMaxSteps steps, and what it grew by per step over the
  // second half of them for each step after. The switches of the layer's start (every tile's
  // first loads at once, a resident operand's load beside the first pieces of the other) are
  // paid once and do not recur: traced on a 512 x 4096 x 3584 layer on `default` (5,824 steps a
  // tile), 4,146 cycles by step 16 and not one more by step 1,024, where scaling the first 64
  // steps' delay by the plan's length charged 377 k (+19% of the layer).
  constexpr std::int64_t kHalf = kMaxSteps / 2;
  const double whole = delay(kMaxSteps);
  const double per_step = std::max(0.0, whole - delay(kHalf)) / static_cast<double>(kHalf);
  return std::max(0.0, whole) + per_step * static_cast<double>(steps - kMaxSteps);
}

}  // namespace pjsim
