#pragma once
// The bytes each NoC link carries over a pass of experts beside each other, from the transfers
// their plans make: each spread over the DRAM channels by the address interleave and taking the
// `simple` NoC's XY route from each channel to its tile (a share: the tree of its receivers'
// routes, each link once), each store the route back; as GridLinkLoads prices one grid, but for
// every expert's tiles where they sit. The busiest link bounds the pass: experts on one tile of
// each home (a mesh column) pull every channel's part of every other expert's loads down the
// same column links (Mixtral-8x7B's prefill experts on the 8 x 8 HBM mesh, one tile each: 7/16 of
// the pass's bytes on each of two links, 1.4 times the DRAM's time).
#include <cstdint>
#include <vector>

#include "sim/config/arch_config.h"

namespace pjsim {

class PassLinkLoads {
 public:
  explicit PassLinkLoads(const ArchConfig& arch);

  // A load of `bytes` received by the mesh tiles `tiles` (several: one multicast tree).
  void AddLoad(const std::vector<std::int64_t>& tiles, double bytes);
  // A store of `bytes` from mesh tile `tile`.
  void AddStore(std::int64_t tile, double bytes);
  // Bytes on the busiest link, and all bytes through the DRAM.
  double BusiestLinkBytes() const;
  double DramBytes() const { return dram_bytes_; }

 private:
  std::int64_t width_;
  std::vector<DramChannelPosition> channels_;
  std::vector<double> loads_;
  std::vector<std::uint32_t> seen_;
  std::uint32_t epoch_ = 0;
  double dram_bytes_ = 0;
};

}  // namespace pjsim
