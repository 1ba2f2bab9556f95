#pragma once
// The carbon footprint of a sweep itself: the Green Algorithms method (Lannelongue, Grealey &
// Inouye, Advanced Science 2021) applied to the CPU time the sweep used, core-seconds x power per
// core x PUE x carbon intensity (docs/CARBON.md). Each invocation (a first run, every --resume)
// appends its own entry to the store's carbon.json and updates it as it goes; the totals are the
// sums over the entries.
#include <string>

#include "sim/energy/carbon_footprint.h"

namespace pjsim::sweep {

// CPU seconds (user + system) used so far by this process and the children it has waited for.
double CpuSecondsUsed();

struct SweepCarbonRun {
  size_t points_run = 0;
  double cpu_seconds = 0;  // core-seconds: the driver's and its `pjsim run` children's
  double wall_seconds = 0;
  std::string cpu;  // preset of the table's `cpus`
  CarbonFactor w_per_core;
  CarbonInputs inputs;
};

// Writes `run` into DIR/carbon.json (atomically) and returns the store's total grams: `first`
// appends it as a new entry; otherwise it replaces the last entry, this invocation's (the store
// is locked to it), so that an invocation killed mid-sweep keeps the CPU time of its last update.
double RecordSweepCarbon(const std::string& dir, const SweepCarbonRun& run, bool first);

// Appends `run` as a new entry while other processes may do the same (the tasks of a Slurm array
// and the sweep that submitted it share the store's lock): serialized by DIR/.carbon.lock.
double AppendSweepCarbonShared(const std::string& dir, const SweepCarbonRun& run);

}  // namespace pjsim::sweep
