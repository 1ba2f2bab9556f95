#include "sim/arch/power_domain.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "sim/config/gating_policy_registry.h"

namespace pjsim {
namespace {

double PjPerCycle(double mw, double clock_hz) { return mw * 1e-3 / clock_hz * 1e12; }

double GatedFraction(const PowerDomainSpec& spec, PowerState s) {
  return s == PowerState::kRetention ? spec.retention_fraction : 0.0;
}

}  // namespace

std::string PowerStateName(PowerState s) {
  switch (s) {
    case PowerState::kOn:
      return "on";
    case PowerState::kIdle:
      return "idle";
    case PowerState::kRetention:
      return "retention";
    case PowerState::kOff:
      return "off";
  }
  return "?";
}

double BreakEvenCycles(const PowerDomainSpec& spec, PowerState state) {
  const double saved =
      PjPerCycle(spec.leakage_mw, spec.clock_hz) * (1 - GatedFraction(spec, state));
  if (saved <= 0) return std::numeric_limits<double>::infinity();
  const double cost = spec.wake_energy_pj + (state == PowerState::kOff ? spec.reload_energy_pj : 0);
  return cost / saved;
}

PowerDomain::PowerDomain(const PowerDomainSpec& spec, const GatingConfig& config)
    : spec_(spec), config_(config) {
  if (config.gated_state != PowerState::kRetention && config.gated_state != PowerState::kOff) {
    throw std::invalid_argument("gated state must be retention or off");
  }
  leak_pj_per_cycle_ = PjPerCycle(spec.leakage_mw, spec.clock_hz);
  gated_leak_pj_per_cycle_ = leak_pj_per_cycle_ * GatedFraction(spec, config.gated_state);
  wake_cycles_ =
      spec.wake_latency_cycles + (config.gated_state == PowerState::kOff ? spec.reload_cycles : 0);
  break_even_ = BreakEvenCycles(spec, config.gated_state);
  policy_ = GatingPolicyRegistry().Get(config.policy.name()).factory(config);
}

double PowerDomain::CloseGap(double gap, bool tail) {
  // How long the gap stays IDLE before the policy gates it.
  const IdleGap idle_gap{.cycles = gap,
                         .tail = tail,
                         .break_even_cycles = break_even_,
                         .wake_cycles = wake_cycles_,
                         .gating_saves = leak_pj_per_cycle_ > gated_leak_pj_per_cycle_};
  const double idle = std::clamp(policy_->IdleCycles(idle_gap), 0.0, gap);
  const auto idle_state = static_cast<size_t>(PowerState::kIdle);
  const auto gated_state = static_cast<size_t>(config_.gated_state);
  const double asleep = gap - idle;
  t_.cycles_in[idle_state] += idle;
  t_.leakage_idle_pj += idle * leak_pj_per_cycle_;
  if (asleep <= 0) return 0;
  ++t_.gatings;
  if (tail) {
    t_.cycles_in[gated_state] += asleep;
    t_.leakage_retention_pj += asleep * gated_leak_pj_per_cycle_;
    return 0;
  }
  ++t_.wakeups;
  t_.wakeup_pj += spec_.wake_energy_pj;
  if (config_.gated_state == PowerState::kOff) t_.reload_pj += spec_.reload_energy_pj;
  // Waking (and reloading) leaks at full power. A policy that knows the next use (the oracle)
  // starts waking early, hiding as much of the latency as the gap allows; every other policy
  // wakes on demand and stalls the work.
  const double hidden = policy_->WakesAhead() ? std::min(asleep, wake_cycles_) : 0;
  const double stall = wake_cycles_ - hidden;
  t_.cycles_in[gated_state] += asleep - hidden;
  t_.leakage_retention_pj += (asleep - hidden) * gated_leak_pj_per_cycle_;
  t_.cycles_in[idle_state] += wake_cycles_;
  t_.leakage_idle_pj += wake_cycles_ * leak_pj_per_cycle_;
  t_.stall_cycles += stall;
  return stall;
}

double PowerDomain::Acquire(double request) {
  if (busy_since_ >= 0) throw std::logic_error("power domain acquired twice");
  const double ready = std::max(request, free_since_);
  busy_since_ = ready + CloseGap(ready - free_since_, false);
  return busy_since_;
}

void PowerDomain::Release(double end) {
  if (busy_since_ < 0 || end < busy_since_)
    throw std::logic_error("power domain released before use");
  const double busy = end - busy_since_;
  t_.cycles_in[static_cast<size_t>(PowerState::kOn)] += busy;
  t_.leakage_on_pj += busy * leak_pj_per_cycle_;
  free_since_ = end;
  busy_since_ = -1;
}

DomainTimeline PowerDomain::Finish(double horizon) {
  if (busy_since_ >= 0) throw std::logic_error("power domain finished while in use");
  CloseGap(std::max(0.0, horizon - free_since_), true);
  free_since_ = std::max(horizon, free_since_);
  t_.end_cycle = free_since_;
  return t_;
}

DomainTimeline ReplayDomain(const PowerDomainSpec& spec, const GatingConfig& config,
                            const std::vector<BusyInterval>& busy, double horizon_cycles) {
  PowerDomain domain(spec, config);
  for (const BusyInterval& b : busy) {
    const double start = domain.Acquire(b.request);
    domain.Release(start + b.length);
  }
  return domain.Finish(horizon_cycles);
}

}  // namespace pjsim
