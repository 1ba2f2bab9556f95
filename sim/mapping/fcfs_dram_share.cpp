#include "sim/mapping/fcfs_dram_share.h"

#include <algorithm>
#include <limits>

namespace pjsim {

std::vector<double> FcfsFinishCycles(const std::vector<TileDemand>& tiles,
                                     double dram_bytes_per_cycle, bool by_request_size) {
  const size_t n = tiles.size();
  std::vector<double> finish(n, 0), left(n, 0), cap(n, 0), weight(n, 0), rate(n, 0);
  std::vector<size_t> active;
  for (size_t i = 0; i < n; ++i) {
    const TileDemand& t = tiles[i];
    if (t.bytes <= 0) {
      finish[i] = t.busy_cycles;
      continue;
    }
    left[i] = t.bytes;
    // Its own work bounds its pace: no faster than `bytes` over `busy_cycles`.
    cap[i] = t.busy_cycles > 0 ? t.bytes / t.busy_cycles : std::numeric_limits<double>::infinity();
    weight[i] = by_request_size ? std::max(t.request_bytes, 1.0) : 1.0;
    active.push_back(i);
  }
  double now = 0;
  while (!active.empty()) {
    // Water-filling: tiles that cannot use their proportional share take their cap; the rest of
    // the bandwidth is shared by the others in proportion to their weights. Tiles in order of
    // cap per weight: those below the level the others leave are capped.
    std::sort(active.begin(), active.end(),
              [&](size_t a, size_t b) { return cap[a] * weight[b] < cap[b] * weight[a]; });
    double spare = dram_bytes_per_cycle, weights = 0;
    for (size_t i : active) weights += weight[i];
    size_t capped = 0;
    for (; capped < active.size(); ++capped) {
      const size_t i = active[capped];
      if (cap[i] * weights >= spare * weight[i]) break;  // the level reaches no further cap
      spare -= cap[i];
      weights -= weight[i];
    }
    for (size_t j = 0; j < active.size(); ++j) {
      const size_t i = active[j];
      rate[i] = j < capped ? cap[i] : std::max(0.0, spare) * weight[i] / weights;
    }
    // Advance to the next finish; the survivors share what it frees.
    double step = std::numeric_limits<double>::infinity();
    size_t first = n;
    for (size_t i : active) {
      if (rate[i] > 0 && left[i] / rate[i] < step) {
        step = left[i] / rate[i];
        first = i;
      }
    }
    if (first == n) break;  // no bandwidth at all
    now += step;
    std::vector<size_t> still;
    for (size_t i : active) {
      left[i] -= rate[i] * step;
      if (i == first || left[i] <= tiles[i].bytes * 1e-12) {
        finish[i] = std::max(now, tiles[i].busy_cycles);
      } else {
        still.push_back(i);
      }
    }
    active.swap(still);
  }
  for (size_t i : active) finish[i] = std::numeric_limits<double>::infinity();
  return finish;
}

}  // namespace pjsim
