#include "sim/arch/spiking_kind.h"

#include <cmath>

#include "sim/config/tile_kind_registry.h"

namespace pjsim {

SpikingKind::SpikingKind(const TileConfig& tile) : tile_(tile) {}

void SpikingKind::RegisterActions(EnergyLedger& ledger, const TechTable& tech) {
  const std::string add = NumberTypeName(tile_.accumulator) + "_add";
  synaptic_add_ =
      ledger.Register({kSpikeSynapseCategory, add, "op", tech.Op(add).value, tech.Op(add).source});
  membrane_op_ = ledger.Register(
      {"compute.spike_membrane", add, "op", tech.Op(add).value, tech.Op(add).source});
}

bool SpikingKind::Supports(const Layer& layer) const {
  return layer.IsGemm() && layer.spiking.enabled();
}

std::int64_t SpikingKind::Cycles(const TileConfig& tile, const Layer& layer, const TileTask& task) {
  const GemmTask& g = task.gemm;
  // A graded spike takes one pass through its lane per add (shift-and-add, see AddsPerSpike).
  const auto spike_adds =
      static_cast<std::int64_t>(std::ceil(task.input_spikes * layer.spiking.AddsPerSpike()));
  std::int64_t cycles = CeilDiv(spike_adds, tile.rows) * CeilDiv(g.n, tile.cols);
  if (task.last_k) cycles += layer.spiking.timesteps * CeilDiv(g.m * g.n, tile.cols);
  return cycles;
}

GemmCost SpikingKind::RunGemm(EnergyLedger& ledger, int layer_index, const Layer& layer,
                              const TileTask& task) const {
  const GemmTask& g = task.gemm;
  const SpikingConfig& sp = layer.spiking;
  const auto n = static_cast<double>(g.n);
  GemmCost cost;
  cost.array_cycles = Cycles(tile_, layer, task);
  if (layer.kind == OpKind::kLinear) {
    // Each spike adds every nonzero weight of its weight row (packed width), once per set bit of
    // its level (graded spikes; the sign picks add or subtract). The row is read from SRAM once
    // per spike, or once per active input per batch of buffered slots (tile.spike_batch).
    ledger.Add(layer_index, synaptic_add_,
               task.input_spikes * sp.AddsPerSpike() * n * (1 - layer.weight_sparsity));
    cost.sram_read_bits = task.weight_row_reads * static_cast<double>(layer.OperandBBytes(g.n)) * 8;
  } else {
    // Spike-driven attention (Spikformer-style, no softmax): each spike of the first operand
    // meets the second operand's spikes of the same timestep in its row: one add per coincidence
    // (expected n x rate of them), after reading that row's n-bit spike bitmap.
    ledger.Add(layer_index, synaptic_add_, task.input_spikes * n * sp.input_rate);
    cost.sram_read_bits = task.input_spikes * n;
  }
  // Input currents of the block stay in the array's accumulators across K chunks; partial
  // currents go through SRAM like partial sums.
  const double acc_bits = NumberTypeBits(tile_.accumulator);
  const double neuron_steps = static_cast<double>(g.m) * n * static_cast<double>(sp.timesteps);
  if (!task.first_k) cost.sram_read_bits += neuron_steps * acc_bits;
  if (!task.last_k) {
    cost.sram_write_bits += neuron_steps * acc_bits;
  } else {
    // One LIF step per neuron per timestep: membrane read and write, leak and compare.
    ledger.Add(layer_index, membrane_op_, 2 * neuron_steps);
    const auto mbits = static_cast<double>(sp.membrane_bits);
    cost.sram_read_bits += neuron_steps * mbits;
    cost.sram_write_bits += neuron_steps * mbits + static_cast<double>(task.store.bytes) * 8;
  }
  return cost;
}

namespace {

[[maybe_unused]] const bool kRegistered = TileKindRegistry().Add(
    {.name = "spiking_lif",
     .summary = "event-driven spiking array: one add per input spike and weight, LIF neurons",
     .accumulators = {"int32", "int16"},
     .factory = [](const TileConfig& tile) -> std::unique_ptr<TileKind> {
       return std::make_unique<SpikingKind>(tile);
     }});

}  // namespace

}  // namespace pjsim
