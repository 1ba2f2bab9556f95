#include "sim/sweep/sweep_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <fstream>

#include "sim/report/json_writer.h"

namespace pjsim::sweep {
namespace {

using Clock = std::chrono::steady_clock;

struct Running {
  const PointJob* job = nullptr;
  pid_t pid = -1;
  Clock::time_point start;
  Clock::time_point deadline;
  bool killed_at_deadline = false;
};

// The first non-empty line the child printed (its one-line error message).
std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) return line;
  }
  return "";
}

std::string SecondsText(double s) { return FormatNumber(std::round(s * 1000) / 1000) + " s"; }

// Blocks the signals the runner waits for, restoring the old mask when done.
class SignalScope {
 public:
  SignalScope() {
    sigemptyset(&waited_);
    for (const int s : {SIGCHLD, SIGINT, SIGTERM, SIGHUP}) sigaddset(&waited_, s);
    sigprocmask(SIG_BLOCK, &waited_, &old_);
  }
  ~SignalScope() {
    // Drop a pending SIGCHLD so it does not fire on an unrelated handler later.
    timespec zero{0, 0};
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    while (sigtimedwait(&chld, nullptr, &zero) > 0) {
    }
    sigprocmask(SIG_SETMASK, &old_, nullptr);
  }
  const sigset_t& waited() const { return waited_; }
  const sigset_t& old() const { return old_; }

 private:
  sigset_t waited_, old_;
};

}  // namespace

bool RunJobs(const std::vector<PointJob>& jobs, const RunnerOptions& options,
             const std::function<void(const JobOutcome&)>& on_finish,
             const std::function<void()>& on_tick) {
  SignalScope signals;
  const auto tick = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.tick_seconds));
  const auto limit = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.timeout_seconds));
  std::vector<Running> running;
  size_t next = 0;
  bool interrupted = false;
  auto next_tick = Clock::now() + tick;

  const auto launch = [&] {
    while (next < jobs.size() && static_cast<int>(running.size()) < std::max(1, options.jobs)) {
      Running r;
      r.job = &jobs[next++];
      r.start = Clock::now();
      r.deadline = options.timeout_seconds > 0 ? r.start + limit : Clock::time_point::max();
      r.pid = StartChild(r.job->command, signals.old());
      running.push_back(r);
    }
  };

  while (!interrupted && (next < jobs.size() || !running.empty())) {
    launch();

    // Reap whatever has ended.
    std::vector<JobOutcome> ended;
    for (size_t i = 0; i < running.size();) {
      int status = 0;
      const pid_t done = ::waitpid(running[i].pid, &status, WNOHANG);
      if (done == 0 || (done < 0 && errno == EINTR)) {
        ++i;
        continue;
      }
      const Running r = running[i];
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
      JobOutcome o;
      o.index = r.job->index;
      o.wall_seconds = std::chrono::duration<double>(Clock::now() - r.start).count();
      const std::string first = FirstLine(r.job->command.output_path);
      // Past the deadline counts as timed out even if the child beat the kill to it: the
      // outcome must not depend on how promptly the runner was scheduled.
      if (r.killed_at_deadline || Clock::now() >= r.deadline) {
        o.timed_out = true;
        o.error = "timed out after " + SecondsText(options.timeout_seconds) + " (killed)";
      } else if (done < 0) {
        o.error = "lost track of the child process";
      } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        o.ok = true;
      } else if (WIFEXITED(status) && !first.empty()) {
        o.error = first;
      } else {
        o.error = DescribeWaitStatus(status) + (first.empty() ? "" : ": " + first);
      }
      ended.push_back(std::move(o));
    }
    // Refill the freed slots before recording, so recording overlaps the next points' runs.
    launch();
    for (const auto& o : ended) on_finish(o);

    // Enforce deadlines.
    const auto now = Clock::now();
    auto wake = next_tick;
    for (auto& r : running) {
      if (!r.killed_at_deadline && now >= r.deadline) {
        ::kill(r.pid, SIGKILL);
        r.killed_at_deadline = true;
      }
      if (!r.killed_at_deadline) wake = std::min(wake, r.deadline);
    }
    if (now >= next_tick) {
      on_tick();
      next_tick = now + tick;
      wake = std::min(wake, next_tick);
    }
    if (running.empty() && next >= jobs.size()) break;
    // Launch more right away if a slot is free; otherwise sleep until something happens.
    if (next < jobs.size() && static_cast<int>(running.size()) < std::max(1, options.jobs)) {
      continue;
    }
    const auto wait = std::max(Clock::duration::zero(), wake - Clock::now());
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count();
    timespec ts{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    const int sig = sigtimedwait(&signals.waited(), nullptr, &ts);
    if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) interrupted = true;
  }

  if (interrupted) {
    for (const auto& r : running) ::kill(r.pid, SIGKILL);
    for (const auto& r : running) {
      int status = 0;
      while (::waitpid(r.pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }
  return !interrupted;
}

}  // namespace pjsim::sweep
