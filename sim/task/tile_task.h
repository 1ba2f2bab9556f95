#pragma once
// The unit of simulated work: what one tile does between two waits. A layer becomes a list of
// tile tasks per tile; the SystemC tile loads the task's operands, computes, and stores.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/task/array_timing.h"

namespace pjsim {

struct Transfer {
  std::uint64_t address = 0;  // DRAM byte address (selects channel, bank and row)
  std::int64_t bytes = 0;
  // Loads only: -1, or the index of the LayerPlan::shares entry this load belongs to: the
  // tiles listed there receive the same bytes from one DRAM read, multicast over the NoC.
  std::int32_t share = -1;
};

enum class TaskKind { kGemm, kElementwise };

struct TileTask {
  int layer = 0;
  TaskKind kind = TaskKind::kGemm;
  GemmTask gemm;              // kGemm: this task's M x K x N chunk
  std::int64_t elements = 0;  // kElementwise: outputs computed
  bool first_k = true;        // kGemm: starts a fresh accumulation (no partial sums to read)
  bool last_k = true;         // kGemm: finishes the output block (store it)
  // kGemm on an output-stationary array, output block of one fold (CanAccumulateInArray): the
  // block's K chunks accumulate in the PEs. A task with !first_k adds onto the sums the previous
  // task on this tile left in the array (reads none from SRAM); one with !last_k leaves its sums
  // there (no drain, no partial sums written, array_timing.h).
  bool accumulate_in_array = false;
  // kGemm: the mapping runs one buffer per operand chunk and output block on a tile that has two
  // (GemmMapping::single_buffered): the task takes every operand buffer (its loads wait until the
  // task before it has computed) and every output buffer (its block's compute waits until the
  // block before it is stored).
  bool single_buffered = false;
  // kGemm, last_k: -1, or the index of the LayerPlan::reductions entry this task's partial sums
  // belong to (K split across tiles): the root waits for the other tiles' partial sums, adds
  // them and stores the block; every other tile sends its partial sums to the root.
  std::int32_t reduction = -1;
  double input_spikes = 0;   // spiking layers: spikes in this task's input block (all timesteps)
  double output_spikes = 0;  // spiking layers (last_k): spikes the output block emits
  // Spiking layers: weight rows the array reads from SRAM, one per input spike, or one per
  // active input per batch of buffered (row, timestep) slots (TileConfig::spike_batch).
  double weight_row_reads = 0;
  // DRAM -> SRAM before compute (bytes == 0: nothing to load), issued in Loads() order.
  Transfer input;         // activations: the GEMM's operand A block, a vector op's first input
  Transfer second_input;  // elementwise ops of two inputs: the second
  Transfer weights;       // operand B: weights or KV cache (GEMM), norm gain, embedding table rows
  Transfer store;         // SRAM -> DRAM after compute (bytes == 0: nothing to store)
  // Operand B gathered from scattered rows (spiking layers: the rows of inputs that spiked):
  // read from DRAM as these burst-aligned ranges instead of `weights`' one range, whose `bytes`
  // stay what the SRAM receives. Empty: `weights` is read as it stands.
  std::vector<Transfer> weight_gather;

  // Activations first, then operand B: DRAM and NoC timing depend on the order.
  std::array<Transfer, 3> Loads() const { return {input, second_input, weights}; }
};

}  // namespace pjsim
