#include "models/layer_replay.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

namespace pjsim {
namespace {

// The byte counts are whole numbers far below 2^53: their differences, added again, are exact.
RunStats Difference(const RunStats& after, const RunStats& before) {
  return {after.tile_tasks - before.tile_tasks,
          after.waits - before.waits,
          after.transactions - before.transactions,
          after.multicast_copy_bytes - before.multicast_copy_bytes,
          after.reduction_bytes - before.reduction_bytes,
          after.gather_overfetch_bytes - before.gather_overfetch_bytes};
}

// The exponent of the lowest set bit of x's significand: x is a multiple of 2^result. x != 0.
int QuantumExponent(double x) {
  int e = 0;
  const double f = std::frexp(std::fabs(x), &e);
  const auto m = static_cast<std::uint64_t>(std::ldexp(f, 53));
  return e - 53 + std::countr_zero(m);
}

// Multiples of 2^exponent whose magnitudes sum below 2^(52 + exponent) (one bit of margin for
// the rounding of `magnitude` itself) add exactly: every partial sum is representable.
bool Representable(double magnitude, int exponent) {
  return magnitude < std::ldexp(1.0, 52 + exponent);
}

std::vector<LayerReplay::Cell> Cells(const std::vector<EnergyLedger::Entry>& charges) {
  std::vector<LayerReplay::Cell> cells;
  std::map<std::pair<int, ActionId>, size_t> index;
  for (const EnergyLedger::Entry& e : charges) {
    auto [it, added] = index.try_emplace({e.layer, e.action}, cells.size());
    if (added) {
      cells.push_back({});
      cells.back().layer = e.layer;
      cells.back().action = e.action;
      cells.back().exponent = std::numeric_limits<int>::max();
    }
    LayerReplay::Cell& c = cells[it->second];
    c.charges.push_back(e.count);
    c.magnitude += std::fabs(e.count);
    if (e.count != 0) c.exponent = std::min(c.exponent, QuantumExponent(e.count));
  }
  for (LayerReplay::Cell& c : cells) {
    if (c.exponent == std::numeric_limits<int>::max()) {  // only zeros: adds nothing
      c.charges.clear();
      c.exponent = 0;
      continue;
    }
    if (!Representable(c.magnitude, c.exponent)) continue;  // keeps its charges
    for (double x : c.charges) c.sum += x;
    c.charges.clear();
    c.charges.shrink_to_fit();
  }
  return cells;
}

}  // namespace

LayerReplay::LayerReplay(PlatformContext& ctx, std::vector<Replayable*> components, size_t layers)
    : ctx_(ctx), components_(std::move(components)), records_(layers) {}

bool LayerReplay::Quiet(std::uint64_t now_ps) const {
  for (const Replayable* c : components_) {
    if (!c->Quiet(now_ps)) return false;
  }
  return true;
}

const LayerReplay::Record* LayerReplay::Find(int layer, std::uint64_t plan_id,
                                             std::uint64_t now_ps) const {
  const Record* r = records_[static_cast<size_t>(layer)].get();
  if (!r || r->plan_id != plan_id || !Quiet(now_ps)) return nullptr;
  for (size_t c = 0; c < components_.size(); ++c) {
    if (!components_[c]->Matches(*r->parts[c])) return nullptr;
  }
  for (const Cell& c : r->cells) {
    if (!Exact(c)) return nullptr;
  }
  return r;
}

bool LayerReplay::Exact(const Cell& cell) const {
  if (!cell.charges.empty() || cell.magnitude == 0) return true;  // one by one, or nothing
  const double value = ctx_.ledger.Count(cell.layer, cell.action);
  if (value == 0) return true;
  const int exponent = std::min(cell.exponent, QuantumExponent(value));
  return Representable(std::fabs(value) + cell.magnitude, exponent);
}

void LayerReplay::Begin(int layer, std::uint64_t plan_id, std::uint64_t now_ps) {
  records_[static_cast<size_t>(layer)].reset();
  if (!Quiet(now_ps)) return;
  recording_ = layer;
  current_ = std::make_unique<Record>();
  current_->plan_id = plan_id;
  start_ps_ = now_ps;
  stats_before_ = ctx_.stats;
  for (Replayable* c : components_) c->BeginRecord();
  charges_.clear();
  ctx_.ledger.Tap(&charges_);
}

void LayerReplay::End(std::uint64_t now_ps, std::vector<std::uint64_t> busy_ps) {
  ctx_.ledger.Tap(nullptr);
  for (Replayable* c : components_) current_->parts.push_back(c->EndRecord(start_ps_));
  current_->duration_ps = now_ps - start_ps_;
  current_->stats = Difference(ctx_.stats, stats_before_);
  current_->busy_ps = std::move(busy_ps);
  current_->cells = Cells(charges_);
  records_[static_cast<size_t>(recording_)] = std::move(current_);
  recording_ = -1;
}

void LayerReplay::Apply(const Record& record, std::uint64_t now_ps) {
  for (const Cell& c : record.cells) {
    if (c.charges.empty()) {
      if (c.sum != 0) ctx_.ledger.Add(c.layer, c.action, c.sum);
    } else {
      for (double x : c.charges) ctx_.ledger.Add(c.layer, c.action, x);
    }
  }
  for (size_t c = 0; c < components_.size(); ++c) components_[c]->Apply(*record.parts[c], now_ps);
  RunStats& s = ctx_.stats;
  s.tile_tasks += record.stats.tile_tasks;
  s.waits += record.stats.waits;
  s.transactions += record.stats.transactions;
  s.multicast_copy_bytes += record.stats.multicast_copy_bytes;
  s.reduction_bytes += record.stats.reduction_bytes;
  s.gather_overfetch_bytes += record.stats.gather_overfetch_bytes;
  ++replayed_;
}

}  // namespace pjsim
