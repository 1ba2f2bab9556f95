#pragma once
// How tiles running side by side share the DRAM when its channels serve whole requests first
// come, first served and each tile keeps about one request queued: a fluid model. While the DRAM
// is the limit, every busy tile gets one request served per round, so a tile's bandwidth is in
// proportion to its request size, not an equal share; a tile that cannot go that fast (its own
// work: its compute, or its loads' round trips when it has the DRAM alone) takes only what it
// can, and the rest goes to the others in the same proportion. As tiles finish, the survivors
// share the whole bandwidth. (Processor sharing weighted by request size, the heavy-traffic limit
// of FCFS with one request per client; cf. Kleinrock, "Queueing Systems, Vol. 2", 1976, ch. 4.)
// The planner predicts expert layers' tiles with it (each expert's mapping is estimated at a
// fixed share, which misses the bandwidth freed as others finish).
#include <vector>

namespace pjsim {

struct TileDemand {
  double bytes = 0;          // DRAM bytes the tile moves (reads and writes)
  double request_bytes = 0;  // the mean size of its requests (> 0 when bytes > 0)
  double busy_cycles = 0;    // its time alone: it cannot move `bytes` faster than over this time
};

// Each tile's finish time, in cycles, from all starting at 0; `dram_bytes_per_cycle` is the whole
// DRAM's bandwidth. `by_request_size` false: every busy tile gets an equal share instead (the
// assumption the mapping search's per-expert estimates make), for comparison.
std::vector<double> FcfsFinishCycles(const std::vector<TileDemand>& tiles,
                                     double dram_bytes_per_cycle, bool by_request_size = true);

}  // namespace pjsim
