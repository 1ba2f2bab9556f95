#include "models/power_trace.h"

#include <algorithm>
#include <array>

#include "models/platform_context.h"

namespace pjsim {
namespace {

// Components by the names categories and actions give them, and their tracks' names, in the
// order the tracks are shown.
constexpr std::array<std::pair<const char*, const char*>, 6> kComponents = {
    {{"compute", "tiles"},
     {"tile", "tiles"},
     {"tile_logic", "tiles"},
     {"sram", "SRAM"},
     {"dram", "DRAM"},
     {"noc", "NoC"}}};

const char* ComponentTrack(const std::string& name) {
  for (const auto& [component, track] : kComponents) {
    if (name == component) return track;
  }
  return nullptr;
}

std::int64_t TrackOrder(const std::string& track) {
  for (std::size_t i = 0; i < kComponents.size(); ++i) {
    if (track == kComponents[i].second) return static_cast<std::int64_t>(i);
  }
  return static_cast<std::int64_t>(kComponents.size());
}

}  // namespace

std::string PowerDomainOf(const Action& action) {
  const std::size_t dot = action.category.find('.');
  const std::string first = action.category.substr(0, dot);
  const std::string rest = dot == std::string::npos ? "" : action.category.substr(dot + 1);
  if (first == "leakage" || first == "gating") {
    // leakage.sram is a component; leakage.idle or gating.wakeup name the domain in the action.
    if (const char* track = ComponentTrack(rest)) return track;
    if (const char* track = ComponentTrack(action.name)) return track;
  }
  if (const char* track = ComponentTrack(first)) return track;
  return first;
}

PowerTrace::PowerTrace(EnergyLedger& ledger, TraceRecorder& trace, std::uint64_t period_ps)
    : ledger_(ledger), trace_(trace), period_ps_(period_ps) {
  ledger_.Listen(this);
}

PowerTrace::~PowerTrace() {
  if (listening_) ledger_.Listen(nullptr);
}

int PowerTrace::TrackOf(ActionId action) {
  const auto a = static_cast<std::size_t>(action);
  if (a >= track_of_.size()) track_of_.resize(ledger_.actions().size(), -1);
  if (track_of_[a] >= 0) return track_of_[a];
  const std::string name = PowerDomainOf(ledger_.actions()[a]);
  auto it = std::find_if(domains_.begin(), domains_.end(),
                         [&](const auto& d) { return d.first == name; });
  if (it == domains_.end()) {
    domains_.emplace_back(name, trace_.AddTrack(TrackKind::kPower, name, TrackOrder(name)));
    it = domains_.end() - 1;
  }
  return track_of_[a] = it->second;
}

void PowerTrace::SetLeakage(std::vector<std::pair<ActionId, double>> per_cycle) {
  leak_pj_per_ps_.clear();
  for (const auto& [action, count] : per_cycle) {
    const double pj_per_cycle =
        count * ledger_.actions()[static_cast<std::size_t>(action)].pj_per_unit;
    if (pj_per_cycle == 0) continue;
    leak_pj_per_ps_.emplace_back(TrackOf(action), pj_per_cycle / static_cast<double>(period_ps_));
  }
}

void PowerTrace::LeakUntil(std::uint64_t now_ps) {
  if (now_ps <= leaked_until_ps_) return;
  const auto ps = static_cast<double>(now_ps - leaked_until_ps_);
  for (const auto& [track, pj_per_ps] : leak_pj_per_ps_)
    trace_.AddEnergy(track, -1, now_ps, leaked_until_ps_, now_ps, pj_per_ps * ps);
  leaked_until_ps_ = now_ps;
}

void PowerTrace::Charged(int layer, ActionId action, double count) {
  const Action& a = ledger_.actions()[static_cast<std::size_t>(action)];
  const double pj = count * a.pj_per_unit;
  if (pj == 0) return;
  const int track = TrackOf(action);
  const std::uint64_t now = Now();
  LeakUntil(now);
  std::uint64_t start = now;
  if (a.unit == "tile-cycle") {
    const std::uint64_t span = static_cast<std::uint64_t>(count * static_cast<double>(period_ps_));
    start = now > span ? now - span : 0;
  }
  trace_.AddEnergy(track, layer, now, start, now, pj);
}

void PowerTrace::Finish(std::uint64_t end_ps) {
  LeakUntil(end_ps);
  ledger_.Listen(nullptr);
  listening_ = false;
}

}  // namespace pjsim
