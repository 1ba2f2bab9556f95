#pragma once
// The submitting side of `pjsim sweep --backend slurm`: the points to run become one job array
// (task I runs points [I*N, (I+1)*N), sim/sweep/slurm_array.h), each task runs
// `pjsim sweep SPEC --out DIR --array-task I` (sim/sweep/array_task.h) into the same store, and
// this side waits for the array, collecting the points as the tasks record them.
#include <functional>
#include <string>
#include <vector>

#include "sim/sweep/design_points.h"
#include "sim/sweep/sweep_driver.h"

namespace pjsim::sweep {

struct SlurmPlan {
  size_t points_per_task = 0;
  std::vector<size_t> tasks;  // the array's indices: the tasks that have a point to run
};

// The array for running `to_run` out of `point_count` points (o.points_per_task, or the
// default).
SlurmPlan PlanArray(const SweepOptions& o, size_t point_count,
                    const std::vector<const DesignPoint*>& to_run);

// Writes DIR/slurm/array.sh and submits it; returns the job id. Tasks log to
// DIR/slurm/<job>_<task>.log.
std::string SubmitSweepArray(const SweepOptions& o, const SweepSpec& spec,
                             const std::string& store_dir, const SlurmPlan& plan);

// DIR/slurm/queued_job names the array job a sweep submitted until it is known to have ended.
// With it present and squeue on PATH, a --resume (on either backend) is refused while the job
// has tasks queued or running: they would run the same points a second time. Throws ConfigError
// then; removes the file once squeue says the job is over.
void RefuseWhileArrayQueued(const std::string& store_dir);
void RecordQueuedArray(const std::string& store_dir, const std::string& job_id);
void ForgetQueuedArray(const std::string& store_dir);

// Waits until no task of `job_id` is queued or running, calling `on_poll` as it goes (and once
// at the end), less often the longer the job runs (0.5 s up to 10 s), so that squeue and the
// shared filesystem are not polled harder than a person would. Returns false if SIGINT, SIGTERM
// or SIGHUP interrupted the wait; the job is then cancelled (scancel).
bool WaitForArray(const std::string& job_id, const std::function<void()>& on_poll,
                  std::ostream& progress);

}  // namespace pjsim::sweep
