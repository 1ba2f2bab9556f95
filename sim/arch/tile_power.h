#pragma once
// Power gating of the tiles during a simulation: each tile is two power domains (its logic, and
// its SRAM bank) that the platform wakes when it hands the tile a layer and releases when the
// tile finishes it. Wake-ups delay the tile's start (the stall emerges in the simulated time),
// and the domains' leakage by state and their wake-up energy are charged to the ledger as they
// happen, attributed to the layer that ran (ON) or that ended the idle gap (IDLE, gated, wake).
// Plain C++: the platform passes simulated time in cycles.
#include <string>
#include <vector>

#include "sim/arch/power_domain.h"
#include "sim/config/arch_config.h"
#include "sim/energy/energy_ledger.h"
#include "sim/energy/tech_table.h"

namespace pjsim {

class TilePower {
 public:
  TilePower(const ArchConfig& arch, const TechTable& tech, EnergyLedger& ledger);

  bool enabled() const { return enabled_; }
  struct Wake {
    double start_cycle = 0;      // when the tile may start (after any wake-up)
    bool contents_lost = false;  // the SRAM was off: resident weights must be reloaded
  };
  Wake Begin(int tile, int layer, double now_cycles);
  void End(int tile, double now_cycles);
  // Closes every domain's idle tail at the end of the run.
  void Finish(double horizon_cycles);
  std::vector<PowerDomainResult> Results() const;

 private:
  struct DomainKind {
    PowerDomainResult result;
    ActionId on = -1, idle = -1, gated = -1, wakeup = -1;
    bool loses_contents = false;  // gated off, it holds nothing (the SRAM's resident weights)
    std::vector<PowerDomain> tiles;
  };
  // Charges the change of `domain`'s timeline since `before` to `layer`.
  void Charge(const DomainKind& kind, const DomainTimeline& before, const DomainTimeline& after,
              int layer);

  bool enabled_ = false;
  EnergyLedger& ledger_;
  std::vector<DomainKind> kinds_;  // logic, sram
  std::vector<int> layer_of_;      // the layer each tile last ran (-1 before its first)
};

}  // namespace pjsim
