#pragma once
// Loads several tiles share (LayerPlan::shares): one DRAM read, multicast over the NoC. A shared
// load is issued when the last of its receivers has joined it — each receiver must have a free
// buffer to take the data, so the multicast waits for the slowest, as a synchronous multicast on
// real hardware does — and each receiver resumes when the data has reached it. Joining does not
// block (a tile joins all the shared loads of its task, then waits for them), and tiles join
// their shares in the same relative order (the mapper's walk), so the waiting cannot deadlock.
#include <cstdint>
#include <memory>
#include <span>
#include <systemc>
#include <vector>

#include "sim/task/layer_plan.h"

namespace pjsim {

class SharedLoads {
 public:
  explicit SharedLoads(size_t layers) : layers_(layers) {}

  // Before a layer runs: its plan's shares, the plan's tile 0 being platform tile `first_tile`.
  void Begin(int layer, const std::vector<std::vector<int>>& shares, std::int64_t first_tile);
  struct Entry;
  // Receiver `tile` (platform index) joins share `share` of `layer`. Returns the share for Wait;
  // if it is AllJoined, `tile` was the last to join and issues the read to its `tiles`, filling
  // `arrival_ps` per tile with the absolute time the data reaches it, then calls Issued.
  Entry* Join(int layer, std::int32_t share, int tile);
  // Wakes the receivers already waiting for `entry`.
  void Issued(Entry& entry);
  // From `tile`'s SystemC thread: returns when the share's data has arrived at the tile.
  void Wait(int layer, std::int32_t share, Entry* entry, int tile);

  struct Entry {
    std::vector<int> tiles;  // platform indices
    // Each receiver's place in `tiles` by its index minus `lowest` (-1: not a receiver): every
    // receiver looks itself up twice, and a wide multicast has dozens of them.
    std::vector<std::int32_t> place;
    int lowest = 0;
    std::vector<std::uint64_t> arrival_ps;
    size_t joined = 0, served = 0;
    bool issued = false;
    sc_core::sc_event issued_event;

    bool AllJoined() const { return joined == tiles.size(); }
    // `tile`'s place in `tiles`; -1 if it is not a receiver.
    std::int32_t PlaceOf(int tile) const {
      const auto at = static_cast<std::size_t>(tile - lowest);
      return tile >= lowest && at < place.size() ? place[at] : -1;
    }
  };

 private:
  struct LayerShares {
    const std::vector<std::vector<int>>* shares = nullptr;
    std::int64_t first_tile = 0;
    std::vector<std::unique_ptr<Entry>> entries;  // taken on first request, back when served
  };
  std::vector<LayerShares> layers_;
  // Served entries, reused (their vectors' storage and event) rather than allocated per share.
  std::vector<std::unique_ptr<Entry>> spare_;
};

}  // namespace pjsim
