// Gating policy `oracle`: knows each idle gap's length in advance, gates only the gaps where
// gating saves energy and wakes just in time (no stall): an upper bound on what gating can save.
#include "sim/arch/gating_decider.h"
#include "sim/config/gating_policy_registry.h"

namespace pjsim {
namespace {

class OracleGating : public GatingDecider {
 public:
  // Gating pays when the time actually asleep (the gap less the early wake-up) exceeds
  // break-even; a tail never needs waking, so any saving pays.
  double IdleCycles(const IdleGap& gap) const override {
    const bool pays =
        gap.tail ? gap.gating_saves : gap.cycles > gap.break_even_cycles + gap.wake_cycles;
    return pays ? 0 : gap.cycles;
  }
  bool WakesAhead() const override { return true; }
};

[[maybe_unused]] const bool kRegistered = GatingPolicyRegistry().Add(
    {.name = "oracle",
     .summary = "knows the next use: gates only gaps that pay, wakes just in time (a bound)",
     .keys = {},
     .factory = [](const GatingConfig&) -> std::unique_ptr<GatingDecider> {
       return std::make_unique<OracleGating>();
     }});

}  // namespace
}  // namespace pjsim
