#include "sim/config/gating_policy_registry.h"

namespace pjsim {

Registry<GatingPolicyEntry>& GatingPolicyRegistry() {
  static Registry<GatingPolicyEntry> registry("gating policy");
  return registry;
}

}  // namespace pjsim
