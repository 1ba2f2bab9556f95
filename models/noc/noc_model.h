#pragma once
// The network-on-chip as a TLM-2.0 interconnect, the interface every NoC model implements
// (registered by name, sim/config/noc_model_registry.h): tiles bind to `tile_socket` (the binding
// index is the tile index), `channel_socket` binds to the DRAM channels in order. A model forwards
// each transaction to the channel owning its address (ChannelOf), adds the network time to the
// annotated delay and charges the NoC's energy. Reads may cut through from
// AccessExtension::data_start_ps, the time the channel put their first byte on its bus. A read
// with AccessExtension::multicast set is served by the channel once and delivered to every tile
// listed (one copy per link of the route tree), with each tile's arrival time set. A write with
// AccessExtension::to_tile set goes from tile to tile and never reaches a channel.
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include <cstdint>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/platform_context.h"
#include "models/replayable.h"

namespace pjsim {

class NocModel : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<NocModel> tile_socket;        // one binding per tile
  tlm_utils::multi_passthrough_initiator_socket<NocModel> channel_socket;  // one per DRAM channel

  // Bytes carried per directed mesh link, indexed (y * width + x) * 4 + direction (E, W, N, S)
  // of the router the link leaves.
  virtual const std::vector<double>& link_bytes() const = 0;
  // The model's replay support (models/layer_replay.h), null if it has none.
  virtual Replayable* replay() { return nullptr; }

 protected:
  NocModel(sc_core::sc_module_name name, PlatformContext& ctx);

  // One transaction from `tile`; returns with `delay` covering the network and the channel.
  virtual void b_transport(int tile, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) = 0;
  // The DRAM channel owning `address` under the channel interleave.
  int ChannelOf(std::uint64_t address) const;
  PlatformContext& ctx() const { return ctx_; }

 private:
  PlatformContext& ctx_;
};

}  // namespace pjsim
