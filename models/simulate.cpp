#include "models/simulate.h"

#include <cmath>
#include <optional>
#include <systemc>

#include "models/platform.h"
#include "models/platform_context.h"
#include "models/power_trace.h"
#include "models/simulation_context.h"
#include "sim/arch/run_actions.h"
#include "sim/config/config_error.h"
#include "sim/mapping/workload_planner.h"

namespace pjsim {
namespace {

// Leakage of `cycles` of run time, per leakage action, through add(action, count): every
// component leaks for the whole run. With power gating, the tiles' logic and SRAM leak through
// their power domains instead (sim/arch/tile_power.h).
template <class Add>
void LeakageCounts(const PlatformActions& a, double cycles, bool tiles_gated, Add add) {
  if (!tiles_gated) {
    add(a.leak_pe, cycles * a.pe_instances);
    add(a.leak_vector, cycles * a.vector_instances);
    add(a.leak_sram, cycles * a.sram_instances);
  }
  add(a.leak_router, cycles * a.router_instances);
  add(a.leak_dram, cycles * a.dram_instances);
}

// Each layer is charged its share of the run time (time with several layers in flight is split
// evenly among them).
void ChargeLeakage(EnergyLedger& ledger, const PlatformActions& a,
                   const std::vector<LayerResult>& layers, std::uint64_t period_ps,
                   bool tiles_gated) {
  for (size_t l = 0; l < layers.size(); ++l) {
    const double cycles =
        static_cast<double>(layers[l].leakage_share_ps) / static_cast<double>(period_ps);
    const int layer = static_cast<int>(l);
    LeakageCounts(a, cycles, tiles_gated,
                  [&](ActionId action, double count) { ledger.Add(layer, action, count); });
  }
}

std::uint64_t SharedPs(const std::vector<LayerResult>& layers) {
  std::uint64_t ps = 0;
  for (const LayerResult& l : layers) ps += l.leakage_share_ps;
  return ps;
}

// Watches the run for the per-pass and whole-cycle figures of SimulationResult, and passes every
// call on to the caller's observer (progress).
class PassRecorder : public RunObserver {
 public:
  PassRecorder(const EnergyLedger& ledger, size_t layers, std::uint64_t period_ps,
               RunObserver* next)
      : ledger_(ledger), period_ps_(period_ps), next_(next), layers_(layers) {}

  void Watch(const Platform* platform) { platform_ = platform; }

  void LayerFinished(std::int64_t pass, int layer, std::uint64_t start_ps,
                     std::uint64_t end_ps) override {
    LayerResult& l = layers_[static_cast<size_t>(layer)];
    if (pass == 0) l.start_cycle = WholeCycles(start_ps, period_ps_);
    l.cycles += WholeCycles(end_ps, period_ps_) - WholeCycles(start_ps, period_ps_);
    if (next_) next_->LayerFinished(pass, layer, start_ps, end_ps);
  }

  // A pass boundary: the ledger's totals and the run time shared among layers so far.
  void PassFinished(std::int64_t pass, std::uint64_t end_ps) override {
    Snapshot s{end_ps, SharedPs(platform_->layer_results()), Totals()};
    snapshots_.push_back(std::move(s));
    if (next_) next_->PassFinished(pass, end_ps);
  }

  // After the run (and before leakage is charged): per-layer cycles into `result`, and each
  // pass's counts as the difference of the snapshots around it. What the run charges after its
  // last layer (closing power domains) belongs to the last pass, which ends with the run.
  void Fill(SimulationResult& result, const PlatformActions& a, bool tiles_gated) const {
    for (size_t l = 0; l < layers_.size(); ++l) {
      result.layers[l].start_cycle = layers_[l].start_cycle;
      result.layers[l].cycles = layers_[l].cycles;
    }
    std::vector<Snapshot> ends = snapshots_;
    if (ends.empty()) return;
    ends.back() = {result.total_ps, SharedPs(result.layers), Totals()};
    Snapshot before{0, 0, {}};
    for (const Snapshot& end : ends) {
      PassResult p;
      p.end_ps = end.ps;
      p.counts.assign(ledger_.actions().size(), 0.0);
      for (size_t i = 0; i < end.counts.size(); ++i)
        p.counts[i] = end.counts[i] - (i < before.counts.size() ? before.counts[i] : 0.0);
      const double cycles =
          static_cast<double>(end.shared_ps - before.shared_ps) / static_cast<double>(period_ps_);
      LeakageCounts(a, cycles, tiles_gated, [&](ActionId action, double count) {
        p.counts[static_cast<size_t>(action)] += count;
      });
      result.passes.push_back(std::move(p));
      before = end;
    }
  }

 private:
  struct Snapshot {
    std::uint64_t ps;
    std::uint64_t shared_ps;
    std::vector<double> counts;
  };

  std::vector<double> Totals() const {
    std::vector<double> counts(ledger_.actions().size());
    for (size_t a = 0; a < counts.size(); ++a)
      counts[a] = ledger_.TotalCount(static_cast<ActionId>(a));
    return counts;
  }

  const EnergyLedger& ledger_;
  std::uint64_t period_ps_;
  RunObserver* next_;
  const Platform* platform_ = nullptr;
  std::vector<LayerResult> layers_;  // start_cycle and cycles only
  std::vector<Snapshot> snapshots_;
};

}  // namespace

SimulationResult Simulate(const ArchConfig& arch, const TechTable& tech, const Workload& workload,
                          TraceRecorder* trace, RunObserver* observer, bool replay,
                          MappingRefiner refiner) {
  const auto& layers = workload.graph->layers();
  auto kind = MakeTileKind(arch.tile);
  RequireKindRunsLayers(arch.tile, *kind, layers);
  if (arch.dram.interleave_bytes > arch.dram.row_bytes) {
    throw ConfigError({arch.file, 0, 0}, "'dram.interleave' must not exceed 'dram.row_size'");
  }
  WorkloadPlanner planner(arch, workload, PricesFor(arch, tech), KindTaskCycles(arch, tech),
                          std::move(refiner));
  // A layer that cannot be mapped fails before SystemC starts.
  planner.Validate();

  SimulationResult result;
  std::vector<std::string> names;
  for (const Layer& l : layers) names.push_back(l.name);
  result.ledger = EnergyLedger(names);
  PlatformActions actions = RegisterRunActions(result.ledger, arch, tech, *kind, layers);

  PlatformContext ctx{arch,
                      tech,
                      result.ledger,
                      actions,
                      static_cast<std::uint64_t>(std::llround(1e12 / arch.clock_hz)),
                      {},
                      trace,
                      nullptr,
                      nullptr};
  ctx.replay = replay;
  PassRecorder recorder(result.ledger, layers.size(), ctx.clock_period_ps, observer);
  ctx.observer = &recorder;
  std::optional<PowerTrace> power_trace;
  if (trace) power_trace.emplace(result.ledger, *trace, ctx.clock_period_ps);
  {
    SimulationContext kernel;
    auto platform = std::make_unique<Platform>("platform", ctx, *kind, workload, planner);
    recorder.Watch(platform.get());
    if (power_trace) {
      // The components' leakage the run charges after it ends, per cycle (the platform has
      // settled its actions: a DRAM model may price its own background power).
      std::vector<std::pair<ActionId, double>> leakage;
      LeakageCounts(actions, 1.0, arch.power_gating.enabled,
                    [&](ActionId action, double count) { leakage.emplace_back(action, count); });
      power_trace->SetLeakage(std::move(leakage));
    }
    sc_core::sc_start();
    result.total_ps = Now();
    if (!ctx.error) platform->FinishChannels();
    result.layers = platform->layer_results();
    result.channels = platform->channel_results();
    result.link_bytes = platform->noc().link_bytes();
    result.replayed_layer_runs = platform->replayed_layer_runs();
    result.replay_skipped_runs = platform->replay_skipped_runs();
    result.replay_shapes_by_walk = platform->replay_shapes_by_walk();
    result.decode_sampling = platform->decode_sampling();
    const std::exception_ptr error = ctx.error;
    if (!error) {
      platform->FinishPower();
      if (power_trace) power_trace->Finish(result.total_ps);
      result.power_domains = platform->power().Results();
      result.gating_reload_bytes = platform->gating_reload_bytes();
      if (arch.power_gating.enabled) result.gating_policy = arch.power_gating.policy;
    }
    platform.reset();  // every module of this run dies before its kernel context
    if (error) std::rethrow_exception(error);
  }
  result.clock_period_ps = ctx.clock_period_ps;
  result.tile_tasks = ctx.stats.tile_tasks;
  result.waits = ctx.stats.waits;
  result.transactions = ctx.stats.transactions;
  result.multicast_copy_bytes = ctx.stats.multicast_copy_bytes;
  result.gather_overfetch_bytes = ctx.stats.gather_overfetch_bytes;
  result.reduction_bytes = ctx.stats.reduction_bytes;
  result.dram_footprint_bytes = planner.dram_footprint_bytes();
  recorder.Fill(result, actions, arch.power_gating.enabled);
  ChargeLeakage(result.ledger, actions, result.layers, ctx.clock_period_ps,
                arch.power_gating.enabled);
  return result;
}

}  // namespace pjsim
