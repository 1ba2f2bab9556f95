#pragma once
// The priced actions of one run, registered from the architecture, the workload's layers and the
// technology table. The simulation registers them with the run's table; `pjsim reprice` registers
// them again with another table, so a re-priced report uses exactly the prices a fresh run would.
#include <vector>

#include "sim/arch/tile_kind.h"
#include "sim/config/arch_config.h"
#include "sim/energy/energy_ledger.h"
#include "sim/energy/platform_actions.h"
#include "sim/energy/tech_table.h"
#include "sim/graph/layer.h"

namespace pjsim {

// What a run registers before it starts: the platform's actions, the tile kind's compute actions
// and the vector-unit ops of every non-GEMM layer. Throws std::out_of_range naming an op the
// table lacks.
PlatformActions RegisterRunActions(EnergyLedger& ledger, const ArchConfig& arch,
                                   const TechTable& tech, TileKind& kind,
                                   const std::vector<Layer>& layers);

// Everything a run of `layers` may register, including what the simulation registers as it goes:
// the power-gating domains and the actions a tile kind registers on a layer's first task (e.g.
// narrow int8 products). For pricing only: the ledger's counts are meaningless.
void RegisterAllRunActions(EnergyLedger& ledger, const ArchConfig& arch, const TechTable& tech,
                           const std::vector<Layer>& layers);

}  // namespace pjsim
