#pragma once
// Power gating of one power domain (e.g. the tile group hosting an expert, or its SRAM bank),
// replayed over the domain's busy intervals. States: ON (working; its leakage is charged here,
// its dynamic energy by the components), IDLE (clock-gated: full leakage), RETENTION (SRAM keeps
// its contents at a fraction of the leakage) and OFF (no leakage; contents lost, so waking
// reloads them from DRAM). A registered policy (sim/arch/*_gating.cpp) decides what an idle
// domain does:
//   never      stays IDLE
//   immediate  gates as soon as it is idle
//   timeout    gates after `timeout` cycles of idleness
//   oracle     knows the next use: gates only gaps longer than break-even plus the wake-up
//              time and wakes just in time (no stall) — an upper bound on what gating can save
// Waking takes `wake_latency_cycles` (plus the reload from OFF), which delays the work that
// needed the domain (a stall) unless the oracle hid it. Plain C++, so the MoE scheduler and the
// tests use the same accounting.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/arch/gating_decider.h"
#include "sim/config/plugin_key.h"

namespace pjsim {

enum class PowerState { kOn, kIdle, kRetention, kOff };

// A gating policy by its registered name (GatingPolicyRegistry()); the shipped ones are named
// here for code that picks one directly. Implicit: a policy is nothing but its name.
class GatingPolicy {
 public:
  static constexpr std::string_view kNever = "never";
  static constexpr std::string_view kImmediate = "immediate";
  static constexpr std::string_view kTimeout = "timeout";
  static constexpr std::string_view kOracle = "oracle";

  GatingPolicy(std::string_view name = kNever) : name_(name) {}
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

struct PowerDomainSpec {
  double leakage_mw = 0;            // ON and IDLE
  double retention_fraction = 0.2;  // RETENTION leakage / IDLE leakage
  double wake_energy_pj = 0;        // charging the virtual rail, per wake-up
  double wake_latency_cycles = 0;
  double reload_energy_pj = 0;  // refilling the contents after OFF (DRAM + NoC + SRAM)
  double reload_cycles = 0;
  double clock_hz = 1e9;
};

struct GatingConfig {
  GatingPolicy policy;
  PowerState gated_state = PowerState::kRetention;  // kRetention or kOff
  // The policy's keys by YAML name (PowerGatingConfig::params), e.g. the timeout policy's
  // `timeout`; a policy's required keys must be present.
  PluginParams params;
};

struct BusyInterval {
  double request = 0;  // cycle the work wants to start
  double length = 0;   // cycles of work
};

struct DomainTimeline {
  double cycles_in[4] = {0, 0, 0, 0};  // indexed by PowerState
  std::int64_t gatings = 0;
  std::int64_t wakeups = 0;
  double stall_cycles = 0;  // total delay of work caused by wake-ups
  double end_cycle = 0;     // when the last work finished (or the horizon, if later)
  // Energy in pJ by category: leakage.on, leakage.idle, leakage.retention, gating.wakeup,
  // gating.reload.
  double leakage_on_pj = 0, leakage_idle_pj = 0, leakage_retention_pj = 0;
  double wakeup_pj = 0, reload_pj = 0;
  double TotalPj() const {
    return leakage_on_pj + leakage_idle_pj + leakage_retention_pj + wakeup_pj + reload_pj;
  }
};

// One kind of domain (e.g. every tile's SRAM bank) over a run, for the report.
struct PowerDomainResult {
  std::string domain;  // "tile_logic" or "sram"
  std::string gated_state;
  double leakage_mw = 0;
  double break_even_cycles = 0;
  std::vector<DomainTimeline> tiles;
};

// Idle cycles above which gating to `state` saves energy: the wake (and reload) energy divided
// by the leakage power saved per cycle. Infinite if gating saves no leakage.
double BreakEvenCycles(const PowerDomainSpec& spec, PowerState state);

// One domain's state machine, advanced by its users as work arrives. Decisions depend only on
// the length of each idle gap, so they can be made when the gap ends: the simulation asks for
// the domain when work is ready and waits until the returned cycle.
class PowerDomain {
 public:
  // Throws std::invalid_argument for an unregistered policy (naming the closest).
  PowerDomain(const PowerDomainSpec& spec, const GatingConfig& config);
  // Work ready at `request` (>= the last Release): the cycle it can start, after any wake-up.
  double Acquire(double request);
  // The work that acquired the domain finished at `end`.
  void Release(double end);
  // Closes the idle tail up to `horizon` (a gated tail needs no wake-up) and returns the totals.
  DomainTimeline Finish(double horizon);
  const DomainTimeline& timeline() const { return t_; }
  double break_even_cycles() const { return break_even_; }

 private:
  // Accounts an idle gap of `gap` cycles ending in a request (or, if `tail`, the run's end);
  // returns the stall it causes.
  double CloseGap(double gap, bool tail);

  PowerDomainSpec spec_;
  GatingConfig config_;
  std::shared_ptr<const GatingDecider> policy_;  // shared: domains are copied per tile
  double leak_pj_per_cycle_ = 0;
  double gated_leak_pj_per_cycle_ = 0;
  double wake_cycles_ = 0;
  double break_even_ = 0;
  double free_since_ = 0;  // end of the last work; the domain is ON and idle from cycle 0
  double busy_since_ = -1;
  DomainTimeline t_;
};

// Replays `busy` (sorted by request) until `horizon_cycles` under `config`.
DomainTimeline ReplayDomain(const PowerDomainSpec& spec, const GatingConfig& config,
                            const std::vector<BusyInterval>& busy, double horizon_cycles);

std::string PowerStateName(PowerState s);

}  // namespace pjsim
