#pragma once
// How layers running side by side on pipelined tile groups share the DRAM. The planner predicts
// each layer as if it had the DRAM to itself; here the pipeline's schedule is replayed as the
// platform runs it (in topological order, every layer whose predecessors are done starts once its
// group is free), and while layers overlap each one's loads share the DRAM with the others'.
// Each tile keeps one load in flight and the channels serve whole requests first come, first
// served, so layers that together want more than the DRAM gives get it in proportion to the
// bytes their tiles keep queued (q: a request per busy tile), not evenly, none more than it uses
// alone (b: its DRAM bytes at the sustained rate over its cycles alone); below saturation each
// gets what the others leave. And a layer's loads come in bursts (a grid's tiles issue in step)
// that find another layer's queued with the probability b_j that its loads are being served:
// its share is also at most q_i / (q_i + sum over the other running layers j of b_j q_j).
// The layer progresses at the pace its own cost model gives at that share (which still
// overlaps its loads with its compute), until the set of running layers changes.
#include <functional>
#include <vector>

namespace pjsim {

struct PipelinedLayer {
  int group = 0;                  // its tile group; one layer runs on a group at a time
  std::vector<int> predecessors;  // indices of the layers it waits for
  double dram_busy = 0;           // b: the fraction of its time alone its loads are served
  double queued_bytes = 1;        // q: the bytes its tiles keep queued at the DRAM (> 0)
  // Its cycles at `share` of the DRAM (1: alone) beside the layers of groups `beside`, as the
  // cost model predicts them.
  std::function<double(double share, const std::vector<int>& beside)> cycles;
};

// The share of the DRAM each of layers running together gets (`cycles` and `predecessors` are
// not read); 1 for a layer that loads nothing.
std::vector<double> DramShares(const std::vector<PipelinedLayer>& running);

struct PipelinedSpan {
  double start = 0, end = 0;  // cycles from the pass's start
};

// Each layer's span in the replayed schedule (indexed as `layers`). `order`: a topological order
// of the layers, the order the platform starts ready layers in.
std::vector<PipelinedSpan> PipelinedSchedule(const std::vector<PipelinedLayer>& layers,
                                             const std::vector<int>& order);

}  // namespace pjsim
