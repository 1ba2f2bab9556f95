#include "models/tile/shared_loads.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "models/platform_context.h"

namespace pjsim {

void SharedLoads::Begin(int layer, const std::vector<std::vector<int>>& shares,
                        std::int64_t first_tile) {
  LayerShares& l = layers_.at(static_cast<size_t>(layer));
  l.shares = &shares;
  l.first_tile = first_tile;
  l.entries.clear();
  l.entries.resize(shares.size());
}

SharedLoads::Entry* SharedLoads::Join(int layer, std::int32_t share, int tile, const Issue& issue) {
  LayerShares& l = layers_.at(static_cast<size_t>(layer));
  auto& slot = l.entries.at(static_cast<size_t>(share));
  if (!slot) {
    slot = std::make_unique<Entry>();
    for (int t : (*l.shares)[static_cast<size_t>(share)])
      slot->tiles.push_back(static_cast<int>(l.first_tile) + t);
  }
  Entry& e = *slot;
  if (std::find(e.tiles.begin(), e.tiles.end(), tile) == e.tiles.end()) {
    throw std::logic_error("tile " + std::to_string(tile) + " is not a receiver of share " +
                           std::to_string(share) + " of layer " + std::to_string(layer));
  }
  if (++e.joined == e.tiles.size()) {
    issue(e.tiles, e.arrival_ps);
    e.issued = true;
    e.issued_event.notify();  // wakes the receivers already waiting
  }
  return &e;
}

void SharedLoads::Wait(int layer, std::int32_t share, Entry* entry, int tile) {
  Entry& e = *entry;
  if (!e.issued) sc_core::wait(e.issued_event);
  const auto me = std::find(e.tiles.begin(), e.tiles.end(), tile);
  const std::uint64_t arrival = e.arrival_ps.at(static_cast<size_t>(me - e.tiles.begin()));
  if (++e.served == e.tiles.size()) {
    layers_.at(static_cast<size_t>(layer)).entries.at(static_cast<size_t>(share)).reset();
  }
  if (arrival > Now()) sc_core::wait(sc_core::sc_time::from_value(arrival - Now()));
}

}  // namespace pjsim
