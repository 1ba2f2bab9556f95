#include "sim/mapping/mapping_ranking.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace pjsim {

MappingRanking::MappingRanking(MappingObjective objective, size_t top, double tolerance)
    : objective_(objective),
      top_(top),
      tolerance_(tolerance),
      best_(std::numeric_limits<double>::infinity()) {}

double MappingRanking::Primary(const MappingEstimate& e) const {
  switch (objective_) {
    case MappingObjective::kLatency:
      return e.cycles;
    case MappingObjective::kEnergy:
      return e.energy_pj;
    case MappingObjective::kEdp:
      return e.energy_pj * e.cycles;
    case MappingObjective::kDramBytes:
      return e.DramBytes();
  }
  return e.cycles;
}

double MappingRanking::Secondary(const MappingEstimate& e) const {
  return objective_ == MappingObjective::kLatency ? e.energy_pj : e.cycles;
}

bool MappingRanking::TieLess(const MappingEstimate& a, const MappingEstimate& b) const {
  if (Secondary(a) != Secondary(b)) return Secondary(a) < Secondary(b);
  if (a.DramBytes() != b.DramBytes()) return a.DramBytes() < b.DramBytes();
  return a.sram_bytes < b.sram_bytes;
}

bool MappingRanking::RestLess(const MappingEstimate& a, const MappingEstimate& b) const {
  if (Primary(a) != Primary(b)) return Primary(a) < Primary(b);
  return TieLess(a, b);
}

bool MappingRanking::InWindow(const MappingEstimate& e) const {
  return Primary(e) <= best_ * (1 + tolerance_);
}

void MappingRanking::AddToRest(RankedMapping r) {
  // After equals: the earlier of two identical estimates stays first.
  const auto at = std::upper_bound(rest_.begin(), rest_.end(), r,
                                   [this](const RankedMapping& x, const RankedMapping& y) {
                                     return RestLess(x.estimate, y.estimate);
                                   });
  if (static_cast<size_t>(at - rest_.begin()) >= top_) return;
  rest_.insert(at, std::move(r));
  if (rest_.size() > top_) rest_.pop_back();
}

void MappingRanking::Add(RankedMapping r) {
  const double p = Primary(r.estimate);
  if (p < best_) {
    // A new best narrows the window: who falls out of it competes on the objective alone.
    best_ = p;
    std::vector<RankedMapping> kept;
    for (RankedMapping& w : window_) {
      if (InWindow(w.estimate)) {
        kept.push_back(std::move(w));
      } else {
        AddToRest(std::move(w));
      }
    }
    window_ = std::move(kept);
  }
  if (InWindow(r.estimate)) {
    window_.push_back(std::move(r));
  } else {
    AddToRest(std::move(r));
  }
}

bool MappingRanking::Excludes(const MappingEstimate& bound) const {
  if (InWindow(bound)) return false;  // the best only improves: outside now, outside for good
  // Every mapping in the window, and in the rest every one strictly better than the bound, would
  // be taken before it (a better best only moves window entries to the rest, still before it).
  const double p = Primary(bound);
  size_t ahead = window_.size();
  for (const RankedMapping& r : rest_) {
    if (Primary(r.estimate) < p) ++ahead;
  }
  return ahead >= top_;
}

std::vector<RankedMapping> MappingRanking::Take() {
  std::stable_sort(window_.begin(), window_.end(), [this](const auto& x, const auto& y) {
    return TieLess(x.estimate, y.estimate);
  });
  std::vector<RankedMapping> out;
  for (RankedMapping& r : window_) {
    if (out.size() == top_) break;
    out.push_back(std::move(r));
  }
  for (RankedMapping& r : rest_) {
    if (out.size() == top_) break;
    out.push_back(std::move(r));
  }
  window_.clear();
  rest_.clear();
  best_ = std::numeric_limits<double>::infinity();
  return out;
}

}  // namespace pjsim
