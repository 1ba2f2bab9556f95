#pragma once
// The decision logic of one power-gating policy (sim/arch/power_domain.h): how long an idle
// domain waits before it is gated. A policy is one file in sim/arch holding its GatingDecider and
// its GatingPolicyRegistry() entry (sim/config/gating_policy_registry.h: name, summary, the keys
// it reads, factory).
namespace pjsim {

// One idle gap of a domain, as the policy sees it when the gap ends.
struct IdleGap {
  double cycles = 0;             // length of the gap
  bool tail = false;             // the run's end: a gated tail needs no wake-up
  double break_even_cycles = 0;  // asleep longer than this, gating saves energy
  double wake_cycles = 0;        // waking (and reloading) before work can start
  bool gating_saves = false;     // the gated state leaks less than IDLE
};

class GatingDecider {
 public:
  virtual ~GatingDecider() = default;
  // Cycles of the gap the domain stays IDLE before it is gated (the gap or more: never gated).
  virtual double IdleCycles(const IdleGap& gap) const = 0;
  // Whether the policy knows the next use and wakes ahead of it, hiding the wake-up latency as
  // far as the gap allows; otherwise the domain wakes on demand and stalls the work.
  virtual bool WakesAhead() const { return false; }
};

}  // namespace pjsim
