#include "sim/run/chargeable_categories.h"

#include <vector>

#include "sim/arch/run_actions.h"
#include "sim/config/dram_model_registry.h"
#include "sim/energy/energy_ledger.h"

namespace pjsim {

std::set<std::string> ChargeableCategories(const RunConfig& config) {
  const std::vector<Layer>& layers = config.workload.graph->layers();
  std::vector<std::string> names;
  for (const Layer& l : layers) names.push_back(l.name);
  if (names.empty()) names.push_back("");  // the kind's trial tasks charge layer 0
  EnergyLedger ledger(names);
  RegisterAllRunActions(ledger, config.arch, config.tech, layers);
  std::set<std::string> out;
  for (const Action& a : ledger.actions()) out.insert(a.category);
  for (const std::string& c : DramModelRegistry().Get(config.arch.dram.model).categories)
    out.insert(c);
  return out;
}

}  // namespace pjsim
