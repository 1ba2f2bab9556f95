#pragma once
// The order of a mapping search's results. The best value of the objective and every mapping within
// `tolerance` of it are ties, ranked by the secondary criterion (energy for latency, time
// otherwise), then DRAM bytes, then SRAM bytes: the estimate is not exact to 1%, and among equally
// good mappings the secondary one is what a designer would pick on. The rest follow by the
// objective. A window around the best value, not a pairwise "within 1%" test: that test is not
// transitive (a ~ b and b ~ c while a < c), so the order candidates arrive in could decide the
// pick.
#include <cstddef>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/mapping/mapping_search.h"

namespace pjsim {

class MappingRanking {
 public:
  MappingRanking(MappingObjective objective, size_t top, double tolerance = 0.01);

  void Add(RankedMapping r);
  // Whether a mapping whose estimate can be no better than `bound` on any count (cycles,
  // energy, DRAM bytes) could not be among the `top` any more: outside the best's tie window and
  // behind `top` kept mappings. Such a mapping need not be estimated in full.
  bool Excludes(const MappingEstimate& bound) const;
  bool empty() const { return window_.empty() && rest_.empty(); }
  // The `top` best, best first; the ranking is empty afterwards.
  std::vector<RankedMapping> Take();

 private:
  double Primary(const MappingEstimate& e) const;
  double Secondary(const MappingEstimate& e) const;
  // The order among ties: secondary, DRAM bytes, SRAM bytes.
  bool TieLess(const MappingEstimate& a, const MappingEstimate& b) const;
  // The order outside the window: primary, then as ties.
  bool RestLess(const MappingEstimate& a, const MappingEstimate& b) const;
  bool InWindow(const MappingEstimate& e) const;
  void AddToRest(RankedMapping r);

  MappingObjective objective_;
  size_t top_;
  double tolerance_;
  double best_;                        // the best primary value so far
  std::vector<RankedMapping> window_;  // within tolerance of best_, in arrival order
  std::vector<RankedMapping> rest_;    // the others' `top_` best, sorted by RestLess
};

}  // namespace pjsim
