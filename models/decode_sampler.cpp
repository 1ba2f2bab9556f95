#include "models/decode_sampler.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string_view>
#include <utility>

namespace pjsim {
namespace {

// The mapping description without its block sizes ("blocks MxKxN grid ..." -> "grid ...").
std::string_view Structure(const std::string& mapping) {
  const size_t grid = mapping.find(" grid ");
  return grid == std::string::npos ? std::string_view(mapping)
                                   : std::string_view(mapping).substr(grid + 1);
}

// What a recorded run added to one ledger cell.
double CellTotal(const LayerReplay::Cell& c) {
  return c.charges.empty() ? c.sum : std::accumulate(c.charges.begin(), c.charges.end(), 0.0);
}

double RelativeError(double predicted, double actual) {
  if (actual == 0) return predicted == 0 ? 0 : 1;
  return std::fabs(predicted - actual) / std::fabs(actual);
}

std::uint64_t ExtrapolatePs(std::uint64_t a, std::uint64_t b, double t) {
  return static_cast<std::uint64_t>(
      std::llround(Extrapolate(static_cast<double>(a), static_cast<double>(b), t)));
}

}  // namespace

DecodeSampler::DecodeSampler(PlatformContext& ctx, std::vector<Replayable*> components,
                             std::int64_t interval, std::int64_t passes, size_t layers)
    : ctx_(ctx),
      components_(std::move(components)),
      interval_(interval),
      passes_(passes),
      layers_(layers) {}

bool DecodeSampler::DetailedPass(std::int64_t pass) const {
  return pass < 2 || pass % interval_ == 0 || pass == passes_ - 1;
}

bool DecodeSampler::Quiet(std::uint64_t now_ps) const {
  return std::all_of(components_.begin(), components_.end(),
                     [&](const Replayable* c) { return c->Quiet(now_ps); });
}

DecodeSampler::LineKey DecodeSampler::KeyOf(const Tiling& tiling, const Layer& op) {
  // A block that covers its whole dimension grows with it (a softmax row, a KV length that
  // fits): the same way of running. Other block sizes may follow the KV length (balanced
  // blocks) without changing the way the layer runs; the checks measure what that costs.
  const auto whole = [](std::int64_t block, std::int64_t dim) { return block >= dim; };
  LineKey key;
  key.whole = {whole(tiling.block_m, op.m), whole(tiling.block_k, op.k),
               whole(tiling.block_n, op.n)};
  key.grid = {tiling.grid_m, tiling.grid_n, tiling.grid_k, tiling.tiles_used};
  key.structure = std::string(Structure(tiling.mapping));
  return key;
}

bool DecodeSampler::CanExtrapolate(int layer, const Tiling& tiling, const Layer& op,
                                   std::uint64_t now_ps) const {
  const LayerState& s = layers_[static_cast<size_t>(layer)];
  return s.has_line && s.line.first != s.line.last && s.line.key == KeyOf(tiling, op) &&
         Quiet(now_ps);
}

double DecodeSampler::Parameter(const Line& line, std::int64_t pass) {
  return static_cast<double>(pass - line.last_pass) /
         static_cast<double>(line.last_pass - line.first_pass);
}

double DecodeSampler::EnergyPj(const LayerReplay::Record& record) const {
  double pj = 0;
  for (const LayerReplay::Cell& c : record.cells)
    pj += CellTotal(c) * ctx_.ledger.actions()[static_cast<size_t>(c.action)].pj_per_unit;
  return pj;
}

DecodeSampler::Run DecodeSampler::Apply(int layer, std::int64_t pass, std::int64_t tasks,
                                        std::uint64_t now_ps) {
  LayerState& s = layers_[static_cast<size_t>(layer)];
  const LayerReplay::Record &a = *s.line.first, &b = *s.line.last;
  const double t = Parameter(s.line, pass);
  // Ledger cells: each along its line (a cell only one of the runs charged counts 0 in the
  // other), in the latest run's order, then the first run's cells the latest did not charge.
  std::map<std::pair<int, ActionId>, double> first;
  for (const LayerReplay::Cell& c : a.cells) first[{c.layer, c.action}] += CellTotal(c);
  double pj = 0;
  auto charge = [&](int cell_layer, ActionId action, double count) {
    if (count == 0) return;
    const int to = cell_layer == b.layer ? layer : cell_layer;
    ctx_.ledger.Add(to, action, count);
    pj += count * ctx_.ledger.actions()[static_cast<size_t>(action)].pj_per_unit;
  };
  for (const LayerReplay::Cell& c : b.cells) {
    auto it = first.find({c.layer, c.action});
    const double before = it == first.end() ? 0 : it->second;
    if (it != first.end()) first.erase(it);
    charge(c.layer, c.action, Extrapolate(before, CellTotal(c), t));
  }
  for (const auto& [key, before] : first) charge(key.first, key.second, Extrapolate(before, 0, t));
  for (size_t c = 0; c < components_.size(); ++c)
    components_[c]->ApplyExtrapolated(*a.parts[c], *b.parts[c], t, now_ps);
  RunStats& st = ctx_.stats;
  const auto line = [t](double x, double y) { return std::round(Extrapolate(x, y, t)); };
  st.tile_tasks += tasks;
  st.waits += static_cast<std::int64_t>(
      line(static_cast<double>(a.stats.waits), static_cast<double>(b.stats.waits)));
  st.transactions += static_cast<std::int64_t>(
      line(static_cast<double>(a.stats.transactions), static_cast<double>(b.stats.transactions)));
  st.multicast_copy_bytes += line(a.stats.multicast_copy_bytes, b.stats.multicast_copy_bytes);
  st.reduction_bytes += line(a.stats.reduction_bytes, b.stats.reduction_bytes);
  st.gather_overfetch_bytes += line(a.stats.gather_overfetch_bytes, b.stats.gather_overfetch_bytes);

  Run run;
  run.duration_ps = ExtrapolatePs(a.duration_ps, b.duration_ps, t);
  for (size_t i = 0; i < b.busy_ps.size(); ++i) {
    // Never busy longer than the run lasts.
    run.busy_ps.push_back(std::min(
        run.duration_ps, ExtrapolatePs(i < a.busy_ps.size() ? a.busy_ps[i] : 0, b.busy_ps[i], t)));
  }
  ++extrapolated_runs_;
  s.extrapolated_ps += static_cast<double>(run.duration_ps);
  s.extrapolated_pj += pj;
  return run;
}

void DecodeSampler::Add(int layer, std::int64_t pass, const Tiling& tiling, const Layer& op,
                        std::shared_ptr<const LayerReplay::Record> record) {
  ++detailed_runs_;
  LayerState& s = layers_[static_cast<size_t>(layer)];
  if (!record) {  // not recorded: no line through it
    s.has_line = false;
    return;
  }
  if (LineKey key = KeyOf(tiling, op); !s.has_line || !(s.line.key == key)) {
    s.line = {std::move(key), pass, pass, record, record};
    s.has_line = true;
    return;
  }
  if (s.line.first != s.line.last) {  // a line to check against
    const double t = Parameter(s.line, pass);
    const LayerReplay::Record &a = *s.line.first, &b = *s.line.last;
    const double time =
        RelativeError(static_cast<double>(ExtrapolatePs(a.duration_ps, b.duration_ps, t)),
                      static_cast<double>(record->duration_ps));
    const double energy =
        RelativeError(Extrapolate(EnergyPj(a), EnergyPj(b), t), EnergyPj(*record));
    s.max_error_time = std::max(s.max_error_time, time);
    s.max_error_energy = std::max(s.max_error_energy, energy);
    ++s.checks;
  }
  s.line.last = std::move(record);
  s.line.last_pass = pass;
}

DecodeSamplingResult DecodeSampler::Result() const {
  DecodeSamplingResult r;
  r.interval = interval_;
  r.applied = true;
  r.detailed_runs = detailed_runs_;
  r.extrapolated_runs = extrapolated_runs_;
  for (const LayerState& s : layers_) {
    r.checks += s.checks;
    r.max_check_error_time = std::max(r.max_check_error_time, s.max_error_time);
    r.max_check_error_energy = std::max(r.max_check_error_energy, s.max_error_energy);
  }
  for (const LayerState& s : layers_) {
    const bool checked = s.checks > 0;
    r.error_bound_ps += s.extrapolated_ps * (checked ? s.max_error_time : r.max_check_error_time);
    r.error_bound_pj +=
        s.extrapolated_pj * (checked ? s.max_error_energy : r.max_check_error_energy);
  }
  return r;
}

}  // namespace pjsim
