#pragma once
// The power-gating policies `power_gating.policy` can name: what an idle power domain does
// (sim/arch/power_domain.h). Declared below sim/arch so that the arch reader can validate the
// policy and read its keys; each policy's file in sim/arch adds its entry from a static
// initialiser (sim/config/registry.h).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/config/plugin_key.h"
#include "sim/config/registry.h"

namespace pjsim {

class GatingDecider;  // sim/arch/gating_decider.h
struct GatingConfig;  // sim/arch/power_domain.h

struct GatingPolicyEntry {
  std::string name;
  std::string summary;
  std::vector<PluginKey> keys;  // read from power_gating into PowerGatingConfig::params
  std::function<std::unique_ptr<GatingDecider>(const GatingConfig&)> factory;
};

Registry<GatingPolicyEntry>& GatingPolicyRegistry();

}  // namespace pjsim
