#pragma once
// Event-driven spiking array (tile kind "spiking_lif"); runs spiking linear layers and
// spike-driven attention (Q, K, V and the attention map as spike trains, no softmax). For each
// input spike the array reads the weight row of the task's output block from SRAM and accumulates
// it into the output neurons' input currents (one add of the accumulator width per nonzero weight:
// zero weights are skipped). With `tile.spike_batch` B > 1 the array buffers the spikes of B
// consecutive (row, timestep) slots and serves them input neuron by input neuron: a row is read
// once per batch in which its neuron spikes and added into each spiking slot's currents (the
// weight reuse a MAC array gets across rows; the adds and cycles do not change; each lane keeps
// B input currents, whose registers the area model prices as area.spike_slot, docs/AREA.md);
// after the last K chunk every output neuron does one LIF step per timestep: membrane read,
// leak, integrate, compare, write (sim/numerics/lif.h). Zero activity costs no synaptic ops but
// still costs the membrane updates and leakage.
//
// Graded spikes (level k in 1..L, optionally signed) cost popcount(k) adds per synapse and as
// many lane passes (shift-and-add; SpikingConfig::AddsPerSpike); the weight row is read once.
//
// Cycles per task (R spike lanes, C output lanes):
//   ceil(S * a / R) * ceil(n / C)               synaptic phase, S = input spikes of the task,
//                                               a = adds per spike (1 for binary/ternary)
// + (last K chunk) T * ceil(m * n / C)          membrane updates, C neurons per cycle
// so time per timestep grows with activity.
#include "sim/arch/tile_kind.h"

namespace pjsim {

// The ledger category of the synaptic adds: one per spike and nonzero weight, the array's own
// work (a layer's dense MACs count slots a spiking array never spends).
inline constexpr const char* kSpikeSynapseCategory = "compute.spike_synapse";

class SpikingKind : public TileKind {
 public:
  explicit SpikingKind(const TileConfig& tile);
  void RegisterActions(EnergyLedger& ledger, const TechTable& tech) override;
  bool Supports(const Layer& layer) const override;
  GemmCost RunGemm(EnergyLedger& ledger, int layer_index, const Layer& layer,
                   const TileTask& task) const override;

  static std::int64_t Cycles(const TileConfig& tile, const Layer& layer, const TileTask& task);

 private:
  TileConfig tile_;
  ActionId synaptic_add_ = -1;  // accumulate of one weight into a neuron's input
  ActionId membrane_op_ = -1;   // leak, integrate-compare per neuron per timestep (2 adds)
};

}  // namespace pjsim
