#pragma once
// One design point as a `pjsim run` child process, and its outcome recorded into the store: the
// same code for a local sweep and for a Slurm array task, so both write the same point files.
#include <string>

#include "sim/sweep/result_store.h"
#include "sim/sweep/sweep_driver.h"
#include "sim/sweep/sweep_runner.h"

namespace pjsim::sweep {

// The `pjsim run` that computes `p`, writing into the store's scratch directory.
PointJob MakePointJob(const SweepOptions& o, const SweepSpec& spec, const DesignPoint& p,
                      const ResultStore& store);

struct RecordedPoint {
  const PointResult* result = nullptr;
  std::string error;  // "" when ok
};

// Records how `p`'s run ended (its report.json when it exited 0) as points/<id>.json and removes
// its scratch output.
RecordedPoint RecordPointOutcome(const JobOutcome& outcome, const DesignPoint& p,
                                 ResultStore& store);

// A numeric metric of a recorded point; 0 when it has none.
double MetricNumber(const PointResult& r, const std::string& name);

}  // namespace pjsim::sweep
