#include "sim/mapping/pass_link_loads.h"

#include <algorithm>

#include "sim/mapping/xy_route.h"

namespace pjsim {

PassLinkLoads::PassLinkLoads(const ArchConfig& arch)
    : width_(arch.mesh_width),
      channels_(arch.dram.channels),
      loads_(static_cast<size_t>(arch.mesh_width * arch.mesh_height * 4), 0.0),
      seen_(loads_.size(), 0) {}

void PassLinkLoads::AddLoad(const std::vector<std::int64_t>& tiles, double bytes) {
  dram_bytes_ += bytes;
  const double part = bytes / static_cast<double>(channels_.size());
  for (const DramChannelPosition& ch : channels_) {
    ++epoch_;
    for (const std::int64_t t : tiles)
      AddXyRoute(width_, ch.x, ch.y, t % width_, t / width_, part, loads_, seen_, epoch_);
  }
}

void PassLinkLoads::AddStore(std::int64_t tile, double bytes) {
  dram_bytes_ += bytes;
  const double part = bytes / static_cast<double>(channels_.size());
  for (const DramChannelPosition& ch : channels_) {
    ++epoch_;
    AddXyRoute(width_, tile % width_, tile / width_, ch.x, ch.y, part, loads_, seen_, epoch_);
  }
}

double PassLinkLoads::BusiestLinkBytes() const {
  return loads_.empty() ? 0 : *std::max_element(loads_.begin(), loads_.end());
}

}  // namespace pjsim
