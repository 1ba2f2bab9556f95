#include "sim/energy/energy_ledger.h"

#include <stdexcept>

namespace pjsim {

EnergyLedger::EnergyLedger(std::vector<std::string> layer_names)
    : layer_names_(std::move(layer_names)), counts_(layer_names_.size()) {}

ActionId EnergyLedger::Register(const Action& action) {
  for (size_t i = 0; i < actions_.size(); ++i) {
    const Action& a = actions_[i];
    if (a.category == action.category && a.name == action.name) {
      if (a.pj_per_unit != action.pj_per_unit || a.unit != action.unit) {
        throw std::logic_error("action " + action.category + "/" + action.name +
                               " registered twice with different prices");
      }
      return static_cast<ActionId>(i);
    }
  }
  actions_.push_back(action);
  for (auto& row : counts_) row.push_back(0.0);
  return static_cast<ActionId>(actions_.size() - 1);
}

double EnergyLedger::Count(int layer, ActionId action) const {
  return counts_.at(static_cast<size_t>(layer)).at(static_cast<size_t>(action));
}

double EnergyLedger::TotalCount(ActionId action) const {
  double sum = 0;
  for (int l = 0; l < layer_count(); ++l) sum += Count(l, action);
  return sum;
}

double EnergyLedger::EnergyPj(int layer, ActionId action) const {
  return Count(layer, action) * actions_.at(static_cast<size_t>(action)).pj_per_unit;
}

double EnergyLedger::LayerEnergyPj(int layer) const {
  double sum = 0;
  for (size_t a = 0; a < actions_.size(); ++a) sum += EnergyPj(layer, static_cast<ActionId>(a));
  return sum;
}

double EnergyLedger::TotalEnergyPj() const {
  double sum = 0;
  for (int l = 0; l < layer_count(); ++l) sum += LayerEnergyPj(l);
  return sum;
}

std::map<std::string, double> EnergyLedger::EnergyByCategory() const {
  std::map<std::string, double> out;
  for (int l = 0; l < layer_count(); ++l) {
    for (const auto& [category, pj] : LayerEnergyByCategory(l)) out[category] += pj;
  }
  return out;
}

std::map<std::string, double> EnergyLedger::LayerEnergyByCategory(int layer) const {
  std::map<std::string, double> out;
  for (size_t a = 0; a < actions_.size(); ++a) {
    out[actions_[a].category] += EnergyPj(layer, static_cast<ActionId>(a));
  }
  return out;
}

double EnergyLedger::TotalCountOf(const std::string& name) const {
  double sum = 0;
  for (size_t a = 0; a < actions_.size(); ++a) {
    if (actions_[a].name == name) sum += TotalCount(static_cast<ActionId>(a));
  }
  return sum;
}

double EnergyLedger::LayerCountIn(int layer, const std::string& category) const {
  double sum = 0;
  for (size_t a = 0; a < actions_.size(); ++a) {
    if (actions_[a].category == category) sum += Count(layer, static_cast<ActionId>(a));
  }
  return sum;
}

}  // namespace pjsim
