// The `jedec` DRAM model: a JedecController per channel behind the DramModel interface. By
// default each transaction is one request run to completion at its arrival: the controller
// reorders among the bursts of a transaction, and refresh, power-down and bank state carry over
// between transactions. With `interleave_transactions`, transactions that overlap in time share
// the controller as the requests of several requesters share a real one: a transaction enters
// the queues at its arrival, a decision is taken only once simulated time has passed it (every
// request arriving before it is then known), so FR-FCFS interleaves the bursts of different
// requesters, and each initiator waits in b_transport until its own request is decided. The
// model prices DRAM energy itself, from the preset's IDD currents (models/memory/jedec_power.h):
// it re-points the platform's per-bit DRAM actions to read/write burst energy per bit and the
// per-channel background to the lowest background state, and charges activations, refreshes,
// I/O and the background above that floor as it goes.
#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <memory>
#include <numeric>
#include <queue>
#include <stdexcept>
#include <vector>

#include "models/memory/dram_model.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_power.h"
#include "sim/config/arch_config.h"
#include "sim/config/dram_model_registry.h"
#include "sim/config/yaml_reader.h"

namespace pjsim {
namespace {

// What a run did to one channel (layer replay): the controller's record, the bytes the channel
// counted, and the charges the run's ledger entries made (which the replay re-applies).
struct JedecDramPart : ReplayPart {
  std::unique_ptr<JedecController::ReplayRun> run;
  double bytes_read = 0, bytes_written = 0;
  std::int64_t act = 0, ref = 0;
  JedecStateTimes times;
  // The time from the channel's last charge to the start (the ledger charges a run's first
  // transaction with the background since then), and from the start to the run's last charge.
  std::uint64_t charge_gap_ps = 0, last_charge_ps = 0;
  // Whether a move renames the record's rows one to one (JedecController::ReplayRowsRenamed),
  // per move asked about: it depends on the record and the move alone, and a record's lookups by
  // one layer repeat one move every pass.
  mutable std::vector<std::pair<AddressMap, bool>> renamed;
};

class JedecDram : public DramModel, public Replayable {
 public:
  JedecDram(sc_core::sc_module_name name, PlatformContext& ctx, const JedecParams& p)
      : DramModel(name, ctx),
        controller_(p),
        interleave_(p.interleave_transactions),
        energy_(p),
        replay_(p.replay) {
    // Tensors are placed aligned to the arch's row size (sim/mapping/tensor_placement.cpp).
    controller_.SetReplayGranule(static_cast<std::uint64_t>(ctx.arch.dram.row_bytes));
    if (interleave_) {
      controller_.TrackCompletions();
      ctx.dram_waits = true;
      SC_HAS_PROCESS(JedecDram);
      SC_METHOD(Decide);
      sensitive << wake_;
      dont_initialize();
    }
    EnergyLedger& ledger = ctx.ledger;
    const std::string n = "jedec_" + (p.name.empty() ? std::string("dram") : p.name);
    const std::string src = (p.source.empty() ? n : p.source) + "; Micron TN-41-01 method";
    act_ = ledger.Register({"dram.act", n + "_act_pre", "activation", energy_.act_pj, src});
    // Read and write bursts are priced per bit moved, so that the dram.read / dram.write
    // categories keep counting bits (the per-layer DRAM bytes of the reports).
    const double burst_bits = static_cast<double>(p.BurstBytes()) * 8;
    ctx.actions.dram_read = ledger.Register(
        {"dram.read", n + "_read", "bit", energy_.read_pj / burst_bits, src + " (IDD4R)"});
    ctx.actions.dram_write = ledger.Register(
        {"dram.write", n + "_write", "bit", energy_.write_pj / burst_bits, src + " (IDD4W)"});
    refresh_ =
        ledger.Register({"dram.refresh", n + "_refresh", "refresh", energy_.refresh_pj, src});
    io_ = ledger.Register({"dram.io", n + "_io", "bit", energy_.io_pj_per_bit,
                           (p.source.empty() ? n : p.source) + " (io_energy)"});
    // The whole run is charged at the lowest background state a rank can be in (per channel,
    // by the platform's leakage accounting); the model adds each rank's time above it.
    const double floor = p.power_down ? energy_.precharge_powerdown : energy_.precharge_standby;
    const double ranks = static_cast<double>(p.ranks);
    ctx.actions.leak_dram =
        ledger.Register({"dram.background", n + "_floor", "instance-cycle",
                         floor * ranks * static_cast<double>(ctx.clock_period_ps) * 1e-3,
                         src + (p.power_down ? " (IDD2P)" : " (IDD2N)")});
    standby_ = ledger.Register({"dram.background", n + "_standby", "rank-ns",
                                energy_.precharge_standby - floor, src + " (IDD2N above floor)"});
    active_ = ledger.Register({"dram.background", n + "_active", "rank-ns",
                               energy_.active_standby - energy_.precharge_standby,
                               src + " (IDD3N - IDD2N)"});
    active_pd_ = ledger.Register({"dram.background", n + "_active_powerdown", "rank-ns",
                                  energy_.active_powerdown - energy_.precharge_powerdown,
                                  src + " (IDD3P - IDD2P)"});
  }

  ChannelResult result() const override {
    ChannelResult r = DramModel::result();
    const JedecStats& s = controller_.stats();
    r.row_hits = s.row_hits;
    r.row_misses = s.row_misses;
    r.busy_ps = s.bus_busy_ps;
    r.has_commands = true;
    r.act = s.act;
    r.pre = s.pre;
    r.rd = s.rd;
    r.wr = s.wr;
    r.ref = s.ref;
    const JedecLatency lat = SummarizeLatency(s);
    r.avg_read_latency_ns = lat.avg_ns;
    r.p99_read_latency_ns = lat.p99_ns;
    return r;
  }

  // Replay keeps to what the controller's record captures exactly but for refresh (one
  // transaction at a time, JedecController::CanReplay), unless the preset turns it off.
  Replayable* replay() override {
    return replay_ && !interleave_ && controller_.CanReplay() ? this : nullptr;
  }
  bool Quiet(std::uint64_t now_ps) const override {
    quiet_ps_ = now_ps;  // LayerReplay asks before Matches and BeginRecord: the run's start
    return controller_.IdleAt(now_ps);
  }
  // A move by a multiple of channels x interleave keeps each access's channel and moves its
  // channel-local address by a 1/channels share; a multiple of the controller's quantum of that
  // keeps its bank and column and adds one count to every row. Rows of different tensors stay
  // apart (a hit between them cannot appear or vanish) when each row lies in one interleave chunk:
  // one channel, or an interleave of whole rows (tensors are row-aligned). Where a bank's row
  // spreads over several tensors' bytes anyway (the bank group below the column), the controller
  // checks each move instead: it must rename the rows one to one (ReplayRowsShared).
  std::uint64_t MoveQuantum() const override {
    const auto channels = static_cast<std::uint64_t>(ctx().arch.dram.channels.size());
    const auto interleave = static_cast<std::uint64_t>(ctx().arch.dram.interleave_bytes);
    const auto row = static_cast<std::uint64_t>(controller_.params().RowBytes());
    const std::uint64_t local = controller_.ReplayMoveQuantum();
    if (local == 0 || (!controller_.ReplayRowsShared() && channels > 1 && interleave % row != 0))
      return 0;
    return channels * std::lcm(interleave, local);
  }
  void BeginRecord() override {
    SettleRefreshRefund();
    controller_.BeginReplayRecord(quiet_ps_);
    before_ = DramModel::result();
    charged_before_ = charged_;
    times_before_ = charged_times_;
    gap_before_ = quiet_ps_ - std::min(quiet_ps_, last_charge_ps_);
  }
  std::unique_ptr<ReplayPart> EndRecord(std::uint64_t /*start_ps: quiet_ps_*/) override {
    auto part = std::make_unique<JedecDramPart>();
    part->run = controller_.EndReplayRecord();
    const ChannelResult after = DramModel::result();
    part->bytes_read = after.bytes_read - before_.bytes_read;
    part->bytes_written = after.bytes_written - before_.bytes_written;
    part->act = charged_.act - charged_before_.act;
    part->ref = charged_.ref - charged_before_.ref;
    part->charge_gap_ps = gap_before_;
    part->last_charge_ps = last_charge_ps_ - std::min(last_charge_ps_, quiet_ps_);
    part->times = {charged_times_.standby_ns - times_before_.standby_ns,
                   charged_times_.active_ns - times_before_.active_ns, 0,
                   charged_times_.active_powerdown_ns - times_before_.active_powerdown_ns};
    return part;
  }
  bool Matches(const ReplayPart& part, const AddressMap& to) const override {
    const auto& p = static_cast<const JedecDramPart&>(part);
    // Without refresh the run is replayed exactly, its background charged to the same layers:
    // the gap its first charge covers must be the recorded one. With refresh, times are
    // approximate anyway; a different gap moves background between adjacent layers only (the
    // next charge takes up the difference).
    return (controller_.params().refresh ||
            quiet_ps_ - std::min(quiet_ps_, last_charge_ps_) == p.charge_gap_ps) &&
           controller_.ReplayMatches(*p.run, quiet_ps_, Move(to), false) && RowsRenamed(p, to);
  }
  void Apply(const ReplayPart& part, std::uint64_t start_ps, const AddressMap& to) override {
    const auto& p = static_cast<const JedecDramPart&>(part);
    controller_.ApplyReplay(*p.run, p.run->counts, start_ps, Move(to));
    Replayed(p.bytes_read, p.bytes_written, p.act, p.ref, p.times);
    if (p.last_charge_ps > 0) last_charge_ps_ = start_ps + p.last_charge_ps;
  }
  // Sampled decode does not extrapolate jedec runs: a layer's runs vary with the refresh phase
  // by more than the sampler's trend allows (its error bound exceeded 2 % of the run when tried).
  bool Extrapolates() const override { return false; }
  void ApplyExtrapolated(const ReplayPart& /*a*/, const ReplayPart& /*b*/, double /*t*/,
                         std::uint64_t /*start_ps*/) override {
    throw std::logic_error("jedec: runs are not extrapolated (Extrapolates() is false)");
  }

  void FinishRun(std::uint64_t end_ps, int layer) override {
    // The refreshes every rank owes after the last request, and the background state time to
    // the end (JESD79-4: a rank is refreshed every tREFI whether or not it is accessed).
    controller_.RefreshUntil(end_ps);
    Charge(layer, end_ps);
  }

 private:
  // A transaction waiting for the controller (interleave_transactions).
  struct Waiter {
    JedecRequest r;
    std::uint64_t order = 0;  // of the calls, for equal arrivals
    std::uint64_t id = 0;     // in the controller, once submitted
    bool submitted = false;
    sc_core::sc_event* event = nullptr;
  };
  struct Later {
    bool operator()(const Waiter* a, const Waiter* b) const {
      return a->r.arrival_ps != b->r.arrival_ps ? a->r.arrival_ps > b->r.arrival_ps
                                                : a->order > b->order;
    }
  };

  Service Serve(const tlm::tlm_generic_payload& trans, int layer, std::uint64_t arrival) override {
    JedecRequest r;
    r.address = LocalAddress(trans.get_address());
    r.bytes = trans.get_data_length();
    r.write = trans.is_write();
    r.arrival_ps = arrival;
    controller_.NoteReplayAccess(r, trans.get_address());
    const JedecCompletion c =
        interleave_ ? Interleaved(r) : controller_.RunUntil(controller_.Submit(r));
    ctx().ledger.Add(layer, io_, static_cast<double>(r.bytes) * 8);
    Charge(layer, c.done_ps);
    return {c.first_data_ps, c.done_ps};
  }

  // Queues `r` with the other transactions in flight and waits until the controller has decided
  // all of it. The channel's method (Decide) wakes at the earliest time any waiting request can
  // complete (JedecController::EarliestDone: its bursts all issue at a decision or later, one
  // data-bus slot each), takes the decisions due before it and releases the requests they
  // complete, each no later than its data: about one wake per transaction.
  JedecCompletion Interleaved(const JedecRequest& r) {
    Waiter w;
    w.r = r;
    w.order = calls_++;
    if (free_events_.empty()) {
      events_.push_back(std::make_unique<sc_core::sc_event>());
      free_events_.push_back(events_.back().get());
    }
    w.event = free_events_.back();
    free_events_.pop_back();
    pending_.push(&w);
    Advance(Now());
    ScheduleWake();
    ++ctx().stats.waits;
    sc_core::wait(*w.event);
    free_events_.push_back(w.event);
    return controller_.Collect(w.id);
  }

  // Hands the controller the requests that have arrived by `now` (a later call arrives at `now`
  // or after, and among equal arrivals comes later) and takes every decision due before it.
  void Advance(std::uint64_t now) {
    while (!pending_.empty() && pending_.top()->r.arrival_ps <= now) {
      Waiter* w = pending_.top();
      pending_.pop();
      w->id = controller_.Submit(w->r);
      w->submitted = true;
      if (by_id_.empty()) first_id_ = w->id;
      by_id_.push_back(w);
    }
    controller_.RunBefore(now);
  }

  // The next wake: the earliest time a waiting request can complete or be submitted (the
  // controller keeps the fewest bursts any incomplete request has left, so that this is not a
  // walk over every waiter).
  void ScheduleWake() {
    std::uint64_t wake = controller_.EarliestDoneAny();
    if (!pending_.empty()) wake = std::min(wake, pending_.top()->r.arrival_ps);
    // Completed by another requester's call: released at once.
    if (controller_.HasCompleted()) wake = std::min(wake, Now());
    if (wake != std::numeric_limits<std::uint64_t>::max())
      wake_.notify(sc_core::sc_time::from_value(wake - Now()));
  }

  // Releases the requesters whose requests have completed, in the order of their calls.
  void Decide() {
    Advance(Now());
    controller_.TakeCompleted(ids_);
    done_.clear();
    for (const std::uint64_t id : ids_) {
      Waiter*& w = by_id_[id - first_id_];
      done_.push_back(w);
      w = nullptr;
    }
    while (!by_id_.empty() && by_id_.front() == nullptr) {
      by_id_.pop_front();
      ++first_id_;
    }
    std::sort(done_.begin(), done_.end(),
              [](const Waiter* a, const Waiter* b) { return a->order < b->order; });
    for (Waiter* w : done_) w->event->notify();
    ScheduleWake();
  }

  // The record's rows renamed one to one by `to`, its verdict kept per move.
  bool RowsRenamed(const JedecDramPart& p, const AddressMap& to) const {
    if (to.identity() || !controller_.ReplayRowsShared()) return true;
    for (const auto& [move, verdict] : p.renamed) {
      if (move == to) return verdict;
    }
    const bool verdict = controller_.ReplayRowsRenamed(*p.run, Move(to));
    p.renamed.emplace_back(to, verdict);
    return verdict;
  }

  // Where a recorded access lies when the run's tensors moved by `to` (empty: nothing moved).
  JedecController::ReplayMove Move(const AddressMap& to) const {
    if (to.identity()) return {};
    return [this, &to](std::uint64_t global) { return LocalAddress(to(global)); };
  }

  // A replayed run's bytes, and the charges its ledger entries made (refreshes: the recorded
  // count; Charge adds the difference from the schedule's at the next transaction).
  void Replayed(double bytes_read, double bytes_written, std::int64_t act, std::int64_t ref,
                const JedecStateTimes& times) {
    ChannelResult counts;
    counts.bytes_read = bytes_read;
    counts.bytes_written = bytes_written;
    AddCounts(counts);
    charged_.act += act;
    charged_.ref += ref;
    charged_times_.standby_ns += times.standby_ns;
    charged_times_.active_ns += times.active_ns;
    charged_times_.active_powerdown_ns += times.active_powerdown_ns;
  }

  // A replay charges the refreshes of its record; the schedule, which runs on absolute time, may
  // owe fewer, and the next charge refunds the difference. Refunded inside a recording, it would
  // enter the record as a negative refresh count (and ledger charge) that every replay of the
  // record applies again; so a recording starts with it settled, on the layer charged last.
  void SettleRefreshRefund() {
    const std::int64_t ref = controller_.stats().ref;
    if (ref < charged_.ref && charged_layer_ >= 0) {
      ctx().ledger.Add(charged_layer_, refresh_, static_cast<double>(ref - charged_.ref));
      charged_.ref = ref;
    }
  }

  // Charges `layer` with what the controller did since the last charge.
  void Charge(int layer, std::uint64_t now) {
    last_charge_ps_ = std::max(last_charge_ps_, now);
    charged_layer_ = layer;
    EnergyLedger& ledger = ctx().ledger;
    const JedecStats& s = controller_.stats();
    // A count that did not move adds nothing (most transactions meet no refresh).
    if (s.act != charged_.act) ledger.Add(layer, act_, static_cast<double>(s.act - charged_.act));
    if (s.ref != charged_.ref) {
      ledger.Add(layer, refresh_, static_cast<double>(s.ref - charged_.ref));
    }
    charged_.act = s.act;
    charged_.ref = s.ref;
    const JedecStateTimes t = controller_.StateTimes(now);
    const auto add = [&](ActionId a, double value, double& charged) {
      if (value > charged) ledger.Add(layer, a, value - charged);
      charged = std::max(charged, value);
    };
    add(standby_, t.standby_ns, charged_times_.standby_ns);
    add(active_, t.active_ns, charged_times_.active_ns);
    add(active_pd_, t.active_powerdown_ns, charged_times_.active_powerdown_ns);
  }

  JedecController controller_;
  bool interleave_ = false;
  std::priority_queue<Waiter*, std::vector<Waiter*>, Later> pending_;  // not yet submitted
  std::deque<Waiter*> by_id_;  // submitted, by controller id from first_id_ (null: released)
  std::uint64_t first_id_ = 0;
  std::vector<std::uint64_t> ids_;  // Decide's buffers
  std::vector<Waiter*> done_;
  std::uint64_t calls_ = 0;
  sc_core::sc_event wake_;
  std::vector<std::unique_ptr<sc_core::sc_event>> events_;  // one per waiter, reused
  std::vector<sc_core::sc_event*> free_events_;
  JedecEnergy energy_;
  ActionId act_ = -1, refresh_ = -1, io_ = -1;
  ActionId standby_ = -1, active_ = -1, active_pd_ = -1;
  JedecStats charged_;
  int charged_layer_ = -1;  // the layer Charge charged last
  JedecStateTimes charged_times_;
  // Layer replay: whether the preset allows it, the start LayerReplay last asked about (Quiet),
  // and the counts and charges at a recorded run's start.
  bool replay_ = true;
  mutable std::uint64_t quiet_ps_ = 0;
  ChannelResult before_;
  JedecStats charged_before_;
  JedecStateTimes times_before_;
  std::uint64_t last_charge_ps_ = 0, gap_before_ = 0;  // the last Charge's time; at BeginRecord
};

std::shared_ptr<const ModelParams> ReadJedecDramParams(ConfigMap& dram, const ArchConfig& arch) {
  std::shared_ptr<JedecParams> p = ReadJedecParams(dram);
  // The mapper plans with the arch's channel bandwidth and row size: they must be the preset's.
  const double bandwidth = p->PeakBytesPerNs() * 1e9;
  if (std::abs(arch.dram.channel_bandwidth_bytes_per_s - bandwidth) > 0.01 * bandwidth) {
    dram.Fail("channel_bandwidth", "contradicts the jedec preset: 2 / tCK x bus_width_bits / 8 = " +
                                       std::to_string(bandwidth * 1e-9) + " GB/s");
  }
  if (std::abs(arch.dram.row_bytes - static_cast<double>(p->RowBytes())) > 0.5) {
    dram.Fail("row_size",
              "contradicts the jedec preset: columns x device_width x "
              "devices_per_rank / 8 = " +
                  std::to_string(p->RowBytes()) + " B");
  }
  p->sustained_rate = std::make_shared<JedecParams::SustainedRate>();
  p->rows_of = std::make_shared<JedecParams::Rows>(*p);
  return p;
}

const bool kRegistered = DramModelRegistry().Add({
    .name = "jedec",
    .summary = "JEDEC timing and IDD energy with an FR-FCFS controller (keys: preset and every "
               "preset field; docs/DRAM.md)",
    .read_params = ReadJedecDramParams,
    .make = [](const std::string& name, int /*index*/,
               PlatformContext& ctx) -> std::unique_ptr<DramModel> {
      return std::make_unique<JedecDram>(name.c_str(), ctx,
                                         ParamsAs<JedecParams>(ctx.arch.dram.params));
    },
    .categories = {"dram.act", "dram.read", "dram.write", "dram.refresh", "dram.io",
                   "dram.background"},
});

}  // namespace
}  // namespace pjsim
