#include "sim/sweep/array_task.h"

#include <filesystem>
#include <ostream>
#include <sstream>

#include "sim/config/config_error.h"
#include "sim/sweep/point_job.h"
#include "sim/sweep/point_work.h"
#include "sim/sweep/progress.h"
#include "sim/sweep/result_store.h"
#include "sim/sweep/slurm_array.h"

namespace pjsim::sweep {

namespace fs = std::filesystem;

int RunArrayTask(const SweepOptions& o, const SweepSpec& spec,
                 const std::vector<DesignPoint>& points, SweepCarbonRun carbon, std::ostream& out,
                 std::ostream& progress_out) {
  const double cpu_at_start = CpuSecondsUsed();
  const size_t task = static_cast<size_t>(o.array_task);
  const TaskBatch batch = ArrayTaskBatch(task, o.points_per_task, points.size());
  if (batch.first >= batch.end) {
    throw ConfigError({"<command line>", 0, 0},
                      "--array-task " + std::to_string(task) + ": the sweep has " +
                          std::to_string(ArrayTaskCount(points.size(), o.points_per_task)) +
                          " tasks of " + std::to_string(o.points_per_task) + " points");
  }
  auto store = ResultStore::OpenForTask(o.out_dir, spec, points, batch.first, batch.end);
  std::error_code ec;
  fs::create_directories(fs::path(store->dir()) / "scratch", ec);

  std::vector<PointJob> jobs;
  std::vector<const DesignPoint*> to_run;
  for (size_t i = batch.first; i < batch.end; ++i) {
    const DesignPoint& p = points[i];
    const PointResult* done = store->Find(i);
    // Skipped points were recorded when the store was opened; a point without a record is one
    // the submitting sweep found missing too.
    const bool retry =
        done && o.retry_failed &&
        (done->status == PointStatus::kFailed || done->status == PointStatus::kTimeout);
    if (p.skip_reason.empty() && (!done || retry)) {
      jobs.push_back(MakePointJob(o, spec, p, *store));
      to_run.push_back(&p);
    }
  }
  const size_t batch_size = batch.end - batch.first;
  progress_out << "sweep '" << spec.name << "' array task " << task << ": points "
               << points[batch.first].id << "-" << points[batch.end - 1].id << ", "
               << batch_size - jobs.size() << " already done or skipped, running " << jobs.size()
               << " with -j " << o.jobs << " into " << store->dir() << "\n"
               << std::flush;
  const std::vector<double> sizes =
      PointWork(to_run, jobs.empty() ? fs::path(".") : fs::path(jobs.front().command.cwd));
  double work = 0;
  for (double s : sizes) work += s;
  Progress progress(progress_out, false, batch_size, batch_size - jobs.size(), work);
  size_t failed = 0;
  const auto on_finish = [&](const JobOutcome& r) {
    const DesignPoint& p = points[r.index];
    const RecordedPoint rec = RecordPointOutcome(r, p, *store);
    failed += rec.result->status == PointStatus::kOk ? 0 : 1;
    size_t j = 0;
    while (j < to_run.size() && to_run[j] != &p) ++j;
    progress.PointFinished(p.id, std::string(StatusName(rec.result->status)), p.Label(spec),
                           rec.error, MetricNumber(*rec.result, "total.macs"),
                           MetricNumber(*rec.result, "simulation.tile_tasks"),
                           j < sizes.size() ? sizes[j] : 0);
  };
  RunnerOptions runner;
  runner.jobs = o.jobs;
  runner.timeout_seconds = o.timeout_seconds;
  const bool completed = RunJobs(jobs, runner, on_finish, [&progress] { progress.Tick(); });
  progress.Finish();

  carbon.points_run = progress.RunThisTime();
  carbon.cpu_seconds = CpuSecondsUsed() - cpu_at_start;
  carbon.wall_seconds = progress.ElapsedSeconds();
  AppendSweepCarbonShared(store->dir(), carbon);
  std::ostringstream timing;
  timing.precision(3);
  timing << progress.ElapsedSeconds();
  if (!completed) {
    progress_out << "array task " << task << " interrupted after " << progress.RunThisTime()
                 << " of " << jobs.size() << " points; the others stay missing for --resume\n";
    return 130;
  }
  out << "sweep '" << spec.name << "' array task " << task << ": ran " << progress.RunThisTime()
      << " points in " << timing.str() << " s, " << failed << " failed or timed out\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace pjsim::sweep
