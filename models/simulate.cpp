#include "models/simulate.h"

#include <cmath>
#include <systemc>

#include "models/platform.h"
#include "models/platform_context.h"
#include "models/simulation_context.h"
#include "sim/config/config_error.h"
#include "sim/graph/elementwise_function.h"
#include "sim/mapping/workload_planner.h"

namespace pjsim {
namespace {

// Leakage: every component leaks for the whole run; each layer is charged its share of the run
// time (time with several layers in flight is split evenly among them). With power gating, the
// tiles' logic and SRAM leak through their power domains instead (sim/arch/tile_power.h).
void ChargeLeakage(EnergyLedger& ledger, const PlatformActions& a,
                   const std::vector<LayerResult>& layers, std::uint64_t period_ps,
                   bool tiles_gated) {
  for (size_t l = 0; l < layers.size(); ++l) {
    const double cycles =
        static_cast<double>(layers[l].leakage_share_ps) / static_cast<double>(period_ps);
    const int layer = static_cast<int>(l);
    if (!tiles_gated) {
      ledger.Add(layer, a.leak_pe, cycles * a.pe_instances);
      ledger.Add(layer, a.leak_vector, cycles * a.vector_instances);
      ledger.Add(layer, a.leak_sram, cycles * a.sram_instances);
    }
    ledger.Add(layer, a.leak_router, cycles * a.router_instances);
    ledger.Add(layer, a.leak_dram, cycles * a.dram_instances);
  }
}

}  // namespace

SimulationResult Simulate(const ArchConfig& arch, const TechTable& tech, const Workload& workload,
                          TraceRecorder* trace) {
  const auto& layers = workload.graph->layers();
  auto kind = MakeTileKind(arch.tile);
  for (const Layer& layer : layers) {
    if (layer.IsGemm() && !kind->Supports(layer)) {
      throw ConfigError(layer.where,
                        "layer '" + layer.name + "' has arithmetic " + layer.arithmetic.name() +
                            (layer.spiking.enabled() ? " on spikes" : "") + ", which tile kind '" +
                            arch.tile.kind + "' cannot execute");
    }
  }
  if (arch.dram.interleave_bytes > arch.dram.row_bytes) {
    throw ConfigError({arch.file, 0, 0}, "'dram.interleave' must not exceed 'dram.row_size'");
  }
  WorkloadPlanner planner(arch, workload, PricesFor(arch, tech), KindTaskCycles(arch, tech));
  // A layer that cannot be mapped fails before SystemC starts.
  planner.Validate();

  SimulationResult result;
  std::vector<std::string> names;
  for (const Layer& l : layers) names.push_back(l.name);
  result.ledger = EnergyLedger(names);
  PlatformActions actions = RegisterPlatformActions(result.ledger, arch, tech);
  kind->RegisterActions(result.ledger, tech);
  for (const Layer& layer : layers) {
    if (layer.IsGemm()) continue;
    const std::string prefix = VectorDTypePrefix(layer.dtype);
    const ElementwiseFunction& f = FindElementwiseFunction(layer.function);
    for (const auto* ops : {&f.ops, &f.per_row_ops, &f.inner_ops}) {
      for (const auto& [suffix, count] : *ops) {
        VectorOpAction(result.ledger, actions, tech, prefix + "_" + suffix);
      }
    }
  }

  PlatformContext ctx{arch,
                      tech,
                      result.ledger,
                      actions,
                      static_cast<std::uint64_t>(std::llround(1e12 / arch.clock_hz)),
                      {},
                      trace,
                      nullptr};
  {
    SimulationContext kernel;
    auto platform = std::make_unique<Platform>("platform", ctx, *kind, workload, planner);
    sc_core::sc_start();
    result.total_ps = Now();
    result.layers = platform->layer_results();
    result.channels = platform->channel_results();
    result.link_bytes = platform->noc().link_bytes();
    const std::exception_ptr error = ctx.error;
    if (!error) {
      platform->FinishPower();
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
  result.reduction_bytes = ctx.stats.reduction_bytes;
  ChargeLeakage(result.ledger, actions, result.layers, ctx.clock_period_ps,
                arch.power_gating.enabled);
  return result;
}

}  // namespace pjsim
