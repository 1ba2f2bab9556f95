#include "sim/sweep/progress.h"

#include <algorithm>
#include <cstdio>

namespace pjsim::sweep {

Progress::Progress(std::ostream& out, bool terminal, size_t total, size_t already_done,
                   double work_to_run)
    : out_(out),
      terminal_(terminal),
      total_(total),
      already_(already_done),
      work_to_run_(work_to_run),
      start_(std::chrono::steady_clock::now()) {}

double Progress::ElapsedSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string Progress::Rates() const {
  const double elapsed = ElapsedSeconds();
  std::string s;
  const size_t remaining = total_ - already_ - run_;
  if (run_ > 0 && elapsed > 0) {
    // By size when sizes are known: the points left may be larger or smaller than those done.
    const double eta = work_to_run_ > 0 && work_done_ > 0
                           ? elapsed / work_done_ * std::max(0.0, work_to_run_ - work_done_)
                           : elapsed / static_cast<double>(run_) * static_cast<double>(remaining);
    s += "ETA " + DurationText(eta);
    char buf[32];
    std::snprintf(buf, sizeof buf, ", %.1f points/s", static_cast<double>(run_) / elapsed);
    s += buf;
    if (macs_ > 0) s += ", " + SiText(macs_ / elapsed) + "MAC/s simulated";
  } else {
    s += "ETA --:--";
  }
  return s;
}

void Progress::Draw() {
  constexpr int kWidth = 24;
  const size_t done = already_ + run_;
  const int filled = total_ ? static_cast<int>(kWidth * done / total_) : kWidth;
  out_ << "\r\033[K[" << std::string(static_cast<size_t>(filled), '#')
       << std::string(static_cast<size_t>(kWidth - filled), '-') << "] " << done << "/" << total_;
  if (failed_) out_ << "  " << failed_ << " failed";
  out_ << "  " << Rates() << std::flush;
  drawn_ = true;
}

void Progress::PointFinished(const std::string& id, const std::string& status,
                             const std::string& label, const std::string& error,
                             double simulated_macs, double tile_tasks, double work) {
  ++run_;
  work_done_ += work;
  macs_ += simulated_macs;
  tile_tasks_ += tile_tasks;
  const bool failed = status != "ok";
  failed_ += failed ? 1 : 0;
  if (terminal_) {
    // Failures scroll above the bar so they stay readable; successes only move the bar.
    if (failed)
      out_ << "\r\033[K"
           << "point " << id << " " << status << ": " << error << "\n";
    Draw();
    return;
  }
  const std::string count = std::to_string(already_ + run_);
  const std::string total = std::to_string(total_);
  out_ << "[" << std::string(total.size() - std::min(total.size(), count.size()), ' ') << count
       << "/" << total << "] " << id << " " << status << "  " << label;
  if (failed) out_ << "  error: " << error;
  out_ << "  (" << (failed_ ? std::to_string(failed_) + " failed, " : "") << Rates() << ")\n"
       << std::flush;
}

void Progress::Tick() {
  if (terminal_) Draw();
}

void Progress::Finish() {
  if (terminal_ && drawn_) out_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace pjsim::sweep
