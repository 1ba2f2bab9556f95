#pragma once
// Pareto sets for design-space results: the designs no other design beats on both objectives.
#include <cstddef>
#include <utility>
#include <vector>

namespace pjsim::sweep {

// Indices of the points not dominated when both coordinates are minimized, ordered by the first
// coordinate (then the second, then index). A point is dominated if another is no worse in both
// and better in at least one; exact duplicates are all kept.
std::vector<size_t> ParetoFront(const std::vector<std::pair<double, double>>& points);

}  // namespace pjsim::sweep
