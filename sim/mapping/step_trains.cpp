#include "sim/mapping/step_trains.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "sim/mapping/channel_port_replay.h"

namespace pjsim {

StepTrains::StepTrains(const ArchConfig& arch)
    : arch_(arch),
      replay_(std::make_unique<ChannelPortReplay>(arch, static_cast<size_t>(arch.TileCount()))) {
  enabled_ = arch.dram.channels.size() > 1 && arch.noc.params &&
             std::isfinite(arch.noc.params->HoldingTrainBytes());
  // Loads of 8 interleave chunks per channel, and pieces far above the holding size.
  const double channels = static_cast<double>(arch.dram.channels.size());
  interleave_ = std::max(1.0, arch.dram.interleave_bytes);
  period_ = channels * interleave_;
  canonical_ = 8 * period_;
  if (enabled_)
    canonical_ = std::max(canonical_, 8 * channels * arch.noc.params->HoldingTrainBytes());
}

StepTrains::~StepTrains() = default;

std::size_t StepTrains::Hash::operator()(const GridStep& s) const {
  const GridLinkLoads::Round& r = s.round;
  std::uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix = [&h](std::uint64_t v) { h = (h ^ v) * 0x100000001B3ULL; };
  for (std::int64_t v : {r.pm, r.pn, r.pk, r.rows, r.cols}) mix(static_cast<std::uint64_t>(v));
  mix(static_cast<std::uint64_t>(r.share_a) | static_cast<std::uint64_t>(r.share_b) << 1 |
      static_cast<std::uint64_t>(r.placement) << 2);
  for (double v : {s.a_bytes, s.b_bytes, s.a_row_stride, s.a_range_stride, s.a_group_stride,
                   s.b_range_stride, s.b_group_stride}) {
    mix(std::bit_cast<std::uint64_t>(v));
  }
  return static_cast<std::size_t>(h ^ (h >> 29));
}

double StepTrains::Cycles(const GridStep& exact,
                          const std::vector<std::int64_t>& first_tiles) const {
  if (!enabled_ || (exact.a_bytes <= 0 && exact.b_bytes <= 0)) return 0;
  GridStep step = exact;
  // Only where a load starts within the channels' interleave period picks its channels: the
  // offsets modulo the period (at large loads, below, whole chunks: a byte more or less of a
  // piece of many chunks is nothing).
  const double larger = std::max(exact.a_bytes, exact.b_bytes);
  for (double* stride : {&step.a_row_stride, &step.a_range_stride, &step.a_group_stride,
                         &step.b_range_stride, &step.b_group_stride}) {
    *stride = std::fmod(*stride, period_);
    if (larger > canonical_) *stride = std::floor(*stride / interleave_) * interleave_;
  }
  if (exact.a_bytes <= 0) step.a_row_stride = step.a_range_stride = step.a_group_stride = 0;
  if (exact.b_bytes <= 0) step.b_range_stride = step.b_group_stride = 0;
  if (larger <= canonical_) return Memoised(step, first_tiles);
  // Loads of many interleave chunks each: every time in the replay (a piece's DRAM service, its
  // flits) is proportional to the bytes, so a step of larger loads is the replay of loads of
  // `canonical_` bytes, scaled up. The search weighs thousands of block sizes, whose steps differ
  // in little more than the ratio of the smaller load to the larger: that one is interpolated
  // between the 33 sizes 0, 1/32, ..., 1 of the canonical load (the time is smooth in it).
  const double scale = larger / canonical_;
  const bool a_larger = exact.a_bytes >= exact.b_bytes;
  const double smaller = (a_larger ? exact.b_bytes : exact.a_bytes) / scale;
  const double unit = canonical_ / 32;
  const double below = std::floor(smaller / unit) * unit;
  const auto at = [&](double bytes) {
    step.a_bytes = a_larger ? canonical_ : bytes;
    step.b_bytes = a_larger ? bytes : canonical_;
    return Memoised(step, first_tiles);
  };
  const double low = at(below);
  const double part = (smaller - below) / unit;
  const double cycles = part > 0 ? low + part * (at(below + unit) - low) : low;
  return cycles * scale;
}

double StepTrains::Memoised(const GridStep& step,
                            const std::vector<std::int64_t>& first_tiles) const {
  const auto known = known_.find(step);
  if (known != known_.end()) return known->second;
  const double cycles = Replay(step, first_tiles);
  known_.emplace(step, cycles);
  return cycles;
}

double StepTrains::Replay(const GridStep& step,
                          const std::vector<std::int64_t>& first_tiles) const {
  const GridLinkLoads::Round& r = step.round;
  ChannelPortReplay& trains = *replay_;
  trains.Reset();
  const bool load_a = step.a_bytes > 0, load_b = step.b_bytes > 0;
  const auto tile = [&](std::int64_t first, std::int64_t l, std::int64_t i, std::int64_t j) {
    return static_cast<size_t>(first + (l * r.pm + i) * r.pn + j);
  };
  // The step's loads in the order the tiles' loaders issue them, tile by tile: a tile's own
  // loads, then the shared loads it is the last receiver of (a grid row's A with its last
  // column, a grid column's B with its last row).
  loads_.clear();
  const auto add = [&](double offset, double size) -> std::vector<size_t>& {
    StepLoad& x = loads_.emplace_back();
    x.offset = offset;
    x.bytes = size;
    x.receivers.clear();
    return x.receivers;
  };
  for (size_t g = 0; g < first_tiles.size(); ++g) {
    const std::int64_t first = first_tiles[g];
    const double a_base = static_cast<double>(g) * step.a_group_stride;
    const double b_base = static_cast<double>(g) * step.b_group_stride;
    for (std::int64_t l = 0; l < r.pk; ++l) {
      for (std::int64_t i = 0; i < r.rows; ++i) {
        for (std::int64_t j = 0; j < r.cols; ++j) {
          const double a_at = a_base + static_cast<double>(l) * step.a_range_stride +
                              static_cast<double>(i) * step.a_row_stride;
          const double b_at = b_base + static_cast<double>(l) * step.b_range_stride +
                              static_cast<double>(j) * step.b_bytes;
          const size_t at = tile(first, l, i, j);
          if (load_a && !r.share_a) add(a_at, step.a_bytes).push_back(at);
          if (load_b && !r.share_b) add(b_at, step.b_bytes).push_back(at);
          if (load_a && r.share_a && j == r.cols - 1) {
            auto& to = add(a_at, step.a_bytes);
            for (std::int64_t c = 0; c < r.cols; ++c) to.push_back(tile(first, l, i, c));
          }
          if (load_b && r.share_b && i == r.rows - 1) {
            auto& to = add(b_at, step.b_bytes);
            for (std::int64_t w = 0; w < r.rows; ++w) to.push_back(tile(first, l, w, j));
          }
        }
      }
    }
  }
  // All issued at once: every channel serves them in that order, each piece as one train.
  double last = 0;
  for (const StepLoad& x : loads_) {
    trains.Pieces(static_cast<std::uint64_t>(x.offset),
                  static_cast<std::int64_t>(std::ceil(x.bytes)), pieces_);
    last = std::max(last, trains.Load(0, pieces_, x.receivers));
  }
  return last;
}

}  // namespace pjsim
