#include "sim/report/run_progress.h"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <utility>

#include "sim/report/progress_text.h"

namespace pjsim {

RunProgress::RunProgress(std::ostream& out, Options options, std::int64_t passes,
                         std::vector<double> weights, std::vector<std::string> names)
    : out_(out),
      options_(options),
      passes_(passes),
      weights_(std::move(weights)),
      names_(std::move(names)),
      pass_work_(std::accumulate(weights_.begin(), weights_.end(), 0.0)),
      start_(std::chrono::steady_clock::now()) {}

double RunProgress::ElapsedSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void RunProgress::LayerFinished(std::int64_t pass, int layer, std::uint64_t, std::uint64_t) {
  done_work_ += weights_[static_cast<size_t>(layer)];
  const double now = ElapsedSeconds();
  if (now < options_.first_after_s) return;
  if (last_draw_s_ >= 0 && now - last_draw_s_ < options_.interval_s) return;
  last_draw_s_ = now;
  Draw(pass, layer, false);
}

void RunProgress::PassFinished(std::int64_t, std::uint64_t) {}

void RunProgress::Draw(std::int64_t pass, int layer, bool final) {
  const double total = pass_work_ * static_cast<double>(passes_);
  const double fraction = total > 0 ? std::min(1.0, done_work_ / total) : 1.0;
  const double elapsed = ElapsedSeconds();
  std::string line;
  if (passes_ > 1)
    line += "pass " + std::to_string(pass + 1) + "/" + std::to_string(passes_) + "  ";
  if (!final) {
    std::string name = names_[static_cast<size_t>(layer)];
    for (char& c : name) {
      if (c == '\r' || c == '\n' || c == '\t') c = ' ';  // the line must stay one line
    }
    line += "layer " + name + "  ";
  }
  char percent[16];
  std::snprintf(percent, sizeof percent, "%5.1f%%", 100 * fraction);
  line += percent;
  line += "  elapsed " + DurationText(elapsed);
  if (!final) {
    // Below 1 % done the rate is mostly start-up cost: no ETA yet.
    line += fraction >= 0.01 ? "  ETA " + DurationText(elapsed / fraction * (1 - fraction))
                             : std::string("  ETA --:--");
  }
  if (options_.terminal) {
    out_ << "\r\033[K" << line << std::flush;
    drawn_ = true;
  } else {
    out_ << "progress: " << line << "\n" << std::flush;
  }
  ++lines_;
}

void RunProgress::Finish(bool completed) {
  if (options_.terminal) {
    if (drawn_) out_ << "\r\033[K" << std::flush;
    drawn_ = false;
  } else if (completed && lines_ > 0) {
    Draw(passes_ - 1, 0, true);
  }
}

}  // namespace pjsim
