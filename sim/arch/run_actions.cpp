#include "sim/arch/run_actions.h"

#include "sim/arch/tile_power.h"
#include "sim/graph/elementwise_function.h"

namespace pjsim {

PlatformActions RegisterRunActions(EnergyLedger& ledger, const ArchConfig& arch,
                                   const TechTable& tech, TileKind& kind,
                                   const std::vector<Layer>& layers) {
  PlatformActions actions = RegisterPlatformActions(ledger, arch, tech);
  kind.RegisterActions(ledger, tech);
  for (const Layer& layer : layers) {
    if (layer.IsGemm()) continue;
    const std::string prefix = VectorDTypePrefix(layer.dtype);
    const ElementwiseFunction& f = FindElementwiseFunction(layer.function);
    for (const auto* ops : {&f.ops, &f.per_row_ops, &f.inner_ops}) {
      for (const auto& [suffix, count] : *ops) {
        VectorOpAction(ledger, actions, tech, prefix + "_" + suffix);
      }
    }
  }
  return actions;
}

void RegisterAllRunActions(EnergyLedger& ledger, const ArchConfig& arch, const TechTable& tech,
                           const std::vector<Layer>& layers) {
  const auto kind = MakeTileKind(arch.tile);
  RegisterRunActions(ledger, arch, tech, *kind, layers);
  const TilePower power(arch, tech, ledger);  // registers the domains' actions when gating is on
  // A kind registers some actions on a layer's first task: run one small task of each GEMM
  // layer the kind executes (its counts land on the throw-away ledger).
  TileTask task;
  task.gemm = {1, 1, 1};
  task.input_spikes = 1;
  task.weight_row_reads = 1;
  for (const Layer& layer : layers) {
    if (!layer.IsGemm() || !kind->Supports(layer)) continue;
    kind->RunGemm(ledger, 0, layer, task);
  }
}

}  // namespace pjsim
