#include "sim/mapping/channel_port_replay.h"

#include <algorithm>
#include <cmath>

namespace pjsim {

ChannelPortReplay::ChannelPortReplay(const ArchConfig& arch, size_t tiles, std::int64_t first)
    : link_bytes_(arch.noc.link_bytes_per_cycle),
      interleave_(std::max(1.0, arch.dram.interleave_bytes)),
      serving_(arch.dram.channels.size(), 0.0),
      writing_(arch.dram.channels.size(), 0),
      injection_(arch.dram.channels.size(), 0.0),
      busy_(tiles + static_cast<size_t>(arch.TileCount()) * 4),
      width_(std::max<std::int64_t>(1, arch.mesh_width)),
      tiles_(static_cast<std::int64_t>(tiles)),
      first_(first),
      on_route_(busy_.size(), 0) {
  for (const auto& c : arch.dram.channels) channel_at_.emplace_back(c.x, c.y);
  holding_bytes_ = arch.noc.params ? arch.noc.params->HoldingTrainBytes() : INFINITY;
  enabled_ = !serving_.empty() && link_bytes_ > 0;
  trains_ = enabled_ && std::isfinite(holding_bytes_);
  if (enabled_) {
    channel_bytes_per_cycle_ =
        arch.dram.SustainedBytesPerCycle(arch.clock_hz) / static_cast<double>(serving_.size());
    turnaround_ = arch.dram.params ? arch.dram.params->BusTurnaroundCycles(arch.clock_hz) : 0;
  }
}

void ChannelPortReplay::LimitDramRate(double bytes_per_cycle) {
  if (!serving_.empty()) {
    channel_bytes_per_cycle_ =
        std::min(channel_bytes_per_cycle_, bytes_per_cycle / static_cast<double>(serving_.size()));
  }
}

double ChannelPortReplay::Serve(size_t channel, double issue, bool write) {
  const double turn = write != (writing_[channel] != 0) ? turnaround_ : 0;
  writing_[channel] = write ? 1 : 0;
  return std::max(issue, serving_[channel] + turn);
}

void ChannelPortReplay::Reset() {
  std::fill(serving_.begin(), serving_.end(), 0.0);
  std::fill(writing_.begin(), writing_.end(), 0);
  std::fill(injection_.begin(), injection_.end(), 0.0);
  for (auto& busy : busy_) busy.clear();
}

std::vector<double> ChannelPortReplay::Pieces(std::uint64_t address, std::int64_t bytes) const {
  std::vector<double> pieces;
  Pieces(address, bytes, pieces);
  return pieces;
}

void ChannelPortReplay::Pieces(std::uint64_t address, std::int64_t bytes,
                               std::vector<double>& pieces) const {
  pieces.assign(serving_.size(), 0.0);
  if (bytes <= 0) return;
  const auto interleave = static_cast<std::uint64_t>(interleave_);
  const std::uint64_t channels = serving_.size();
  const std::uint64_t end = address + static_cast<std::uint64_t>(bytes);
  const std::uint64_t first = address / interleave, last = (end - 1) / interleave;
  if (first == last) {
    pieces[first % channels] += static_cast<double>(bytes);
    return;
  }
  // The first and last chunks' parts, and the whole chunks between them round the channels.
  pieces[first % channels] += static_cast<double>((first + 1) * interleave - address);
  pieces[last % channels] += static_cast<double>(end - last * interleave);
  const std::uint64_t whole = last - first - 1;
  for (std::uint64_t c = 0; c < channels; ++c) {
    const std::uint64_t chunks = whole / channels + (c < whole % channels ? 1 : 0);
    pieces[(first + 1 + c) % channels] += static_cast<double>(chunks * interleave);
  }
}

void ChannelPortReplay::Route(size_t channel, const std::vector<size_t>& receivers) {
  route_.clear();
  const auto add = [&](size_t resource) {
    if (on_route_[resource]) return;
    on_route_[resource] = 1;
    route_.push_back(resource);
  };
  const auto link = [&](std::int64_t x, std::int64_t y, int dir) {
    add(static_cast<size_t>(tiles_ + (y * width_ + x) * 4 + dir));  // E, W, N, S
  };
  const auto [cx, cy] = channel_at_[channel];
  for (size_t r : receivers) {
    add(r);
    // X first along the channel's row, then Y along the receiver's column.
    const std::int64_t at = first_ + static_cast<std::int64_t>(r);
    const std::int64_t x = at % width_, y = at / width_;
    for (std::int64_t i = cx; i != x; i += x > cx ? 1 : -1) link(i, cy, x > cx ? 0 : 1);
    for (std::int64_t j = cy; j != y; j += y > cy ? 1 : -1) link(x, j, y > cy ? 3 : 2);
  }
  for (size_t resource : route_) on_route_[resource] = 0;
}

double ChannelPortReplay::FirstCommonGap(double from, double cycles) const {
  for (bool moved = true; moved;) {
    moved = false;
    for (size_t r : route_) {
      // A resource's bookings are disjoint and in order: skip those over before `from`.
      const auto& busy = busy_[r];
      for (auto b = std::partition_point(busy.begin(), busy.end(),
                                         [&](const Busy& x) { return x.until <= from; });
           b != busy.end() && b->from < from + cycles; ++b) {
        from = b->until;  // overlaps: after it
        moved = true;
      }
    }
  }
  return from;
}

double ChannelPortReplay::Load(double issue, const std::vector<double>& pieces,
                               const std::vector<size_t>& receivers) {
  // Loads come in issue order and no train starts before its issue: the ports' bookings that
  // ended before the earliest channel could serve this one are done with.
  const double horizon = std::max(issue, *std::min_element(serving_.begin(), serving_.end()));
  double last = issue;
  for (size_t c = 0; c < serving_.size(); ++c) {
    const double piece = pieces[c];
    if (piece <= 0) continue;
    // The channel's DRAM serves its piece when it is free; the train's head leaves when the data
    // starts and the channel's port is free, and passes when every receiver's port is free for
    // the train (whole trains); its tail no earlier than the piece's last byte.
    const double from = Serve(c, issue, false);
    const double served = from + piece / channel_bytes_per_cycle_;
    serving_[c] = served;
    if (!trains_) {  // the NoC holds nothing: the piece is in when its channel has served it
      last = std::max(last, served);
      continue;
    }
    const double flits = piece / link_bytes_;
    const double leaves = std::max(from, injection_[c]);
    Route(c, receivers);
    for (size_t r : route_) {
      auto& busy = busy_[r];
      busy.erase(busy.begin(), std::find_if(busy.begin(), busy.end(),
                                            [&](const Busy& b) { return b.until > horizon; }));
    }
    const double passes = FirstCommonGap(leaves, std::max(flits, served - leaves));
    const double end = std::max(passes + flits, served);
    for (size_t r : route_) {
      auto& busy = busy_[r];
      busy.insert(std::upper_bound(busy.begin(), busy.end(), passes,
                                   [](double t, const Busy& b) { return t < b.from; }),
                  Busy{passes, end});
    }
    // Held: the channel's next train waits for this one's tail. Short (fewer packets than the
    // virtual channels): it parks in the buffers and leaves the port as it streams out.
    injection_[c] = piece > holding_bytes_ ? end : std::max(leaves + flits, served);
    last = std::max(last, end);
  }
  return last;
}

double ChannelPortReplay::Store(double issue, const std::vector<double>& pieces) {
  double last = issue;
  for (size_t c = 0; c < serving_.size(); ++c) {
    if (pieces[c] <= 0) continue;
    serving_[c] = Serve(c, issue, true) + pieces[c] / channel_bytes_per_cycle_;
    last = std::max(last, serving_[c]);
  }
  return last;
}

}  // namespace pjsim
