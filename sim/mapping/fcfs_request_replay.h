#pragma once
// How tiles running side by side share the DRAM, request by request: each tile's tasks in order,
// each task's load issued when the task before it starts (two buffers) or ends (one), each
// output block stored when its task ends, all served by one first-come-first-served server at
// the DRAM's bandwidth, and a load's data arriving a round trip after its service. Unlike a
// fluid model of mean rates (processor sharing weighted by request size, which gives every tile
// the rate it asks for below saturation), this keeps the queue's variance: a small load that
// arrives behind another tile's large one waits for all of it, and a double buffer hides such a
// wait only up to one task's compute. The planner predicts expert layers' tiles with it.
#include <cstdint>
#include <vector>

namespace pjsim {

struct QueuedTask {
  double compute_cycles = 0;
  double load_bytes = 0;   // the task's operands from DRAM (0: already on chip)
  double store_bytes = 0;  // its output block, stored when it ends (0: none)
  bool single_buffered = false;
};

// Each tile's finish (its last task's end or its last store's, whichever is later), in cycles
// from all starting at 0. `dram_bytes_per_cycle`: the whole DRAM's bandwidth; `round_trip`:
// cycles from a load's service to its data in the tile (DRAM latency and hops). Deterministic:
// requests issued at the same time are served in tile order.
std::vector<double> FcfsReplayFinishCycles(const std::vector<std::vector<QueuedTask>>& tiles,
                                           double dram_bytes_per_cycle, double round_trip);

}  // namespace pjsim
