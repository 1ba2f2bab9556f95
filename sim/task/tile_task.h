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

// How a layer was cut into tasks, for the report.
struct Tiling {
  std::int64_t block_m = 0, block_k = 0, block_n = 0;  // elementwise: block_m x block_n elements
  std::int64_t tasks = 0;
  std::int64_t tiles_used = 0;
  // GEMM mappings (gemm_mapping.h): the spatial grid of tiles, and a one-line description.
  std::int64_t grid_m = 1, grid_n = 1, grid_k = 1;
  std::string mapping;
  double predicted_cycles = 0;   // the mapping search's cost model
  double compulsory_bytes = 0;   // every operand read once, the output written once
  double lower_bound_bytes = 0;  // DRAM traffic no schedule with this SRAM can beat
  double planned_dram_read_bytes = 0;
  double planned_operand_b_bytes = 0;  // of which: weights / KV cache / table / gain
  double input_spikes = 0;             // spiking layers: input spikes over all tasks
  double planned_dram_write_bytes = 0;
  double planned_reduction_bytes = 0;  // partial sums sent tile to tile (K split across tiles)
};

// The partial sums of one output block computed on several tiles (each over its own range of
// K): `contributors` (indices into LayerPlan::per_tile) send theirs to `root`, which adds them
// into its own and stores the block.
struct PartialSumReduction {
  int root = 0;
  std::vector<int> contributors;
  std::int64_t elements = 0;       // of the output block
  std::int64_t partial_bytes = 0;  // one tile's partial sums of the block
};

struct LayerPlan {
  std::vector<std::vector<TileTask>> per_tile;  // [tile][order]
  // Loads shared by several tiles (Transfer::share): per share, the tiles (indices into
  // per_tile) that receive it. Every listed tile has exactly one load naming the share, and
  // tiles meet their shares in the same relative order, so a multicast that waits for all its
  // receivers to be ready cannot deadlock.
  std::vector<std::vector<int>> shares;
  // Reductions of partial sums (TileTask::reduction). A contributor never waits for its root,
  // so a root waiting for its contributors cannot deadlock.
  std::vector<PartialSumReduction> reductions;
  Tiling tiling;
};

}  // namespace pjsim
