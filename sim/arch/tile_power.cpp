#include "sim/arch/tile_power.h"

#include <stdexcept>

namespace pjsim {

TilePower::TilePower(const ArchConfig& arch, const TechTable& tech, EnergyLedger& ledger)
    : enabled_(arch.power_gating.enabled), ledger_(ledger) {
  if (!enabled_) return;
  const PowerGatingConfig& g = arch.power_gating;
  const double per_cycle_pj_per_mw = 1e-3 / arch.clock_hz * 1e12;
  const auto make = [&](const std::string& domain, double mw, PowerState gated, double retention,
                        bool holds_contents, const std::string& source) {
    DomainKind k;
    k.result.domain = domain;
    k.result.gated_state = PowerStateName(gated);
    k.result.leakage_mw = mw;
    k.loses_contents = holds_contents && gated == PowerState::kOff;
    PowerDomainSpec spec;
    spec.leakage_mw = mw;
    spec.clock_hz = arch.clock_hz;
    spec.retention_fraction = retention;
    spec.wake_latency_cycles = g.wake_latency_cycles;
    // Charging the virtual rail costs a fixed number of cycles of the domain's full leakage.
    spec.wake_energy_pj = g.wake_energy_leakage_cycles * mw * per_cycle_pj_per_mw;
    GatingConfig config;
    config.policy = GatingPolicy(g.policy);
    config.gated_state = gated;
    config.params = g.params;
    k.result.break_even_cycles = BreakEvenCycles(spec, gated);
    const double leak = mw * per_cycle_pj_per_mw;
    const std::string unit = "tile-cycle";
    k.on = ledger.Register({"leakage.on", domain, unit, leak, source});
    k.idle = ledger.Register({"leakage.idle", domain, unit, leak, source});
    const bool retains = gated == PowerState::kRetention;
    k.gated = ledger.Register({"leakage." + k.result.gated_state, domain, unit,
                               retains ? leak * retention : 0.0,
                               source + (retains ? " x retention_fraction" : " x 0 (off)")});
    k.wakeup = ledger.Register({"gating.wakeup", domain, "wake-up", spec.wake_energy_pj,
                                arch.file + " power_gating.wake_energy_leakage_cycles x leakage"});
    for (std::int64_t t = 0; t < arch.TileCount(); ++t) k.tiles.emplace_back(spec, config);
    kinds_.push_back(std::move(k));
  };
  const Priced& pe = tech.Leakage("mac_pe");
  const Priced& lane = tech.Leakage("vector_lane");
  const double logic_mw = pe.value * static_cast<double>(arch.tile.rows * arch.tile.cols) +
                          lane.value * static_cast<double>(arch.tile.vector_lanes);
  make("tile_logic", logic_mw, PowerState::kOff, 0, false, pe.source + "; " + lane.source);
  const double sram_mw = tech.sram_leakage_mw_per_kib.value * arch.tile.sram.capacity_bytes / 1024;
  make("sram", sram_mw, g.gated_state == "off" ? PowerState::kOff : PowerState::kRetention,
       g.retention_fraction, true, tech.sram_leakage_mw_per_kib.source);
  layer_of_.assign(static_cast<size_t>(arch.TileCount()), -1);
}

void TilePower::Charge(const DomainKind& kind, const DomainTimeline& before,
                       const DomainTimeline& after, int layer) {
  const auto cycles = [&](PowerState s) {
    return after.cycles_in[static_cast<size_t>(s)] - before.cycles_in[static_cast<size_t>(s)];
  };
  ledger_.Add(layer, kind.on, cycles(PowerState::kOn));
  ledger_.Add(layer, kind.idle, cycles(PowerState::kIdle));
  ledger_.Add(layer, kind.gated, cycles(PowerState::kRetention) + cycles(PowerState::kOff));
  ledger_.Add(layer, kind.wakeup, static_cast<double>(after.wakeups - before.wakeups));
}

TilePower::Wake TilePower::Begin(int tile, int layer, double now_cycles) {
  Wake wake{now_cycles, false};
  const auto t = static_cast<size_t>(tile);
  for (size_t k = 0; k < kinds_.size(); ++k) {
    PowerDomain& d = kinds_[k].tiles[t];
    const DomainTimeline before = d.timeline();
    wake.start_cycle = std::max(wake.start_cycle, d.Acquire(now_cycles));
    Charge(kinds_[k], before, d.timeline(), layer);
    if (kinds_[k].loses_contents && d.timeline().wakeups > before.wakeups)
      wake.contents_lost = true;
  }
  layer_of_[t] = layer;
  return wake;
}

void TilePower::End(int tile, double now_cycles) {
  const auto t = static_cast<size_t>(tile);
  for (auto& kind : kinds_) {
    PowerDomain& d = kind.tiles[t];
    const DomainTimeline before = d.timeline();
    d.Release(now_cycles);
    Charge(kind, before, d.timeline(), layer_of_[t]);
  }
}

void TilePower::Finish(double horizon_cycles) {
  for (auto& kind : kinds_) {
    for (size_t t = 0; t < kind.tiles.size(); ++t) {
      const DomainTimeline before = kind.tiles[t].timeline();
      const DomainTimeline after = kind.tiles[t].Finish(horizon_cycles);
      Charge(kind, before, after, std::max(0, layer_of_[t]));  // a never-used tile: layer 0
      kind.result.tiles.push_back(after);
    }
  }
}

std::vector<PowerDomainResult> TilePower::Results() const {
  std::vector<PowerDomainResult> out;
  for (const auto& k : kinds_) out.push_back(k.result);
  return out;
}

}  // namespace pjsim
