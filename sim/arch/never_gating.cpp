// Gating policy `never`: an idle domain stays IDLE (clock-gated, full leakage), the baseline.
#include "sim/arch/gating_decider.h"
#include "sim/config/gating_policy_registry.h"

namespace pjsim {
namespace {

class NeverGating : public GatingDecider {
 public:
  double IdleCycles(const IdleGap& gap) const override { return gap.cycles; }
};

[[maybe_unused]] const bool kRegistered = GatingPolicyRegistry().Add(
    {.name = "never",
     .summary = "idle domains stay clock-gated at full leakage (the baseline)",
     .keys = {},
     .factory = [](const GatingConfig&) -> std::unique_ptr<GatingDecider> {
       return std::make_unique<NeverGating>();
     }});

}  // namespace
}  // namespace pjsim
