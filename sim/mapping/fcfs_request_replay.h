#pragma once
// How tiles running side by side share the DRAM, request by request: each tile's tasks in order,
// each task's load issued when the task before it starts (two buffers) or ends (one), each
// output block stored when its task ends, all served first come, first served (without `ports`
// by one server at the DRAM's bandwidth; with them, below, by each channel), and a load's data
// arriving a round trip after its service. Unlike a
// fluid model of mean rates (processor sharing weighted by request size, which gives every tile
// the rate it asks for below saturation), this keeps the queue's variance: a small load that
// arrives behind another tile's large one waits for all of it, and a double buffer hides such a
// wait only up to one task's compute. The planner predicts expert layers' tiles with it.
// With `ports` (channel_port_replay.h; the planner passes them wherever there are channels) each
// channel serves its pieces of every transfer first come, first served, and a load's data is in
// once its last channel has served its piece (a fork and join over the channels the interleave
// gives it) and, on a NoC whose waiting trains hold their channel, its trains have also passed
// the channels' injection ports and its receivers' ejection ports; the transfers are then
// separate requests, a shared one (multicast) issued when its last receiver issues it, as the
// tiles do.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/mapping/channel_port_replay.h"

namespace pjsim {

// One DRAM transfer to several tiles (a multicast share, or one tile's own transfer).
struct QueuedRequest {
  std::vector<double> pieces;     // bytes per channel (ChannelPortReplay::Pieces)
  std::vector<size_t> receivers;  // tile indices; each names this request in one of its tasks
};

struct QueuedTask {
  double compute_cycles = 0;
  double load_bytes = 0;   // the task's operands from DRAM as one request (0: none)
  double store_bytes = 0;  // its output block, stored when it ends (0: none)
  bool single_buffered = false;
  // With ports: its loads as requests (indices into the QueuedRequests), its store's bytes per
  // channel.
  std::vector<size_t> requests;
  std::vector<double> store_pieces;
};

// Each tile's finish (its last task's end or its last store's, whichever is later), in cycles
// from all starting at 0. `dram_bytes_per_cycle`: the whole DRAM's bandwidth; `round_trip`:
// cycles from a load's service to its data in the tile (DRAM latency and hops); `ports` (may be
// null): the channels and their trains through the NoC's ports, for the tasks' `requests` and
// `store_pieces` (each channel then also waits for its bus to turn between loads and stores,
// ChannelPortReplay). Deterministic: requests issued at the same time are served in tile order.
std::vector<double> FcfsReplayFinishCycles(const std::vector<std::vector<QueuedTask>>& tiles,
                                           double dram_bytes_per_cycle, double round_trip,
                                           const std::vector<QueuedRequest>& requests = {},
                                           ChannelPortReplay* ports = nullptr);

}  // namespace pjsim
