#pragma once
// The audit trail of a run: activity counts per (layer, action), kept apart from what they cost.
// An action is a priced activity ("int8_mult" ops, "sram.read" bits, "leakage.sram" cycles...)
// charged to a category ("compute.int8_mac", "sram.read", "leakage.sram", ...). Energy is always
// count x unit price, so a report can be re-priced with another table without re-simulating and
// every picojoule traces to a count.
#include <map>
#include <string>
#include <vector>

namespace pjsim {

using ActionId = int;

struct Action {
  std::string category;  // e.g. "compute.int8_mac"
  std::string name;      // e.g. "int8_mult"; unique within its category
  std::string unit;  // what one count is: "op", "bit", "bit-hop", "bit-mm", "activation", "cycle"
  double pj_per_unit = 0;
  std::string source;  // where the price came from
};

class EnergyLedger {
 public:
  explicit EnergyLedger(std::vector<std::string> layer_names);

  // Registers an action (or returns the id of the identical one already registered).
  ActionId Register(const Action& action);
  // Hot path: adds `count` units of `action` to `layer`.
  void Add(int layer, ActionId action, double count) {
    counts_[static_cast<size_t>(layer)][static_cast<size_t>(action)] += count;
    if (tap_) tap_->push_back({layer, action, count});
    if (listener_) listener_->Charged(layer, action, count);
  }
  // Told of every Add as it is made (the trace's power counters, models/power_trace.h).
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void Charged(int layer, ActionId action, double count) = 0;
  };
  void Listen(Listener* listener) { listener_ = listener; }
  // While `tap` is set, every Add is also appended to it, in order: a record that, added again
  // in the same order, reproduces the same sums bit for bit (models/layer_replay.h).
  struct Entry {
    int layer;
    ActionId action;
    double count;
  };
  void Tap(std::vector<Entry>* tap) { tap_ = tap; }

  const std::vector<Action>& actions() const { return actions_; }
  const std::vector<std::string>& layer_names() const { return layer_names_; }
  int layer_count() const { return static_cast<int>(layer_names_.size()); }

  double Count(int layer, ActionId action) const;
  double TotalCount(ActionId action) const;
  double EnergyPj(int layer, ActionId action) const;
  double LayerEnergyPj(int layer) const;
  double TotalEnergyPj() const;
  std::map<std::string, double> EnergyByCategory() const;
  std::map<std::string, double> LayerEnergyByCategory(int layer) const;
  // Sum of counts of every action named `name` (any category), e.g. all "int8_mult" ops.
  double TotalCountOf(const std::string& name) const;
  // Sum of counts of the actions of one category in one layer (all share the category's unit).
  double LayerCountIn(int layer, const std::string& category) const;

 private:
  std::vector<std::string> layer_names_;
  std::vector<Action> actions_;
  std::vector<std::vector<double>> counts_;  // [layer][action]
  std::vector<Entry>* tap_ = nullptr;
  Listener* listener_ = nullptr;
};

}  // namespace pjsim
