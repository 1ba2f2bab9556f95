#include "models/noc/noc_model.h"

namespace pjsim {

NocModel::NocModel(sc_core::sc_module_name name, PlatformContext& ctx)
    : sc_core::sc_module(name),
      tile_socket("tile_socket"),
      channel_socket("channel_socket"),
      ctx_(ctx) {
  tile_socket.register_b_transport(this, &NocModel::b_transport);
}

int NocModel::ChannelOf(std::uint64_t address) const {
  const auto interleave = static_cast<std::uint64_t>(ctx_.arch.dram.interleave_bytes);
  return static_cast<int>(address / interleave % ctx_.arch.dram.channels.size());
}

}  // namespace pjsim
