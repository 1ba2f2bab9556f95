#pragma once
// A tile kind is the PE array's arithmetic: how many cycles a GEMM task takes, which ops it
// performs and which operand traffic it causes in the tile's SRAM. A new kind is one file: the
// class and its TileKindRegistry() entry (sim/config/tile_kind_registry.h: name, summary,
// accumulators, factory). Plain C++: no SystemC here.
#include <memory>
#include <string>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/energy/energy_ledger.h"
#include "sim/energy/tech_table.h"
#include "sim/graph/layer.h"
#include "sim/task/tile_task.h"

namespace pjsim {

struct GemmCost {
  std::int64_t array_cycles = 0;  // the kind's exact cycle formula
  double sram_read_bits = 0;      // operand and partial-sum reads by the array
  double sram_write_bits = 0;     // partial-sum / result writes by the array
};

class TileKind {
 public:
  virtual ~TileKind() = default;
  // Registers the compute actions this kind charges; called once per platform.
  virtual void RegisterActions(EnergyLedger& ledger, const TechTable& tech) = 0;
  // Whether this array can execute the linear layer (its arithmetic and activation dtype).
  virtual bool Supports(const Layer& layer) const = 0;
  // Charges the task's arithmetic to `ledger` (attributed to layer index `layer_index`) and
  // returns its cycles and SRAM operand traffic.
  virtual GemmCost RunGemm(EnergyLedger& ledger, int layer_index, const Layer& layer,
                           const TileTask& task) const = 0;
};

// A task's cycles on a tile: its array's (or vector unit's) cycles, or the scratchpad port's when
// the task's SRAM traffic exceeds the port's width.
std::int64_t PortBoundCycles(std::int64_t cycles, double sram_read_bits, double sram_write_bits,
                             double port_bytes_per_cycle);

// Builds the registered kind named by tile.kind; throws std::invalid_argument for an unknown name.
std::unique_ptr<TileKind> MakeTileKind(const TileConfig& tile);

// ConfigError at the first GEMM layer of `layers` that `kind` (the kind `tile` names) cannot
// execute, naming the layer, its arithmetic and the kind.
void RequireKindRunsLayers(const TileConfig& tile, const TileKind& kind,
                           const std::vector<Layer>& layers);

}  // namespace pjsim
