#include "sim/mapping/lifetime_offsets.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace pjsim {

LifetimeOffsets PlanLifetimeOffsets(const std::vector<Lifetime>& buffers, std::uint64_t alignment) {
  const auto aligned = [&](std::uint64_t b) { return (b + alignment - 1) / alignment * alignment; };
  std::vector<size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const std::uint64_t sa = aligned(buffers[a].bytes), sb = aligned(buffers[b].bytes);
    if (sa != sb) return sa > sb;
    return buffers[a].first < buffers[b].first;
  });
  LifetimeOffsets plan;
  plan.offsets.assign(buffers.size(), 0);
  std::vector<size_t> placed;  // buffers with an offset, in placing order
  std::vector<size_t> live;    // those of them live with the one being placed, by offset
  for (size_t i : order) {
    const Lifetime& t = buffers[i];
    const std::uint64_t size = aligned(t.bytes);
    if (size == 0) continue;
    live.clear();
    for (size_t p : placed) {
      if (buffers[p].first <= t.last && t.first <= buffers[p].last) live.push_back(p);
    }
    std::sort(live.begin(), live.end(), [&](size_t a, size_t b) {
      return plan.offsets[a] != plan.offsets[b] ? plan.offsets[a] < plan.offsets[b] : a < b;
    });
    // The smallest gap that holds it (best fit), else above every live buffer.
    std::uint64_t end = 0;
    std::uint64_t best = 0, best_gap = std::numeric_limits<std::uint64_t>::max();
    for (size_t p : live) {
      const std::uint64_t base = plan.offsets[p];
      if (base >= end && base - end >= size && base - end < best_gap) {
        best_gap = base - end;
        best = end;
      }
      end = std::max(end, base + aligned(buffers[p].bytes));
    }
    plan.offsets[i] = best_gap != std::numeric_limits<std::uint64_t>::max() ? best : end;
    plan.bytes = std::max(plan.bytes, plan.offsets[i] + size);
    placed.push_back(i);
  }
  return plan;
}

}  // namespace pjsim
