#pragma once
// When to record a run for replay (models/layer_replay.h). A record costs its recording (every
// ledger charge, each DRAM bank's rows) and pays off only when a later run applies it; a layer
// whose records keep failing to match (its start state rarely repeats: refresh phases, long
// runs, prefill blocks unlike the earlier ones) would cost more than it saves. So after
// `kTries` lookups in a row found a record and failed to match it, recording backs off: it
// skips 1, 2, 4, ... up to kMaxSkip runs between attempts; a match resets it. Runs that find no
// record at all (nothing recorded yet for their tensors' placement) do not count. The decisions
// depend only on the order of runs and matches, so the same inputs record the same runs.
#include <algorithm>
#include <cstdint>

namespace pjsim {

class ReplayBackoff {
 public:
  static constexpr std::int32_t kTries = 3;
  static constexpr std::int32_t kMaxSkip = 16;

  // Whether to record this run.
  bool Record() {
    if (failed_ < kTries) return true;
    if (wait_ > 0) {
      --wait_;
      return false;
    }
    skip_ = std::min(skip_ == 0 ? 1 : 2 * skip_, kMaxSkip);
    wait_ = skip_;
    return true;
  }
  // A lookup found a record and the present state did not match it.
  void Failed() { ++failed_; }
  // A record was applied: recording pays off again.
  void Used() { failed_ = skip_ = wait_ = 0; }
  bool backing_off() const { return failed_ >= kTries; }

 private:
  std::int32_t failed_ = 0;  // failed matches since the last applied record
  std::int32_t skip_ = 0;    // runs skipped before the last attempt
  std::int32_t wait_ = 0;    // runs still to skip before the next
};

}  // namespace pjsim
