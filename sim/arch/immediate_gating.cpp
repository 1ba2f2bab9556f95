// Gating policy `immediate`: a domain is gated as soon as it is idle and woken on demand.
#include "sim/arch/gating_decider.h"
#include "sim/config/gating_policy_registry.h"

namespace pjsim {
namespace {

class ImmediateGating : public GatingDecider {
 public:
  double IdleCycles(const IdleGap&) const override { return 0; }
};

[[maybe_unused]] const bool kRegistered = GatingPolicyRegistry().Add(
    {.name = "immediate",
     .summary = "gate as soon as a domain is idle; wake on demand (stalls the work)",
     .keys = {},
     .factory = [](const GatingConfig&) -> std::unique_ptr<GatingDecider> {
       return std::make_unique<ImmediateGating>();
     }});

}  // namespace
}  // namespace pjsim
