#include "models/noc/mesh_noc.h"

#include <algorithm>
#include <cmath>

#include "models/access_extension.h"

namespace pjsim {
namespace {
enum Direction { kEast = 0, kWest = 1, kNorth = 2, kSouth = 3 };
}  // namespace

MeshNoc::MeshNoc(sc_core::sc_module_name name, PlatformContext& ctx)
    : sc_core::sc_module(name),
      tile_socket("tile_socket"),
      channel_socket("channel_socket"),
      ctx_(ctx),
      link_bytes_per_ps_(ctx.arch.noc.link_bytes_per_cycle / static_cast<double>(ctx.clock_period_ps)),
      hop_ps_(ctx.CyclesToPs(ctx.arch.noc.hop_latency_cycles)),
      link_free_ps_(static_cast<size_t>(ctx.arch.TileCount() * 4), 0),
      link_bytes_(static_cast<size_t>(ctx.arch.TileCount() * 4), 0.0),
      link_track_(static_cast<size_t>(ctx.arch.TileCount() * 4), -1) {
  tile_socket.register_b_transport(this, &MeshNoc::b_transport);
}

int MeshNoc::LinkIndex(std::int64_t x, std::int64_t y, int direction) const {
  return static_cast<int>((y * ctx_.arch.mesh_width + x) * 4 + direction);
}

int MeshNoc::ChannelOf(std::uint64_t address) const {
  const auto interleave = static_cast<std::uint64_t>(ctx_.arch.dram.interleave_bytes);
  return static_cast<int>(address / interleave % ctx_.arch.dram.channels.size());
}

std::vector<int> MeshNoc::Route(std::int64_t from_x, std::int64_t from_y, std::int64_t to_x,
                                std::int64_t to_y) const {
  std::vector<int> links;
  std::int64_t x = from_x, y = from_y;
  while (x != to_x) {
    const int dir = to_x > x ? kEast : kWest;
    links.push_back(LinkIndex(x, y, dir));
    x += to_x > x ? 1 : -1;
  }
  while (y != to_y) {
    const int dir = to_y > y ? kSouth : kNorth;
    links.push_back(LinkIndex(x, y, dir));
    y += to_y > y ? 1 : -1;
  }
  return links;
}

std::uint64_t MeshNoc::Traverse(const std::vector<int>& route, double bytes, std::uint64_t head_ps,
                                std::uint64_t tail_ps) {
  if (route.empty()) return tail_ps;
  const auto serialize_ps = static_cast<std::uint64_t>(std::ceil(bytes / link_bytes_per_ps_));
  std::uint64_t t = head_ps;
  for (int link : route) {
    t = std::max(t, link_free_ps_[static_cast<size_t>(link)]);
    link_free_ps_[static_cast<size_t>(link)] = t + serialize_ps;
    if (ctx_.trace) {
      int& track = link_track_[static_cast<size_t>(link)];
      if (track < 0) {
        const std::int64_t router = link / 4;
        static const char* kDir[] = {"E", "W", "N", "S"};
        track = ctx_.trace->AddTrack("link (" + std::to_string(router % ctx_.arch.mesh_width) + "," +
                                     std::to_string(router / ctx_.arch.mesh_width) + ")" +
                                     kDir[link % 4]);
      }
      ctx_.trace->AddSpan(track, trace_layer_, t, t + serialize_ps);
    }
    link_bytes_[static_cast<size_t>(link)] += bytes;
    t += hop_ps_;
  }
  // The tail leaves the last link one serialization after its head entered it, and cannot
  // outrun the source producing it.
  return std::max(t - hop_ps_ + serialize_ps, tail_ps + hop_ps_ * route.size());
}

void MeshNoc::Charge(int layer, const std::vector<int>& route, double bytes) {
  const double bits = bytes * 8;
  const auto links = static_cast<double>(route.size());
  ctx_.ledger.Add(layer, ctx_.actions.noc_router, bits * (links + 1));
  ctx_.ledger.Add(layer, ctx_.actions.noc_link, bits * links * ctx_.arch.noc.link_length_mm);
}

void MeshNoc::b_transport(int tile, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const auto* ext = trans.get_extension<AccessExtension>();
  trace_layer_ = ext->layer;
  const int channel = ChannelOf(trans.get_address());
  const auto& pos = ctx_.arch.dram.channels[static_cast<size_t>(channel)];
  const std::int64_t tx = tile % ctx_.arch.mesh_width;
  const std::int64_t ty = tile / ctx_.arch.mesh_width;
  const double bytes = trans.get_data_length();
  const std::uint64_t now = Now();

  if (trans.is_read()) {
    channel_socket[static_cast<unsigned>(channel)]->b_transport(trans, delay);
    const std::vector<int> route = Route(pos.x, pos.y, tx, ty);
    const std::uint64_t arrival = Traverse(route, bytes, ext->data_start_ps, now + static_cast<std::uint64_t>(delay.value()));
    Charge(ext->layer, route, bytes);
    delay = sc_core::sc_time::from_value(arrival - now);
  } else {
    const std::vector<int> route = Route(tx, ty, pos.x, pos.y);
    const std::uint64_t start = now + static_cast<std::uint64_t>(delay.value());
    const auto source_ps = static_cast<std::uint64_t>(std::ceil(bytes / link_bytes_per_ps_));
    const std::uint64_t arrival = Traverse(route, bytes, start, start + source_ps);
    Charge(ext->layer, route, bytes);
    delay = sc_core::sc_time::from_value(arrival - now);
    channel_socket[static_cast<unsigned>(channel)]->b_transport(trans, delay);
  }
}

}  // namespace pjsim
