#pragma once
// The trace's power counters: every charge the ledger receives during the run, priced, on the
// track of its power domain (tiles, SRAM, DRAM, NoC), so that integrating a domain's counter gives
// the energy report.json charges to it. Placement in time:
//   - a charge counted in one gated domain's cycles ("tile-cycle": a tile's logic or SRAM leaking
//     in a power state) covers that many cycles up to the moment it is charged;
//   - the leakage of the components that are not gated, which the run charges to the layers after
//     it ends, is constant power from the start of the run to its end;
//   - every other charge is made at the moment of the activity it prices.
// (A traced run simulates every layer run: nothing is replayed.) Domains by category: compute.* ->
// tiles; sram.*, dram.*, noc.* -> SRAM, DRAM, NoC; leakage.<component> -> that component (tile ->
// tiles); leakage.<state> and gating.* -> the domain the action names (tile_logic -> tiles, sram ->
// SRAM); any other category -> a track named by its first word.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/energy/energy_ledger.h"
#include "sim/report/trace_recorder.h"

namespace pjsim {

// The power domain's track name for an action.
std::string PowerDomainOf(const Action& action);

class PowerTrace : public EnergyLedger::Listener {
 public:
  // Listens to `ledger` until Finish. `period_ps`: one clock cycle.
  PowerTrace(EnergyLedger& ledger, TraceRecorder& trace, std::uint64_t period_ps);
  ~PowerTrace() override;
  PowerTrace(const PowerTrace&) = delete;
  PowerTrace& operator=(const PowerTrace&) = delete;

  // Constant leakage from time 0: (action, count per cycle) of the components not gated.
  void SetLeakage(std::vector<std::pair<ActionId, double>> per_cycle);
  // The run ended at `end_ps`: the leakage up to it, then the ledger is left alone (the
  // leakage the run then charges to the layers is already on the counters).
  void Finish(std::uint64_t end_ps);

  void Charged(int layer, ActionId action, double count) override;

 private:
  int TrackOf(ActionId action);
  // The constant leakage from the last time it was added up to `now_ps`.
  void LeakUntil(std::uint64_t now_ps);

  EnergyLedger& ledger_;
  TraceRecorder& trace_;
  std::uint64_t period_ps_;
  std::vector<std::pair<std::string, int>> domains_;    // track name -> recorder track
  std::vector<int> track_of_;                           // by action id, -1: not yet looked up
  std::vector<std::pair<int, double>> leak_pj_per_ps_;  // (track, power) of the constant leakage
  std::uint64_t leaked_until_ps_ = 0;
  bool listening_ = true;
};

}  // namespace pjsim
