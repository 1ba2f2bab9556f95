// Gating policy `timeout`: a domain is gated after `timeout` cycles of idleness (the usual
// hardware idle counter) and woken on demand.
#include <algorithm>
#include <stdexcept>

#include "sim/arch/gating_decider.h"
#include "sim/arch/power_domain.h"
#include "sim/config/gating_policy_registry.h"

namespace pjsim {
namespace {

class TimeoutGating : public GatingDecider {
 public:
  explicit TimeoutGating(double timeout_cycles) : timeout_cycles_(timeout_cycles) {}
  double IdleCycles(const IdleGap& gap) const override {
    return std::min(gap.cycles, timeout_cycles_);
  }

 private:
  double timeout_cycles_;
};

[[maybe_unused]] const bool kRegistered = GatingPolicyRegistry().Add(
    {.name = "timeout",
     .summary = "gate after `timeout` idle cycles; wake on demand (stalls the work)",
     .keys = {{.name = "timeout",
               .summary = "idle cycles before gating",
               .fallback = std::nullopt,
               .min = 0,
               .max = PluginKey{}.max,
               .integer = true}},
     .factory = [](const GatingConfig& config) -> std::unique_ptr<GatingDecider> {
       const auto it = config.params.find("timeout");
       if (it == config.params.end()) {
         throw std::invalid_argument("gating policy 'timeout' needs its 'timeout' key");
       }
       return std::make_unique<TimeoutGating>(it->second);
     }});

}  // namespace
}  // namespace pjsim
