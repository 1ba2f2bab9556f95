#pragma once
// The sweep's ETA weighs points by their size: a sweep over workloads mixes runs that differ a
// thousandfold (one layer against a whole model), and a count of points done says little about
// the time left. A point's size is RunWork of its workload with its overrides (sim/run/run_work.h).
#include <filesystem>
#include <vector>

#include "sim/sweep/design_points.h"

namespace pjsim::sweep {

// The size of each of `points` (paths relative to `base`). A workload is loaded once per file and
// set of workload overrides. A point whose configuration does not load (it will fail quickly)
// counts as the mean of the others; all 1 when none loads.
std::vector<double> PointWork(const std::vector<const DesignPoint*>& points,
                              const std::filesystem::path& base);

}  // namespace pjsim::sweep
