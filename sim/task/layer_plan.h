#pragma once
// A layer lowered to tile tasks: each tile's queue, the loads tiles share, the reductions of
// partial sums, and how the layer was cut, for the report.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/task/task_queue.h"
#include "sim/task/tile_task.h"

namespace pjsim {

// How a layer was cut into tasks, for the report.
struct Tiling {
  std::int64_t block_m = 0, block_k = 0, block_n = 0;  // elementwise: block_m x block_n elements
  std::int64_t tasks = 0;
  std::int64_t tiles_used = 0;
  // GEMM mappings (gemm_mapping.h): the spatial grid of tiles, and a one-line description.
  std::int64_t grid_m = 1, grid_n = 1, grid_k = 1;
  std::int64_t grid_b = 1;  // groups the products were split across (a grid each)
  std::string mapping;
  double predicted_cycles = 0;        // the mapping search's cost model
  double predicted_alone_cycles = 0;  // the same, with the whole DRAM to these tiles
  // mapping.refine: the mapping's place in the cost model's order and the candidates simulated
  // to choose it (0: chosen by the cost model alone).
  int estimate_rank = 0, refined_candidates = 0;
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
  std::vector<TaskQueue> per_tile;  // [tile][order]: held, or streamed (task_queue.h)
  // Loads shared by several tiles (Transfer::share): per share, the tiles (indices into
  // per_tile) that receive it. Every listed tile has exactly one load naming the share, and
  // tiles meet their shares in the same relative order, so a multicast that waits for all its
  // receivers to be ready cannot deadlock.
  std::vector<std::vector<int>> shares;
  // Reductions of partial sums (TileTask::reduction). A contributor never waits for its root,
  // so a root waiting for its contributors cannot deadlock.
  std::vector<PartialSumReduction> reductions;
  Tiling tiling;
  // Names the walk the tasks come from (WorkloadPlanner): plans of one nonzero `work` make the
  // same tasks but for where their tensors lie, each transfer at the same offset in the tensor
  // of its role (one walk, moved: MovedPlan). 0: not known to share its tasks with another plan.
  std::uint64_t work = 0;
};

}  // namespace pjsim
