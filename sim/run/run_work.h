#pragma once
// How much simulation a run is, before running it: the weights of progress and ETA estimates
// (a run's progress on stderr, a sweep's ETA over points of different sizes). Tile tasks, which
// dominate simulation time, scale with a GEMM's MACs and a vector op's elements.
#include "sim/graph/layer.h"
#include "sim/workload/workload.h"

namespace pjsim {

// MACs of a GEMM op, output elements of a vector op; at least 1.
double LayerWork(const Layer& layer);
// Every layer's work times the passes.
double RunWork(const Workload& workload);

}  // namespace pjsim
