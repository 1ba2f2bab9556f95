#include "sim/sweep/slurm_sweep.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <ostream>
#include <sstream>

#include "sim/config/config_error.h"
#include "sim/config/file_text.h"
#include "sim/report/atomic_file.h"
#include "sim/sweep/slurm_array.h"
#include "sim/sweep/slurm_jobs.h"
#include "sim/sweep/tool_command.h"

namespace pjsim::sweep {
namespace {

namespace fs = std::filesystem;

std::string NumberText(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

// Blocks the signals that end the wait, restoring the old mask when done.
class WaitSignals {
 public:
  WaitSignals() {
    sigemptyset(&set_);
    for (const int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set_, s);
    sigprocmask(SIG_BLOCK, &set_, &old_);
  }
  ~WaitSignals() { sigprocmask(SIG_SETMASK, &old_, nullptr); }
  WaitSignals(const WaitSignals&) = delete;
  WaitSignals& operator=(const WaitSignals&) = delete;
  // Sleeps up to `seconds`; true if one of the signals arrived.
  bool Sleep(double seconds) const {
    const auto ns = static_cast<long long>(seconds * 1e9);
    timespec ts{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    const int sig = sigtimedwait(&set_, nullptr, &ts);
    return sig == SIGINT || sig == SIGTERM || sig == SIGHUP;
  }

 private:
  sigset_t set_, old_;
};

fs::path QueuedJobFile(const std::string& store_dir) {
  return fs::path(store_dir) / "slurm" / "queued_job";
}

}  // namespace

void RecordQueuedArray(const std::string& store_dir, const std::string& job_id) {
  WriteFileAtomically(QueuedJobFile(store_dir).string(), job_id + "\n");
}

void ForgetQueuedArray(const std::string& store_dir) {
  std::error_code ec;
  fs::remove(QueuedJobFile(store_dir), ec);
}

void RefuseWhileArrayQueued(const std::string& store_dir) {
  const fs::path file = QueuedJobFile(store_dir);
  std::error_code ec;
  if (!fs::exists(file, ec) || !OnPath("squeue")) return;
  const std::string job = FirstLine(ReadInputFile(file.string()));
  const std::optional<size_t> left = ArrayTasksLeft(job, nullptr);
  if (!left) return;  // the controller cannot tell: no reason to hold the user up
  if (*left > 0) {
    throw ConfigError({"<command line>", 0, 0},
                      "--resume: Slurm job " + job + " of this store still has " +
                          std::to_string(*left) +
                          " array tasks queued or running, which would run the missing points "
                          "again; wait until `squeue -j " +
                          job + "` lists nothing, or cancel them (scancel " + job + ")");
  }
  ForgetQueuedArray(store_dir);
}

SlurmPlan PlanArray(const SweepOptions& o, size_t point_count,
                    const std::vector<const DesignPoint*>& to_run) {
  SlurmPlan plan;
  plan.points_per_task =
      o.points_per_task > 0 ? o.points_per_task : DefaultPointsPerTask(point_count);
  for (const DesignPoint* p : to_run) {
    const size_t task = p->index / plan.points_per_task;
    if (plan.tasks.empty() || plan.tasks.back() != task) plan.tasks.push_back(task);
  }
  return plan;
}

std::string SubmitSweepArray(const SweepOptions& o, const SweepSpec& spec,
                             const std::string& store_dir, const SlurmPlan& plan) {
  const fs::path slurm_dir = fs::path(store_dir) / "slurm";
  std::error_code ec;
  fs::create_directories(slurm_dir, ec);
  if (ec) throw std::runtime_error("cannot create " + slurm_dir.string() + ": " + ec.message());
  // Every path absolute: the tasks start wherever Slurm puts them.
  std::vector<std::string> task = {o.executable,
                                   "sweep",
                                   fs::absolute(o.spec_path).lexically_normal().string(),
                                   "--out",
                                   store_dir,
                                   "--points-per-task",
                                   std::to_string(plan.points_per_task),
                                   "-j",
                                   std::to_string(o.jobs)};
  if (o.timeout_seconds > 0) task.insert(task.end(), {"--timeout", NumberText(o.timeout_seconds)});
  if (o.retry_failed) task.push_back("--retry-failed");
  if (!o.carbon_location.empty()) task.insert(task.end(), {"--carbon", o.carbon_location});
  if (!o.carbon_table.empty()) {
    task.insert(task.end(),
                {"--carbon-table", fs::absolute(o.carbon_table).lexically_normal().string()});
  }
  if (!o.pue.empty()) task.insert(task.end(), {"--pue", o.pue});
  if (!o.cpu.empty()) task.insert(task.end(), {"--cpu", o.cpu});
  task.push_back("--array-task");
  const std::string script = (slurm_dir / "array.sh").string();
  WriteFileAtomically(script, ArrayTaskScript(task));

  ArraySubmission s;
  s.script = script;
  s.array = ArrayRanges(plan.tasks);
  s.job_name = "pjsim-" + spec.name;
  s.output = (slurm_dir / "%A_%a.log").string();
  s.partition = o.partition;
  s.cpus_per_task = o.jobs;
  s.extra = o.slurm_args;
  try {
    return SubmitArray(s);
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    if (what.find("array") == std::string::npos || plan.tasks.back() < kDefaultMaxArrayTasks) {
      throw;
    }
    throw std::runtime_error(what + " (the highest index is " + std::to_string(plan.tasks.back()) +
                             "; the cluster's MaxArraySize may be lower: give more "
                             "--points-per-task)");
  }
}

bool WaitForArray(const std::string& job_id, const std::function<void()>& on_poll,
                  std::ostream& progress) {
  WaitSignals signals;
  double interval = 0.5;
  bool told_unreachable = false;
  while (true) {
    on_poll();
    std::string why;
    const std::optional<size_t> left = ArrayTasksLeft(job_id, &why);
    if (left && *left == 0) break;
    if (!left && !told_unreachable) {
      // The controller may be restarting: keep waiting (Ctrl-C cancels the job).
      progress << "squeue cannot tell how Slurm job " << job_id << " is doing (" << why
               << "); still waiting\n"
               << std::flush;
      told_unreachable = true;
    }
    if (signals.Sleep(interval)) {
      std::string cancel_error;
      if (!CancelJob(job_id, &cancel_error)) {
        progress << "could not cancel Slurm job " << job_id << ": " << cancel_error << "\n";
      }
      return false;
    }
    interval = std::min(10.0, interval * 1.25);
  }
  on_poll();
  return true;
}

}  // namespace pjsim::sweep
