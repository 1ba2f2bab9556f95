#include "sim/sweep/sweep_driver.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <ostream>
#include <sstream>
#include <thread>

#include "sim/config/config_error.h"
#include "sim/config/yaml_reader.h"
#include "sim/sweep/array_task.h"
#include "sim/sweep/build_fingerprint.h"
#include "sim/sweep/derived_open_names.h"
#include "sim/sweep/design_points.h"
#include "sim/sweep/point_job.h"
#include "sim/sweep/point_work.h"
#include "sim/sweep/progress.h"
#include "sim/sweep/report_metrics.h"
#include "sim/sweep/result_store.h"
#include "sim/sweep/slurm_array.h"
#include "sim/sweep/slurm_jobs.h"
#include "sim/sweep/slurm_sweep.h"
#include "sim/sweep/sweep_carbon.h"
#include "sim/sweep/sweep_runner.h"

namespace pjsim::sweep {
namespace {

namespace fs = std::filesystem;

// Results files are rewritten while points finish at most every this many seconds, and at most
// 1/kRewriteShare of the time (big stores take long to rewrite); always at the end. Rewriting
// them per point would cost O(points^2) bytes on big sweeps.
constexpr double kResultsRewriteSeconds = 2.0;
constexpr double kRewriteShare = 10.0;

// "arch.tile.rows x arch.tile.cols (zipped, 3) x arch.dram.type (4)".
std::string AxesText(const SweepSpec& spec) {
  std::string out;
  std::map<std::string, bool> zip_done;
  for (const auto& axis : spec.axes) {
    if (!axis.zip.empty() && zip_done[axis.zip]) continue;
    std::string term = axis.key;
    if (!axis.zip.empty()) {
      zip_done[axis.zip] = true;
      for (const auto& other : spec.axes) {
        if (other.zip == axis.zip && &other != &axis) term += " + " + other.key;
      }
      term = "(" + term + " zipped)";
    }
    out += (out.empty() ? "" : " x ") + term + " [" + std::to_string(axis.values.size()) + "]";
  }
  return out;
}

void PrintDryRun(const SweepSpec& spec, const std::vector<DesignPoint>& points, size_t shown,
                 std::ostream& out) {
  std::map<std::string, size_t> reasons;
  for (const auto& p : points) {
    if (!p.skip_reason.empty()) ++reasons[p.skip_reason];
  }
  size_t skipped = 0;
  for (const auto& [reason, n] : reasons) skipped += n;
  out << "sweep '" << spec.name << "' (" << spec.file << "): " << points.size() << " points, "
      << points.size() - skipped << " to run, " << skipped << " skipped by filters\n";
  out << "  axes: " << AxesText(spec) << "\n";
  out << "  base: arch=" << (spec.arch.empty() ? "(axis)" : spec.arch)
      << " tech=" << (spec.tech.empty() ? "(from arch)" : spec.tech)
      << " workload=" << (spec.workload.empty() ? "(axis)" : spec.workload) << "\n";
  for (const auto& [key, value] : spec.set) out << "  set: " << key << "=" << value << "\n";
  for (const auto& [reason, n] : reasons) out << "  skipped " << n << ": " << reason << "\n";
  out << "first " << std::min(shown, points.size()) << " points (id, config hash, overrides):\n";
  for (size_t i = 0; i < points.size() && i < shown; ++i) {
    const DesignPoint& p = points[i];
    out << "  " << p.id << "  " << p.config_hash << "  " << p.Label(spec);
    if (!p.skip_reason.empty()) out << "  [skipped: " << p.skip_reason << "]";
    out << "\n";
  }
}

// The open report names not checked before the run (area.*, carbon.*; ledger categories and
// config keys are checked by CheckOpenDerivedNames first): once points have run, a name that no
// ok point's report has is a typo that would leave the column silently empty: an error at the
// name's column.
void CheckDerivedNames(const SweepSpec& spec, const std::vector<DesignPoint>& points,
                       const ResultStore& store) {
  std::vector<const PointResult*> ok;
  for (const auto& p : points) {
    const PointResult* r = store.Find(p.index);
    if (r && r->status == PointStatus::kOk) ok.push_back(r);
  }
  if (ok.empty()) return;
  std::vector<std::string> derived;
  for (const auto& column : spec.derived) {
    for (const auto& ref : column.expr.references()) {
      if (spec.AxisIndex(ref.name) >= 0 || !IsReportName(ref.name) ||
          std::find(derived.begin(), derived.end(), ref.name) != derived.end()) {
        continue;
      }
      const bool found = std::any_of(ok.begin(), ok.end(), [&](const PointResult* r) {
        return r->metrics.count(ref.name) > 0;
      });
      if (found) continue;
      std::vector<std::string> known;
      for (const auto& [name, value] : ok.front()->metrics) known.push_back(name);
      const std::string guess = DidYouMean(ref.name, known);
      column.expr.Fail(ref.offset, "no point's report has '" + ref.name + "'" +
                                       (guess.empty() ? "" : " (did you mean '" + guess + "'?)") +
                                       "; the column would be empty (results are kept)");
    }
    derived.push_back(column.name);
  }
}

// The sweep's own carbon inputs, checked before anything runs.
SweepCarbonRun SweepCarbonInputs(const SweepOptions& o) {
  const CarbonTable table = LoadCarbonTableFile(o.carbon_table);
  SweepCarbonRun run;
  run.inputs = SelectCarbon(table, o.carbon_location, ParsePueFlag(o.pue));
  run.cpu = o.cpu.empty() ? table.default_cpu : o.cpu;
  const auto it = table.cpu_w_per_core.find(run.cpu);
  if (it == table.cpu_w_per_core.end()) {
    std::string known;
    for (const auto& [name, w] : table.cpu_w_per_core) known += (known.empty() ? "" : ", ") + name;
    throw ConfigError({"<command line>", 0, 0},
                      "--cpu: '" + run.cpu + "' is not in " + table.file + "; known: " + known);
  }
  run.w_per_core = it->second;
  return run;
}

}  // namespace

int RunSweep(const SweepOptions& o, std::ostream& out, std::ostream& progress_out) {
  const SweepSpec spec = LoadSweepSpec(o.spec_path);
  const std::vector<DesignPoint> points = ExpandDesignPoints(spec);
  CheckOpenDerivedNames(spec, points);
  if (o.dry_run) {
    PrintDryRun(spec, points, o.dry_run_shown, out);
    return 0;
  }
  SweepCarbonRun carbon = SweepCarbonInputs(o);
  if (o.array_task >= 0) return RunArrayTask(o, spec, points, carbon, out, progress_out);
  if (o.slurm) RequireSlurmClients();
  const double cpu_at_start = CpuSecondsUsed();
  const std::string dir = o.out_dir.empty() ? "out/sweeps/" + spec.name : o.out_dir;
  auto store = ResultStore::Open(dir, spec, points, o.resume);
  if (store->StalePoints() > 0) {
    const size_t stale = store->StalePoints();
    progress_out << "pjsim sweep: " << store->dir() << ": " << stale
                 << (stale == 1 ? " point was" : " points were")
                 << " made by another pjsim build; running " << (stale == 1 ? "it" : "them")
                 << " again with this one (build " << ThisBuildFingerprint() << ")\n";
  }
  // This invocation's entry in the store's carbon.json, kept up to date as points finish.
  const auto record_carbon = [&](size_t points_run, double wall_seconds, bool first) {
    carbon.points_run = points_run;
    carbon.cpu_seconds = CpuSecondsUsed() - cpu_at_start;
    carbon.wall_seconds = wall_seconds;
    // On Slurm the array's tasks add entries of their own (counting the points) meanwhile:
    // this invocation appends its entry once, when it is done.
    if (o.slurm) {
      carbon.points_run = 0;
      return first ? 0.0 : AppendSweepCarbonShared(store->dir(), carbon);
    }
    return RecordSweepCarbon(store->dir(), carbon, first);
  };
  if (o.resume) RefuseWhileArrayQueued(store->dir());
  record_carbon(0, 0, true);
  std::error_code ec;
  fs::create_directories(fs::path(store->dir()) / "scratch", ec);

  std::vector<PointJob> jobs;
  std::vector<const DesignPoint*> to_run;
  for (const auto& p : points) {
    const PointResult* done = store->Find(p.index);
    const bool retry =
        done && o.retry_failed &&
        (done->status == PointStatus::kFailed || done->status == PointStatus::kTimeout);
    if (!done || retry) {
      jobs.push_back(MakePointJob(o, spec, p, *store));
      to_run.push_back(&p);
    }
  }
  // Points a filter skips are recorded when the store opens: they were never run, so they are
  // not "already done".
  const size_t skipped =
      static_cast<size_t>(std::count_if(points.begin(), points.end(), [&](const DesignPoint& p) {
        const PointResult* done = store->Find(p.index);
        return done && done->status == PointStatus::kSkipped;
      }));
  const size_t already = points.size() - jobs.size() - skipped;
  const bool on_slurm = o.slurm && !jobs.empty();
  const SlurmPlan plan = on_slurm ? PlanArray(o, points.size(), to_run) : SlurmPlan{};
  progress_out << "sweep '" << spec.name << "': " << points.size() << " points";
  if (skipped) progress_out << ", " << skipped << " skipped by filters";
  if (already) progress_out << ", " << already << " already done";
  progress_out << ", running " << jobs.size();
  if (on_slurm) {
    progress_out << " on Slurm (" << plan.tasks.size()
                 << (plan.tasks.size() == 1 ? " array task" : " array tasks") << " of up to "
                 << plan.points_per_task << " points, -j " << o.jobs << " in each)";
  } else {
    progress_out << " with -j " << o.jobs;
  }
  progress_out << " into " << store->dir() << "\n" << std::flush;
  store->Log("start spec=" + o.spec_path + " points=" + std::to_string(points.size()) +
             " already_done=" + std::to_string(already) + " skipped=" + std::to_string(skipped) +
             " to_run=" + std::to_string(jobs.size()) + " jobs=" + std::to_string(o.jobs) +
             (o.timeout_seconds > 0 ? " timeout=" + std::to_string(o.timeout_seconds) + "s" : ""));

  // Points' sizes weigh the ETA (their paths are relative to the spec, where their runs start).
  const std::vector<double> sizes =
      PointWork(to_run, jobs.empty() ? fs::path(".") : fs::path(jobs.front().command.cwd));
  std::map<size_t, double> size_of;
  double work_to_run = 0;
  for (size_t j = 0; j < jobs.size(); ++j) {
    size_of[jobs[j].index] = sizes[j];
    work_to_run += sizes[j];
  }
  Progress progress(progress_out, o.terminal, points.size(), already + skipped, work_to_run);
  auto last_write = std::chrono::steady_clock::now();
  double rewrite_interval = kResultsRewriteSeconds;
  // A point is done (run here, or recorded by an array task): progress, log, and now and then
  // the results files.
  const auto finished = [&](const DesignPoint& p, const PointResult& result,
                            const std::string& error, const std::string& how) {
    progress.PointFinished(p.id, std::string(StatusName(result.status)), p.Label(spec), error,
                           MetricNumber(result, "total.macs"),
                           MetricNumber(result, "simulation.tile_tasks"), size_of[p.index]);
    store->Log("point " + p.id + " " + std::string(StatusName(result.status)) + " " + how +
               (error.empty() ? "" : ": " + error));
    const auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - last_write).count() >= rewrite_interval) {
      store->WriteResults();
      if (!o.slurm) record_carbon(progress.RunThisTime(), progress.ElapsedSeconds(), false);
      last_write = std::chrono::steady_clock::now();
      const double took = std::chrono::duration<double>(last_write - now).count();
      rewrite_interval = std::max(kResultsRewriteSeconds, kRewriteShare * took);
    }
  };
  bool completed = true;
  std::string job_id;
  std::vector<const DesignPoint*> missing;  // on Slurm: points no task has recorded yet
  if (on_slurm) {
    // A retried point counts as done once its file is a new one (atomic writes rename).
    std::map<size_t, fs::file_time_type> old_record;
    for (const DesignPoint* p : to_run) {
      if (store->Find(p->index)) {
        old_record[p->index] = fs::last_write_time(store->PointFile(*p), ec);
      }
    }
    store->ShareLock();  // the tasks share it; a local sweep on the store is refused meanwhile
    try {
      job_id = SubmitSweepArray(o, spec, store->dir(), plan);
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(std::string(e.what()) +
                               "; nothing was submitted: fix it and rerun with --resume");
    }
    RecordQueuedArray(store->dir(), job_id);
    const std::string logs = store->dir() + "/slurm/" + job_id + "_<task>.log";
    store->Log("slurm job " + job_id + " array=" + ArrayRanges(plan.tasks) +
               " points_per_task=" + std::to_string(plan.points_per_task));
    progress_out << "submitted Slurm job " << job_id << ", array " << ArrayRanges(plan.tasks)
                 << "; task logs: " << logs << "\n"
                 << std::flush;
    if (o.submit_only) {
      store->WriteResults();
      record_carbon(0, progress.ElapsedSeconds(), false);
      out << "submitted Slurm job " << job_id << ": " << plan.tasks.size() << " array tasks for "
          << jobs.size() << " points of sweep '" << spec.name << "' into " << store->dir()
          << "\nonce it has finished (squeue -j " << job_id
          << " lists nothing), collect the results with:\n  pjsim sweep " << o.spec_path
          << " --out " << store->dir() << " --resume\n";
      return 0;
    }
    missing = to_run;
    const auto collect = [&] {
      std::vector<const DesignPoint*> left;
      for (const DesignPoint* p : missing) {
        std::error_code stat_error;
        const auto written = fs::last_write_time(store->PointFile(*p), stat_error);
        const auto old = old_record.find(p->index);
        if (stat_error || (old != old_record.end() && old->second == written)) {
          left.push_back(p);
          continue;
        }
        const PointResult* r = store->Reload(*p);
        finished(*p, *r, r->error, "(Slurm job " + job_id + ")");
      }
      missing = std::move(left);
      progress.Tick();
    };
    completed = WaitForArray(job_id, collect, progress_out);
    if (completed) {
      // squeue lists no task once they have ended; their shared locks end with them.
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (!store->TryExclusiveLock()) {
        if (std::chrono::steady_clock::now() > give_up) {
          throw std::runtime_error("the tasks of Slurm job " + job_id + " still hold " +
                                   store->dir() +
                                   "/.lock though squeue lists none; collect the results with "
                                   "--resume once they are gone");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
      store->RemoveLeftovers();
      ForgetQueuedArray(store->dir());
      collect();
    }
  } else {
    const auto on_finish = [&](const JobOutcome& r) {
      const DesignPoint& p = points[r.index];
      const RecordedPoint recorded = RecordPointOutcome(r, p, *store);
      std::ostringstream wall;
      wall.precision(3);
      wall << std::fixed << r.wall_seconds;
      finished(p, *recorded.result, recorded.error, wall.str() + " s");
    };
    RunnerOptions runner;
    runner.jobs = o.jobs;
    runner.timeout_seconds = o.timeout_seconds;
    completed = RunJobs(jobs, runner, on_finish, [&progress] { progress.Tick(); });
  }
  progress.Finish();
  store->WriteResults();
  // Interrupted on Slurm, cancelled tasks may still be writing their scratch files.
  if (!on_slurm || completed) fs::remove_all(fs::path(store->dir()) / "scratch", ec);
  if (completed) CheckDerivedNames(spec, points, *store);

  std::map<PointStatus, size_t> counts;
  for (const auto& p : points) {
    if (const PointResult* r = store->Find(p.index)) ++counts[r->status];
  }
  const double elapsed = progress.ElapsedSeconds();
  std::ostringstream summary;
  summary << "sweep '" << spec.name << "': " << points.size()
          << " points: " << counts[PointStatus::kOk] << " ok, " << counts[PointStatus::kFailed]
          << " failed, " << counts[PointStatus::kTimeout] << " timed out, "
          << counts[PointStatus::kSkipped] << " skipped";
  if (!missing.empty()) summary << ", " << missing.size() << " missing";
  std::ostringstream timing;
  timing.precision(3);
  timing << "ran " << progress.RunThisTime() << " in " << elapsed << " s";
  if (elapsed > 0 && progress.RunThisTime() > 0) {
    timing << " (" << static_cast<double>(progress.RunThisTime()) / elapsed << " points/s, "
           << SiText(progress.SimulatedMacs() / elapsed) << "MAC/s and "
           << SiText(progress.TileTasks() / elapsed) << "tile tasks/s simulated)";
  }
  store->Log((completed ? "finished: " : "interrupted: ") + summary.str() + "; " + timing.str());
  const double store_grams = record_carbon(progress.RunThisTime(), elapsed, false);
  std::ostringstream carbon_text;
  carbon_text.precision(3);
  carbon_text << "carbon of this sweep: " << std::scientific
              << Footprint(carbon.inputs, carbon.cpu_seconds * carbon.w_per_core.value).grams
              << " gCO2e for " << std::fixed << carbon.cpu_seconds << " CPU s (" << carbon.cpu
              << ", " << carbon.inputs.location.key << "), store total " << std::scientific
              << store_grams << " gCO2e: " << store->dir() << "/carbon.json\n";
  if (!completed) {
    if (on_slurm) progress_out << "cancelled Slurm job " << job_id << "\n";
    progress_out << "interrupted: " << store->FinishedCount() << " of " << points.size()
                 << " points are recorded; continue with --resume\n";
    progress_out << carbon_text.str();
    return 130;
  }
  out << summary.str() << "; " << timing.str() << "\n";
  out << "results: " << store->dir() << "/results.csv and results.jsonl\n";
  out << carbon_text.str();
  if (!missing.empty()) {
    std::vector<size_t> tasks;
    for (const DesignPoint* p : missing) {
      const size_t t = p->index / plan.points_per_task;
      if (tasks.empty() || tasks.back() != t) tasks.push_back(t);
    }
    out << missing.size() << (missing.size() == 1 ? " point" : " points") << " missing: array "
        << (tasks.size() == 1 ? "task " : "tasks ") << ArrayRanges(tasks) << " of Slurm job "
        << job_id
        << " ended before recording them (cancelled, failed, out of time or node lost; see "
        << store->dir() << "/slurm/" << job_id << "_<task>.log); run them with --resume\n";
  }
  const bool all_ok =
      counts[PointStatus::kFailed] == 0 && counts[PointStatus::kTimeout] == 0 && missing.empty();
  return all_ok ? 0 : 1;
}

}  // namespace pjsim::sweep
