#include "sim/mapping/pipeline_shares.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <map>
#include <stdexcept>

namespace pjsim {

std::vector<double> DramShares(const std::vector<PipelinedLayer>& running) {
  const size_t n = running.size();
  const auto busy = [&](size_t i) { return std::clamp(running[i].dram_busy, 0.0, 1.0); };
  // Saturated: the DRAM split in proportion to the bytes queued, none getting more than it uses
  // alone (what it leaves goes to the others).
  std::vector<double> given(n, 0);
  std::vector<bool> capped(n, false);
  double left = 1;
  for (bool more = true; more;) {
    more = false;
    double weight = 0;
    for (size_t i = 0; i < n; ++i) weight += capped[i] ? 0 : running[i].queued_bytes;
    for (size_t i = 0; i < n; ++i) {
      if (capped[i] || busy(i) > left * running[i].queued_bytes / weight) continue;
      capped[i] = more = true;
      given[i] = busy(i);
      left -= busy(i);
    }
  }
  double weight = 0, queued = 0;
  for (size_t i = 0; i < n; ++i) {
    weight += capped[i] ? 0 : running[i].queued_bytes;
    queued += busy(i) * running[i].queued_bytes;
  }
  const bool saturated = weight > 0;
  std::vector<double> shares(n, 1);
  for (size_t i = 0; i < n; ++i) {
    if (busy(i) == 0) continue;  // nothing to load: no share to take
    if (!capped[i]) given[i] = left * running[i].queued_bytes / weight;
    // What the others leave it (all of the DRAM they do not use, below saturation), and at most
    // what its bursts get when they find the others' loads queued.
    const double leftover = given[i] + (saturated ? 0 : left);
    const double q = running[i].queued_bytes;
    shares[i] = std::min(leftover, q / (q + queued - busy(i) * q));
  }
  return shares;
}

std::vector<PipelinedSpan> PipelinedSchedule(const std::vector<PipelinedLayer>& layers,
                                             const std::vector<int>& order) {
  const size_t n = layers.size();
  std::vector<PipelinedSpan> spans(n);
  std::vector<std::vector<int>> consumers(n);
  std::vector<size_t> waiting(n);
  for (size_t l = 0; l < n; ++l) {
    waiting[l] = layers[l].predecessors.size();
    for (int p : layers[l].predecessors)
      consumers[static_cast<size_t>(p)].push_back(static_cast<int>(l));
  }
  std::vector<bool> started(n, false);
  std::vector<double> left(n, 1);  // the part of its work still to do
  std::map<int, bool> group_busy;
  std::vector<size_t> running;
  double now = 0;
  size_t done = 0;
  while (done < n) {
    for (int l : order) {
      const auto i = static_cast<size_t>(l);
      if (started[i] || waiting[i] > 0 || group_busy[layers[i].group]) continue;
      started[i] = true;
      group_busy[layers[i].group] = true;
      spans[i].start = now;
      running.push_back(i);
    }
    if (running.empty()) throw std::logic_error("PipelinedSchedule: the layers wait in a cycle");
    // Each running layer's pace at its share while this set runs; the first to finish ends the
    // interval.
    std::vector<PipelinedLayer> set;
    for (size_t i : running)
      set.push_back({layers[i].group, {}, layers[i].dram_busy, layers[i].queued_bytes, nullptr});
    const std::vector<double> shares = DramShares(set);
    std::vector<double> cycles(running.size());
    double step = std::numeric_limits<double>::infinity();
    for (size_t r = 0; r < running.size(); ++r) {
      std::vector<int> beside;
      for (size_t o : running) {
        if (o != running[r]) beside.push_back(layers[o].group);
      }
      cycles[r] = std::max(0.0, layers[running[r]].cycles(shares[r], beside));
      step = std::min(step, left[running[r]] * cycles[r]);
    }
    now += step;
    std::vector<size_t> still;
    for (size_t r = 0; r < running.size(); ++r) {
      const size_t i = running[r];
      const double remaining = left[i] * cycles[r];
      if (remaining > step * (1 + 1e-12)) {
        left[i] -= step / cycles[r];
        still.push_back(i);
        continue;
      }
      spans[i].end = now;
      group_busy[layers[i].group] = false;
      for (int c : consumers[i]) --waiting[static_cast<size_t>(c)];
      ++done;
    }
    running = std::move(still);
  }
  return spans;
}

}  // namespace pjsim
