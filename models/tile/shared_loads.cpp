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

SharedLoads::Entry* SharedLoads::Join(int layer, std::int32_t share, int tile) {
  LayerShares& l = layers_.at(static_cast<size_t>(layer));
  auto& slot = l.entries.at(static_cast<size_t>(share));
  if (!slot) {
    if (spare_.empty()) {
      slot = std::make_unique<Entry>();
    } else {
      // Served: no receiver waits on its event any more, and it has no notification pending.
      slot = std::move(spare_.back());
      spare_.pop_back();
      slot->joined = slot->served = 0;
      slot->issued = false;
    }
    const std::vector<int>& receivers = (*l.shares)[static_cast<size_t>(share)];
    const auto [low, high] = std::minmax_element(receivers.begin(), receivers.end());
    slot->tiles.resize(receivers.size());
    slot->lowest = static_cast<int>(l.first_tile) + (receivers.empty() ? 0 : *low);
    slot->place.assign(receivers.empty() ? 0 : static_cast<size_t>(*high - *low + 1), -1);
    for (size_t i = 0; i < receivers.size(); ++i) {
      const int t = static_cast<int>(l.first_tile) + receivers[i];
      slot->tiles[i] = t;
      auto& place = slot->place[static_cast<size_t>(t - slot->lowest)];
      if (place < 0) place = static_cast<std::int32_t>(i);  // as a search would: the first
    }
  }
  Entry& e = *slot;
  if (e.PlaceOf(tile) < 0) {
    throw std::logic_error("tile " + std::to_string(tile) + " is not a receiver of share " +
                           std::to_string(share) + " of layer " + std::to_string(layer));
  }
  ++e.joined;
  return &e;
}

void SharedLoads::Issued(Entry& entry) {
  entry.issued = true;
  entry.issued_event.notify();
}

void SharedLoads::Wait(int layer, std::int32_t share, Entry* entry, int tile) {
  Entry& e = *entry;
  if (!e.issued) sc_core::wait(e.issued_event);
  const std::uint64_t arrival = e.arrival_ps.at(static_cast<size_t>(e.PlaceOf(tile)));
  if (++e.served == e.tiles.size()) {
    spare_.push_back(
        std::move(layers_.at(static_cast<size_t>(layer)).entries.at(static_cast<size_t>(share))));
  }
  if (arrival > Now()) sc_core::wait(sc_core::sc_time::from_value(arrival - Now()));
}

}  // namespace pjsim
