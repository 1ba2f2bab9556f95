#pragma once
// The priced actions every platform component charges (memory, NoC, vector unit, leakage),
// registered once from the architecture and the technology table. Compute actions of the PE
// array belong to the tile kind (sim/arch/tile_kind.h).
#include <map>
#include <string>

#include "sim/config/arch_config.h"
#include "sim/energy/energy_ledger.h"
#include "sim/energy/tech_table.h"

namespace pjsim {

struct PlatformActions {
  ActionId sram_read = -1, sram_write = -1;    // bits, at the tile SRAM's capacity
  ActionId sram_fill = -1;                     // bits written by DMA from DRAM (sram.write)
  ActionId dram_read = -1, dram_write = -1;    // bits
  ActionId dram_activate = -1;                 // row activations
  ActionId noc_router = -1;                    // bit x router traversals
  ActionId noc_link = -1;                      // bit x mm of link
  std::map<std::string, ActionId> vector_ops;  // "fp16_exp" -> id, on first use
  ActionId leak_pe = -1, leak_vector = -1, leak_sram = -1, leak_router = -1, leak_dram = -1;
  // Number of leaking instances behind each leakage action (PEs, lanes, tiles, channels), so
  // count = instances x cycles.
  double pe_instances = 0, vector_instances = 0, sram_instances = 0, router_instances = 0,
         dram_instances = 0;
};

PlatformActions RegisterPlatformActions(EnergyLedger& ledger, const ArchConfig& arch,
                                        const TechTable& tech);

// Registers (or finds) the vector-unit op "<dtype>_<suffix>" as an action of compute.vector.
ActionId VectorOpAction(EnergyLedger& ledger, PlatformActions& actions, const TechTable& tech,
                        const std::string& op_name);

}  // namespace pjsim
