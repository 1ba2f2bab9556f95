#pragma once
// What a running simulation tells whoever watches it, as it happens: each layer of each pass as it
// finishes, and each pass as its last layer finishes (passes run one after another, so a pass's
// end is a boundary of the whole run). Simulate records per-pass figures from these calls; the CLI
// draws progress from them. Called from the scheduler thread, in simulated-time order.
#include <cstdint>

namespace pjsim {

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // Layer `layer` of pass `pass` ran from `start_ps` to `end_ps` (simulated picoseconds).
  virtual void LayerFinished(std::int64_t pass, int layer, std::uint64_t start_ps,
                             std::uint64_t end_ps) = 0;
  // Every layer of pass `pass` has finished at `end_ps`.
  virtual void PassFinished(std::int64_t pass, std::uint64_t end_ps) = 0;
};

}  // namespace pjsim
