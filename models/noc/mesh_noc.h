#pragma once
// A W x H mesh NoC with dimension-ordered (XY) routing between tiles and DRAM channels, as a
// TLM-2.0 interconnect: tiles bind to its target socket (the socket id is the tile index), it
// forwards each transaction to the DRAM channel owning the address and adds the network time.
// Each directed link carries one transfer at a time at the link width: a transfer reserves every
// link on its route for its serialization time, cut-through (one hop latency per link), so two
// transfers sharing a link queue behind each other and contention emerges from the traffic.
#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include <vector>

#include "models/platform_context.h"

namespace pjsim {

class MeshNoc : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<MeshNoc> tile_socket;        // one binding per tile
  tlm_utils::multi_passthrough_initiator_socket<MeshNoc> channel_socket;  // one per DRAM channel

  MeshNoc(sc_core::sc_module_name name, PlatformContext& ctx);

  int ChannelOf(std::uint64_t address) const;
  // Links on the XY route between two mesh positions (empty if they are the same router).
  std::vector<int> Route(std::int64_t from_x, std::int64_t from_y, std::int64_t to_x,
                         std::int64_t to_y) const;
  // Bytes carried per directed link, indexed as LinkIndex().
  const std::vector<double>& link_bytes() const { return link_bytes_; }
  int LinkIndex(std::int64_t x, std::int64_t y, int direction) const;

 private:
  void b_transport(int tile, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  // Reserves `route` for `bytes`; the head may enter at `head_ps`, the tail is not available
  // before `tail_ps`. Returns when the tail arrives at the end of the route.
  std::uint64_t Traverse(const std::vector<int>& route, double bytes, std::uint64_t head_ps,
                         std::uint64_t tail_ps);
  void Charge(int layer, const std::vector<int>& route, double bytes);

  PlatformContext& ctx_;
  double link_bytes_per_ps_;
  std::uint64_t hop_ps_;
  std::vector<std::uint64_t> link_free_ps_;
  std::vector<double> link_bytes_;
  std::vector<int> link_track_;  // trace track per link, created on first use
  int trace_layer_ = 0;
};

}  // namespace pjsim
