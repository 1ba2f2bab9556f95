#include "sim/mapping/row_switch_delay.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <vector>

namespace pjsim {

RowSwitchDelay::RowSwitchDelay(const ArchConfig& arch) : arch_(arch) {
  channels_ = std::max<std::uint64_t>(1, arch.dram.channels.size());
  interleave_ = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(arch.dram.interleave_bytes));
  row_bytes_ = std::max(1.0, arch.dram.row_bytes);
  channel_bytes_per_cycle_ =
      arch.dram.SustainedBytesPerCycle(arch.clock_hz) / static_cast<double>(channels_);
  const auto& params = arch.dram.params;
  if (params != nullptr) switch_ = params->RowSwitch(arch.clock_hz);
  enabled_ = (switch_.after_data > 0 || switch_.row_cycle > 0) && channel_bytes_per_cycle_ > 0;
  round_trip_ =
      (params ? params->IdleReadLatencyCycles(arch.clock_hz) : 0) +
      static_cast<double>(arch.mesh_width + arch.mesh_height) * arch.noc.hop_latency_cycles;
}

double RowSwitchDelay::Cycles(const LayerPlan& plan,
                              const std::function<double(const TileTask&)>& compute) const {
  if (!enabled_) return 0;
  const ModelParams& params = *arch_.dram.params;
  std::int64_t steps = 0;
  for (const TaskQueue& q : plan.per_tile)
    steps = std::max(steps, static_cast<std::int64_t>(q.size()));
  const std::int64_t walked = std::min(steps, kMaxSteps);
  constexpr double kLongAgo = -std::numeric_limits<double>::infinity();
  struct Bank {
    std::uint64_t row = 0;
    double opened = kLongAgo;  // the first data of its row (untouched: its row is any)
    double free = kLongAgo;    // its last data
  };
  struct Channel {
    std::map<std::uint64_t, Bank> banks;
    double at = 0;     // its pieces' end with the switches
    double bytes = 0;  // of this step
  };
  std::vector<Channel> channels(channels_);
  // Channel c's piece of `bytes` from channel-local `local`.
  const auto serve = [&](Channel& c, std::uint64_t local, std::int64_t bytes) {
    const DramRow r = params.RowOf(local);
    Bank& bank = c.banks.try_emplace(r.bank, Bank{r.row}).first->second;
    double start = c.at;
    if (bank.row != r.row) {
      start = std::max({start, bank.free + switch_.after_data, bank.opened + switch_.row_cycle});
      bank.row = r.row;
      bank.opened = start;
    }
    c.at = start + static_cast<double>(bytes) / channel_bytes_per_cycle_;
    c.bytes += static_cast<double>(bytes);
    // A longer piece goes on to other banks: this one is done after at most a row.
    bank.free = start + std::min(static_cast<double>(bytes), row_bytes_) / channel_bytes_per_cycle_;
  };
  // A transfer cut by the interleave: each channel's chunks are contiguous in its own addresses,
  // one transaction (the NoC coalesces them).
  const auto load = [&](const Transfer& t) {
    const std::uint64_t end = t.address + static_cast<std::uint64_t>(t.bytes);
    const std::uint64_t first = t.address / interleave_;
    const std::uint64_t last = (end - 1) / interleave_;
    for (std::uint64_t chunk = first; chunk <= std::min(last, first + channels_ - 1); ++chunk) {
      std::int64_t bytes = 0;
      for (std::uint64_t k = chunk; k <= last; k += channels_) {
        const std::uint64_t from = std::max(t.address, k * interleave_);
        const std::uint64_t to = std::min(end, (k + 1) * interleave_);
        bytes += static_cast<std::int64_t>(to - from);
      }
      const std::uint64_t from = std::max(t.address, chunk * interleave_);
      const std::uint64_t local =
          from / (interleave_ * channels_) * interleave_ + from % interleave_;
      serve(channels[chunk % channels_], local, bytes);
    }
  };
  // Each channel's delay so far. Double-buffered tiles queue their next task's loads while the
  // current ones are served, so a channel goes on with its own queue and a switch on one channel
  // does not delay another's: the layer waits for the channel with the most. Single-buffered
  // tiles wait for every channel before they load again: the slowest one's delay is everyone's.
  std::vector<double> delayed(channels_, 0.0);
  std::vector<double> before(channels_), beyond(channels_);
  std::vector<const TileTask*> tasks;
  for (std::int64_t step = 0; step < walked; ++step) {
    for (size_t c = 0; c < channels_; ++c) {
      before[c] = channels[c].at;
      channels[c].bytes = 0;
    }
    tasks.clear();
    bool wait_for_all = !arch_.mapping.double_buffering;
    std::set<std::int32_t> shared;  // a multicast share is read once, for all its receivers
    for (const TaskQueue& q : plan.per_tile) {
      if (static_cast<std::int64_t>(q.size()) <= step) continue;
      const TileTask& task = q[static_cast<size_t>(step)];
      tasks.push_back(&task);
      wait_for_all = wait_for_all || task.single_buffered;
      for (const Transfer& t : task.Loads()) {
        if (t.bytes <= 0 || (t.share >= 0 && !shared.insert(t.share).second)) continue;
        load(t);
      }
    }
    double without = 0, most_beyond = 0;
    for (size_t c = 0; c < channels_; ++c) {
      const double data = channels[c].bytes / channel_bytes_per_cycle_;
      without = std::max(without, data);
      // The channel's time beyond its data, this step.
      beyond[c] = channels[c].at - before[c] - data;
      most_beyond = std::max(most_beyond, beyond[c]);
    }
    if (most_beyond > 0) {
      // Compute longer than the step's loads (their round trip and transfer) hides that much.
      double longest = 0;
      for (const TileTask* task : tasks) longest = std::max(longest, compute(*task));
      const double hidden = std::max(0.0, longest - round_trip_ - without);
      for (size_t c = 0; c < channels_; ++c) delayed[c] += std::max(0.0, beyond[c] - hidden);
    }
    if (wait_for_all) {
      double end = 0, most = 0;
      for (size_t c = 0; c < channels_; ++c) {
        end = std::max(end, channels[c].at);
        most = std::max(most, delayed[c]);
      }
      for (size_t c = 0; c < channels_; ++c) {
        channels[c].at = end;
        delayed[c] = most;
      }
    }
  }
  const double delay = *std::max_element(delayed.begin(), delayed.end());
  return walked > 0 ? delay * static_cast<double>(steps) / static_cast<double>(walked) : 0;
}

}  // namespace pjsim
