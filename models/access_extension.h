#pragma once
// TLM-2.0 extension carried by every pjsim memory transaction: which layer to charge, the time the
// DRAM put the first byte on its bus (so the NoC can cut the data through), for a read shared
// by several tiles, the tiles it is multicast to, and for a write between tiles, the tile.
#include <cstdint>
#include <span>
#include <tlm>
#include <vector>

namespace pjsim {

struct AccessExtension : tlm::tlm_extension<AccessExtension> {
  int layer = 0;
  std::uint64_t data_start_ps = 0;  // set by the DRAM channel on reads
  // Reads only. Empty: the data goes to the requesting tile. Otherwise the platform tile indices
  // that receive it (the requester among them or not): the DRAM is read once and the NoC carries
  // the data once over each link of the tree of routes to them. The NoC then sets
  // arrival_ps[i], the absolute time the last byte reaches multicast[i], and returns a delay
  // covering the latest arrival.
  std::span<const int> multicast;
  std::vector<std::uint64_t> arrival_ps;
  // Writes only. -1: the data goes to DRAM (the channel owning the address). Otherwise the
  // platform tile index whose SRAM receives it over the NoC (partial sums of a K split); the
  // address is ignored and no DRAM channel is involved.
  int to_tile = -1;

  tlm::tlm_extension_base* clone() const override { return new AccessExtension(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const AccessExtension&>(other);
  }
};

}  // namespace pjsim
