#pragma once
// Progress of one long run on stderr: which pass and layer the simulation has reached, the share
// of the work done, the wall time elapsed and an ETA. On a terminal it is one line redrawn in
// place (\r) at most a few times a second and erased at the end; written to anything else (only
// when asked, e.g. PJSIM_PROGRESS=1 for a test or a log) it is one plain line per update.
// Progress never goes to stdout or to any output file.
#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "sim/report/run_observer.h"

namespace pjsim {

class RunProgress : public RunObserver {
 public:
  struct Options {
    bool terminal = true;      // redraw one line in place
    double first_after_s = 0;  // stay silent until the run has taken this long (short runs)
    double interval_s = 0.25;  // at most one update per interval
  };
  // `weights`: the work of each layer of one pass (sim/run/run_work.h: its MACs, or its elements
  // for a vector op), by which the share done and the ETA are reckoned; `passes` passes of them.
  RunProgress(std::ostream& out, Options options, std::int64_t passes, std::vector<double> weights,
              std::vector<std::string> names);

  void LayerFinished(std::int64_t pass, int layer, std::uint64_t start_ps,
                     std::uint64_t end_ps) override;
  void PassFinished(std::int64_t pass, std::uint64_t end_ps) override;
  // The run has ended: a terminal's line is erased; elsewhere, if it `completed`, a last line
  // says so.
  void Finish(bool completed);

  std::int64_t lines() const { return lines_; }  // updates written

 private:
  double ElapsedSeconds() const;
  void Draw(std::int64_t pass, int layer, bool final);

  std::ostream& out_;
  Options options_;
  std::int64_t passes_;
  std::vector<double> weights_;
  std::vector<std::string> names_;
  double pass_work_ = 0, done_work_ = 0;
  std::int64_t lines_ = 0;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  double last_draw_s_ = -1;
};

}  // namespace pjsim
