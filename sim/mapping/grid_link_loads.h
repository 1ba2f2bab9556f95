#pragma once
// Where a GEMM round's DRAM traffic crosses the mesh. The layer mapper places a grid's tiles
// row-major from its first tile f (grid cell (i, j) of K range l is tile f + (l * pm + i) * pn + j:
// f is 0 for a layer on the whole mesh, a pipelined group's first tile, an expert's home's); every
// transfer is spread over the DRAM channels (addresses interleaved), and each channel's part takes
// the `simple` NoC's XY route to its tile — or, for a load several tiles share, the tree of those
// routes, which crosses each of its links once (models/noc/simple_mesh_noc.cpp). A round's loads
// are one share (or one load per tile) of operand A per grid row and of operand B per grid column
// in each K range; its stores one block per output tile, to the channels. So the bytes each
// directed link carries are a fixed mix of the round's A, B and output bytes, set by the grid's
// shape alone: the mapping search's cost model takes the busiest link of that mix, where a model
// of the first hop out of each channel misses that multicast trees cross the same links from
// several channels (a row of tiles below a row of channels takes every channel's part of every
// grid row's share). A placement may hold several first tiles: grids of one shape moving the same
// bytes side by side (experts beside each other), whose loads add up on the links they share.
#include <cstdint>
#include <deque>
#include <vector>

#include "sim/config/arch_config.h"

namespace pjsim {

class GridLinkLoads {
 public:
  explicit GridLinkLoads(const ArchConfig& arch);

  // The id of a placement: the first tiles of grids placed alike (0: one grid at tile 0).
  int Placement(const std::vector<std::int64_t>& first_tiles) const;
  // The first tiles of placement `id`.
  const std::vector<std::int64_t>& FirstTiles(int id) const {
    return placements_.at(static_cast<size_t>(id));
  }

  // A round of a grid: pm x pn cells in each of pk K ranges, of which rows x cols are active;
  // whether the A (B) loads are shared by a grid row's (column's) tiles.
  struct Round {
    std::int64_t pm = 1, pn = 1, pk = 1, rows = 1, cols = 1;
    bool share_a = false, share_b = false;
    int placement = 0;  // Placement's id
    bool operator==(const Round&) const = default;
  };
  // Bytes a link carries per byte of the round's DRAM traffic of operand A, of operand B and of
  // outputs.
  struct PerByte {
    double a = 0, b = 0, out = 0;
  };
  // A round's link loads, looked up once per round by a caller weighing several mixes.
  struct Loads {
    std::vector<PerByte> links;  // every link the round loads
    // Of loads alone (A and B, no outputs): the links no other matches in both parts, where the
    // busiest link of any mix of A and B bytes lies.
    std::vector<PerByte> load_links;
    double out = 0;  // the busiest link's part of the outputs
    // Bytes on the busiest link of the round's loads (its A and B bytes), and of its stores.
    double LoadBytes(double a, double b) const;
    double StoreBytes(double out_bytes) const { return out * out_bytes; }
  };
  const Loads& Of(const Round& round) const {
    const Key key = KeyOf(round);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = Hash(key) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.loads == nullptr) return Add(key, round);
      if (s.key == key) return *s.loads;
    }
  }
  // Bytes on the busiest link when the round moves `a`, `b` and `out` bytes through the DRAM.
  double BusiestLinkBytes(const Round& round, double a, double b, double out) const;

 private:
  Loads Compute(const Round& round) const;
  // Adds `weight` to every link of the XY route between two mesh positions, once per link in
  // `seen`'s epoch (a multicast tree crosses a link once however many of its routes take it).
  void AddRoute(std::int64_t from_x, std::int64_t from_y, std::int64_t to_x, std::int64_t to_y,
                double weight, std::vector<double>& loads, std::vector<std::uint32_t>& seen,
                std::uint32_t epoch) const;

  std::int64_t width_, height_;
  std::vector<DramChannelPosition> channels_;
  // By id; added to by a const search (a batch split's grids side by side), as the memo below.
  mutable std::vector<std::vector<std::int64_t>> placements_ = {{0}};
  // The rounds computed, by key: the mapping search looks a round up for every round class of
  // every candidate (millions per decode), so the lookup is open addressing over a power-of-two
  // table of keys (as TaskShapeMemo), the round packed in two words (every field is at most the
  // tile count, below 2^21), not a hash map of seven words whose buckets take a division. The
  // loads are in a deque, where a returned Loads stays while others are added.
  struct Key {
    std::uint64_t grid = 0, active = 0;  // pm, pn, pk; rows, cols, share_a, share_b, placement
    bool operator==(const Key&) const = default;
  };
  static Key KeyOf(const Round& r) {
    const std::int64_t fields = r.pm | r.pn | r.pk | r.rows | r.cols;
    if (fields < 0 || fields >= (std::int64_t{1} << 21)) Unpackable(r);
    const auto u = [](std::int64_t v) { return static_cast<std::uint64_t>(v); };
    return {u(r.pm) | u(r.pn) << 21 | u(r.pk) << 42, u(r.rows) | u(r.cols) << 21 |
                                                         u(r.share_a) << 42 | u(r.share_b) << 43 |
                                                         u(r.placement) << 44};
  }
  [[noreturn]] static void Unpackable(const Round& r);
  static std::size_t Hash(const Key& key) {
    std::uint64_t h = key.grid * 0x9E3779B97F4A7C15ULL;
    h = (h ^ key.active) * 0xBF58476D1CE4E5B9ULL;
    return static_cast<std::size_t>(h ^ (h >> 32));
  }
  const Loads& Add(const Key& key, const Round& round) const;
  void Place(const Key& key, const Loads* loads) const;
  struct Slot {
    Key key;
    const Loads* loads = nullptr;  // null: empty
  };
  mutable std::vector<Slot> slots_ = std::vector<Slot>(64);
  mutable std::deque<Loads> loads_;
};

}  // namespace pjsim
