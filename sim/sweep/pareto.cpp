#include "sim/sweep/pareto.h"

#include <algorithm>
#include <numeric>

namespace pjsim::sweep {

std::vector<size_t> ParetoFront(const std::vector<std::pair<double, double>>& points) {
  std::vector<size_t> order(points.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return points[a] != points[b] ? points[a] < points[b] : a < b;
  });
  // Sweep in order of the first coordinate: a point is on the front if its second coordinate is
  // below every earlier one's (or equals the last kept point exactly).
  std::vector<size_t> front;
  for (const size_t i : order) {
    if (front.empty()) {
      front.push_back(i);
      continue;
    }
    const auto& last = points[front.back()];
    if (points[i].second < last.second || points[i] == last) front.push_back(i);
  }
  return front;
}

}  // namespace pjsim::sweep
