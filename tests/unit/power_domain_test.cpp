#include "sim/arch/power_domain.h"

#include <gtest/gtest.h>

#include <vector>

namespace pjsim {
namespace {

// 1 mW at 1 GHz leaks exactly 1 pJ per cycle, which keeps the expected figures readable.
PowerDomainSpec Spec() {
  PowerDomainSpec s;
  s.leakage_mw = 1.0;
  s.clock_hz = 1e9;
  s.retention_fraction = 0.25;
  s.wake_energy_pj = 30;  // break-even into retention: 30 / 0.75 = 40 cycles
  s.wake_latency_cycles = 5;
  s.reload_energy_pj = 90;  // break-even into off: 120 / 1 = 120 cycles
  s.reload_cycles = 20;
  return s;
}

GatingConfig Policy(GatingPolicy p, double timeout = 0, PowerState state = PowerState::kRetention) {
  GatingConfig c;
  c.policy = p;
  c.params["timeout"] = timeout;
  c.gated_state = state;
  return c;
}

double Leakage(const DomainTimeline& t) {
  return t.leakage_on_pj + t.leakage_idle_pj + t.leakage_retention_pj;
}

const std::vector<BusyInterval> kBusy = {{0, 10}, {20, 10}, {100, 10}, {400, 10}, {405, 10}};

TEST(PowerDomain, BreakEvenIsWakeEnergyOverSavedLeakage) {
  EXPECT_DOUBLE_EQ(BreakEvenCycles(Spec(), PowerState::kRetention), 40.0);
  EXPECT_DOUBLE_EQ(BreakEvenCycles(Spec(), PowerState::kOff), 120.0);
}

TEST(PowerDomain, NeverGatingLeaksFullPowerForTheWholeRun) {
  const DomainTimeline t = ReplayDomain(Spec(), Policy(GatingPolicy::kNever), kBusy, 1000);
  EXPECT_DOUBLE_EQ(Leakage(t), 1000.0);  // 1 pJ/cycle x 1000 cycles
  EXPECT_DOUBLE_EQ(t.cycles_in[0] + t.cycles_in[1], 1000.0);
  EXPECT_DOUBLE_EQ(t.cycles_in[0], 50.0);  // five busy intervals of 10
  EXPECT_EQ(t.wakeups, 0);
  EXPECT_EQ(t.gatings, 0);
  EXPECT_DOUBLE_EQ(t.stall_cycles, 0);
}

TEST(PowerDomain, ImmediateGatingWakesForEveryGapAndStallsTheWork) {
  // Gaps before work: 10 (20-10), 70 (100-30), 290 (400-110); the 5th request at 405 arrives
  // while the 4th runs (it was delayed by the wake-up), so it has no gap.
  const DomainTimeline t = ReplayDomain(Spec(), Policy(GatingPolicy::kImmediate), kBusy, 1000);
  EXPECT_EQ(t.wakeups, 3);
  EXPECT_EQ(t.gatings, 4);  // three gaps and the tail
  EXPECT_DOUBLE_EQ(t.stall_cycles, 15.0);
  EXPECT_DOUBLE_EQ(t.wakeup_pj, 90.0);
  EXPECT_DOUBLE_EQ(t.reload_pj, 0.0);
  // Every cycle is in exactly one state.
  EXPECT_DOUBLE_EQ(t.cycles_in[0] + t.cycles_in[1] + t.cycles_in[2] + t.cycles_in[3], t.end_cycle);
}

TEST(PowerDomain, TimeoutGatesOnlyGapsLongerThanTheTimeout) {
  const DomainTimeline t = ReplayDomain(Spec(), Policy(GatingPolicy::kTimeout, 50), kBusy, 1000);
  EXPECT_EQ(t.wakeups, 2);  // gaps of 70 and 290 exceed 50; the gap of 10 does not
  EXPECT_DOUBLE_EQ(t.stall_cycles, 10.0);
  EXPECT_DOUBLE_EQ(t.wakeup_pj, 60.0);
}

TEST(PowerDomain, OracleNeverGatesGapsShorterThanBreakEvenAndNeverCostsMore) {
  for (PowerState state : {PowerState::kRetention, PowerState::kOff}) {
    const DomainTimeline oracle =
        ReplayDomain(Spec(), Policy(GatingPolicy::kOracle, 0, state), kBusy, 1000);
    const DomainTimeline never =
        ReplayDomain(Spec(), Policy(GatingPolicy::kNever, 0, state), kBusy, 1000);
    EXPECT_LE(oracle.TotalPj(), never.TotalPj()) << PowerStateName(state);
    const double break_even = BreakEvenCycles(Spec(), state);
    std::vector<double> gaps = {10, 70, 290};
    std::int64_t long_gaps = 0;
    for (double g : gaps)
      long_gaps += g > break_even + 5 + (state == PowerState::kOff ? 20 : 0) ? 1 : 0;
    EXPECT_EQ(oracle.wakeups, long_gaps) << PowerStateName(state);
  }
  // The oracle hides the wake-up inside the gap: no stall when the gap is longer than the wake.
  const DomainTimeline t = ReplayDomain(Spec(), Policy(GatingPolicy::kOracle), kBusy, 1000);
  EXPECT_DOUBLE_EQ(t.stall_cycles, 0.0);
}

TEST(PowerDomain, HandBuiltIdleIntervalGivesExactWakeupsStallsAndEnergy) {
  // Busy 100 cycles, idle exactly N = 500, busy 100, then the run ends; gate into OFF
  // immediately: one wake-up with reload, stalling the second interval by 5 + 20 cycles.
  const std::vector<BusyInterval> busy = {{0, 100}, {600, 100}};
  const DomainTimeline t =
      ReplayDomain(Spec(), Policy(GatingPolicy::kImmediate, 0, PowerState::kOff), busy, 725);
  EXPECT_EQ(t.wakeups, 1);
  EXPECT_DOUBLE_EQ(t.stall_cycles, 25.0);
  EXPECT_DOUBLE_EQ(t.wakeup_pj, 30.0);
  EXPECT_DOUBLE_EQ(t.reload_pj, 90.0);
  EXPECT_DOUBLE_EQ(t.cycles_in[3], 500.0);        // off for the whole gap
  EXPECT_DOUBLE_EQ(t.leakage_on_pj, 200.0);       // two busy intervals
  EXPECT_DOUBLE_EQ(t.leakage_idle_pj, 25.0);      // waking and reloading at full leakage
  EXPECT_DOUBLE_EQ(t.leakage_retention_pj, 0.0);  // off leaks nothing
  EXPECT_DOUBLE_EQ(t.end_cycle, 725.0);
}

TEST(PowerDomain, MisuseIsRejected) {
  PowerDomain d(Spec(), Policy(GatingPolicy::kNever));
  d.Acquire(0);
  EXPECT_THROW(d.Acquire(1), std::logic_error);
  EXPECT_THROW(d.Finish(10), std::logic_error);
  GatingConfig on = Policy(GatingPolicy::kNever, 0, PowerState::kOn);
  EXPECT_THROW(PowerDomain(Spec(), on), std::invalid_argument);
}

}  // namespace
}  // namespace pjsim
