#pragma once
// Runs design points as child processes, N at a time, in point order, with an optional per-point
// timeout. Single-threaded: it sleeps in sigtimedwait until a child exits, a deadline passes, a
// progress tick is due, or SIGINT/SIGTERM/SIGHUP asks it to stop.
#include <functional>
#include <string>
#include <vector>

#include "sim/sweep/child_process.h"

namespace pjsim::sweep {

struct PointJob {
  size_t index = 0;
  ChildCommand command;
};

struct JobOutcome {
  size_t index = 0;
  bool ok = false;         // exited with status 0
  bool timed_out = false;  // killed at the deadline
  std::string error;       // the child's first output line and/or how it ended; "" when ok
  double wall_seconds = 0;
};

struct RunnerOptions {
  int jobs = 1;
  double timeout_seconds = 0;  // 0 = no limit
  double tick_seconds = 0.2;   // how often on_tick is called
};

// Calls `on_finish` as each job ends (in completion order) and `on_tick` periodically. Returns
// false if a signal interrupted the sweep: running children are then killed and not reported.
bool RunJobs(const std::vector<PointJob>& jobs, const RunnerOptions& options,
             const std::function<void(const JobOutcome&)>& on_finish,
             const std::function<void()>& on_tick);

}  // namespace pjsim::sweep
