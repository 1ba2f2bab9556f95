#include "models/simulate.h"

#include <systemc>

#include <cmath>

#include "models/platform.h"
#include "models/platform_context.h"
#include "models/simulation_context.h"
#include "sim/config/config_error.h"
#include "sim/graph/elementwise_function.h"
#include "sim/mapping/dram_allocator.h"
#include "sim/mapping/layer_mapper.h"

namespace pjsim {
namespace {

// Places every tensor in DRAM and lowers every layer to tile tasks.
std::vector<LayerPlan> PlanWorkload(const ArchConfig& arch, const Workload& workload) {
  const auto& layers = workload.graph->layers();
  DramAllocator dram(static_cast<std::uint64_t>(arch.dram.row_bytes));
  std::vector<DramRegion> outputs(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    outputs[i] = dram.Allocate(static_cast<std::uint64_t>(layers[i].OutputElements() *
                                                          DTypeBits(layers[i].dtype) / 8));
  }
  LayerMapper mapper(arch);
  std::vector<LayerPlan> plans(layers.size());
  for (int i : workload.graph->topological_order()) {
    const Layer& layer = layers[static_cast<size_t>(i)];
    const auto bytes_per = static_cast<std::uint64_t>(DTypeBits(layer.dtype) / 8);
    std::vector<DramRegion> inputs;
    for (int p : workload.graph->producers(i)) inputs.push_back(outputs[static_cast<size_t>(p)]);
    const int arity =
        layer.kind == OpKind::kLinear ? 1 : FindElementwiseFunction(layer.function).inputs;
    while (static_cast<int>(inputs.size()) < arity) {  // workload inputs live in DRAM too
      inputs.push_back(dram.Allocate(static_cast<std::uint64_t>(layer.m * layer.InputCols()) * bytes_per));
    }
    DramRegion weights;
    if (layer.kind == OpKind::kLinear) {
      weights = dram.Allocate(static_cast<std::uint64_t>(layer.WeightBytes(layer.k * layer.n)));
    }
    plans[static_cast<size_t>(i)] = mapper.Map(i, layer, inputs, weights, outputs[static_cast<size_t>(i)]);
  }
  return plans;
}

// Leakage: every component leaks for the whole run; each layer is charged the cycles it spans.
void ChargeLeakage(EnergyLedger& ledger, const PlatformActions& a,
                   const std::vector<LayerResult>& layers, std::uint64_t period_ps) {
  for (size_t l = 0; l < layers.size(); ++l) {
    const double cycles = static_cast<double>(layers[l].end_ps - layers[l].start_ps) /
                          static_cast<double>(period_ps);
    const int layer = static_cast<int>(l);
    ledger.Add(layer, a.leak_pe, cycles * a.pe_instances);
    ledger.Add(layer, a.leak_vector, cycles * a.vector_instances);
    ledger.Add(layer, a.leak_sram, cycles * a.sram_instances);
    ledger.Add(layer, a.leak_router, cycles * a.router_instances);
    ledger.Add(layer, a.leak_dram, cycles * a.dram_instances);
  }
}

}  // namespace

SimulationResult Simulate(const ArchConfig& arch, const TechTable& tech, const Workload& workload) {
  const auto& layers = workload.graph->layers();
  auto kind = MakeTileKind(arch.tile);
  for (const Layer& layer : layers) {
    if (layer.kind == OpKind::kLinear && !kind->Supports(layer)) {
      throw ConfigError(layer.where, "layer '" + layer.name + "' has arithmetic " + layer.arithmetic +
                                         ", which tile kind '" + arch.tile.kind + "' cannot execute");
    }
  }
  if (arch.dram.interleave_bytes > arch.dram.row_bytes) {
    throw ConfigError({arch.file, 0, 0}, "'dram.interleave' must not exceed 'dram.row_size'");
  }
  std::vector<LayerPlan> plans = PlanWorkload(arch, workload);

  SimulationResult result;
  std::vector<std::string> names;
  for (const Layer& l : layers) names.push_back(l.name);
  result.ledger = EnergyLedger(names);
  PlatformActions actions = RegisterPlatformActions(result.ledger, arch, tech);
  kind->RegisterActions(result.ledger, tech);
  for (const Layer& layer : layers) {
    if (layer.kind != OpKind::kElementwise) continue;
    const std::string prefix = DTypeName(layer.dtype == DType::kInt8 ? DType::kFp16 : layer.dtype);
    for (const auto& [suffix, count] : FindElementwiseFunction(layer.function).ops) {
      VectorOpAction(result.ledger, actions, tech, prefix + "_" + suffix);
    }
  }

  PlatformContext ctx{arch, tech, result.ledger, actions,
                      static_cast<std::uint64_t>(std::llround(1e12 / arch.clock_hz)), {}};
  {
    SimulationContext kernel;
    auto platform = std::make_unique<Platform>("platform", ctx, *kind, workload, std::move(plans));
    sc_core::sc_start();
    result.total_ps = Now();
    result.layers = platform->layer_results();
    result.channels = platform->channel_results();
    result.link_bytes = platform->noc().link_bytes();
    platform.reset();  // every module of this run dies before its kernel context
  }
  result.clock_period_ps = ctx.clock_period_ps;
  result.tile_tasks = ctx.stats.tile_tasks;
  result.waits = ctx.stats.waits;
  result.transactions = ctx.stats.transactions;
  ChargeLeakage(result.ledger, actions, result.layers, ctx.clock_period_ps);
  return result;
}

}  // namespace pjsim
