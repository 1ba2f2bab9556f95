#pragma once
// One task of a Slurm job array (`pjsim sweep SPEC --out DIR --array-task I --points-per-task N`,
// what the batch script of `--backend slurm` runs): runs the points of batch I that the store
// lacks, exactly as a local sweep runs a point, and records each atomically. It shares the store
// with the array's other tasks, so it writes nothing but its own points' files (and its entry in
// carbon.json); the sweep that submitted the array, or a later --resume, writes the results files.
// Killed midway (scancel, time limit, lost node), it leaves its unfinished points missing.
#include <iosfwd>
#include <vector>

#include "sim/sweep/design_points.h"
#include "sim/sweep/sweep_carbon.h"
#include "sim/sweep/sweep_driver.h"

namespace pjsim::sweep {

// Exit status as RunSweep's: 0 every point of the batch ok (or skipped), 1 some failed, 130 if
// a signal stopped it.
int RunArrayTask(const SweepOptions& o, const SweepSpec& spec,
                 const std::vector<DesignPoint>& points, SweepCarbonRun carbon, std::ostream& out,
                 std::ostream& progress_out);

}  // namespace pjsim::sweep
