#pragma once
// Where a GEMM round's DRAM traffic crosses the mesh. The layer mapper places a grid's tiles
// row-major from tile 0 (grid cell (i, j) of K range l is tile (l * pm + i) * pn + j); every
// transfer is spread over the DRAM channels (addresses interleaved), and each channel's part takes
// the `simple` NoC's XY route to its tile — or, for a load several tiles share, the tree of those
// routes, which crosses each of its links once (models/noc/simple_mesh_noc.cpp). A round's loads
// are one share (or one load per tile) of operand A per grid row and of operand B per grid column
// in each K range; its stores one block per output tile, to the channels. So the bytes each
// directed link carries are a fixed mix of the round's A, B and output bytes, set by the grid's
// shape alone: the mapping search's cost model takes the busiest link of that mix, where a model
// of the first hop out of each channel misses that multicast trees cross the same links from
// several channels (a row of tiles below a row of channels takes every channel's part of every
// grid row's share).
#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "sim/config/arch_config.h"

namespace pjsim {

class GridLinkLoads {
 public:
  explicit GridLinkLoads(const ArchConfig& arch);

  // A round of a grid: pm x pn cells in each of pk K ranges, of which rows x cols are active;
  // whether the A (B) loads are shared by a grid row's (column's) tiles.
  struct Round {
    std::int64_t pm = 1, pn = 1, pk = 1, rows = 1, cols = 1;
    bool share_a = false, share_b = false;
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
  const Loads& Of(const Round& round) const;
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
  struct KeyHash {
    std::size_t operator()(const std::array<std::int64_t, 7>& key) const;
  };
  mutable std::unordered_map<std::array<std::int64_t, 7>, Loads, KeyHash> memo_;
};

}  // namespace pjsim
