#include "sim/mapping/channel_injection.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <random>

namespace pjsim {

double HolSaturationThroughput(int inputs, int outputs) {
  if (inputs < 1 || outputs < 1) return 1;
  // Every input always has a head cell (saturation); each output serves one of the head cells
  // addressed to it, chosen at random, and the served input draws a new head cell.
  std::mt19937 rng(1);
  const auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::vector<int> head(static_cast<size_t>(inputs));
  for (int& h : head) h = pick(outputs);
  constexpr int kSlots = 20000;
  std::vector<std::vector<int>> waiting(static_cast<size_t>(outputs));
  std::int64_t served = 0;
  for (int slot = 0; slot < kSlots; ++slot) {
    for (auto& w : waiting) w.clear();
    for (int i = 0; i < inputs; ++i)
      waiting[static_cast<size_t>(head[static_cast<size_t>(i)])].push_back(i);
    for (const auto& w : waiting) {
      if (w.empty()) continue;
      const int i = w[static_cast<size_t>(pick(static_cast<int>(w.size())))];
      head[static_cast<size_t>(i)] = pick(outputs);
      ++served;
    }
  }
  return static_cast<double>(served) / (static_cast<double>(inputs) * kSlots);
}

ChannelInjection::ChannelInjection(const ArchConfig& arch)
    : channels_(static_cast<double>(arch.dram.channels.size())),
      link_bytes_(arch.noc.link_bytes_per_cycle),
      interleave_(std::max(1.0, arch.dram.interleave_bytes)) {
  holding_bytes_ = arch.noc.params ? arch.noc.params->HoldingTrainBytes()
                                   : std::numeric_limits<double>::infinity();
  if (arch.dram.channels.size() < 2 || !std::isfinite(holding_bytes_)) return;  // no limit
  const int c = static_cast<int>(arch.dram.channels.size());
  for (int m = 1; m <= c; ++m) throughput_.push_back(HolSaturationThroughput(c, m));
}

double ChannelInjection::CyclesPerByte(double trains, double train_bytes) const {
  if (throughput_.empty() || trains <= 0 || train_bytes <= 0) return 0;
  // A train is striped over the channels its bytes reach (interleave-sized chunks).
  const double pieces = std::clamp(std::ceil(train_bytes / interleave_), 1.0, channels_);
  // A piece too short to fill the virtual channels on its way never holds its channel.
  if (train_bytes / pieces <= holding_bytes_) return 0;
  const auto outputs = static_cast<size_t>(std::clamp(std::ceil(trains), 1.0, channels_));
  return 1 / (channels_ * throughput_[outputs - 1] * link_bytes_);
}

}  // namespace pjsim
