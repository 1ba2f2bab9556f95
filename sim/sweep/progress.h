#pragma once
// Sweep progress on stderr: on a terminal, one bar redrawn in place (points done/total, failures,
// ETA weighted by the points' sizes, points/s and simulated MACs/s); otherwise one plain line per
// finished point, which reads well in CI logs and files. Wall-clock figures appear only here and in
// run_log.txt.
#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

#include "sim/report/progress_text.h"

namespace pjsim::sweep {

class Progress {
 public:
  // `total` points in the sweep, of which `already_done` were finished before this run;
  // `work_to_run`: the estimated size of the points to run (sim/sweep/point_work.h), which then
  // weighs the ETA (0: the ETA counts points).
  Progress(std::ostream& out, bool terminal, size_t total, size_t already_done,
           double work_to_run = 0);

  // A point finished in this run. `simulated_macs` comes from its report (0 if it failed);
  // `work` is its estimated size.
  void PointFinished(const std::string& id, const std::string& status, const std::string& label,
                     const std::string& error, double simulated_macs, double tile_tasks,
                     double work = 0);
  void Tick();    // redraws the bar (terminal only)
  void Finish();  // clears the bar

  double ElapsedSeconds() const;
  size_t RunThisTime() const { return run_; }
  double SimulatedMacs() const { return macs_; }
  double TileTasks() const { return tile_tasks_; }

 private:
  std::string Rates() const;  // "ETA 0:12, 8.1 points/s, 2.3 GMAC/s simulated"
  void Draw();

  std::ostream& out_;
  bool terminal_;
  size_t total_, already_, run_ = 0, failed_ = 0;
  double macs_ = 0, tile_tasks_ = 0;
  double work_to_run_, work_done_ = 0;
  std::chrono::steady_clock::time_point start_;
  bool drawn_ = false;
};

}  // namespace pjsim::sweep
