// The `simple` NoC model: a W x H mesh with dimension-ordered (XY) routing between tiles and DRAM
// channels. Each directed link carries one transfer at a time at the link width: a transfer
// reserves every link on its route for its serialization time, cut-through (one hop latency per
// link), so two transfers sharing a link queue behind each other and contention emerges from the
// traffic. A multicast read crosses each link of its XY route tree once (XY routes from one source
// form a tree) and branches at the routers where the routes part.
#include <algorithm>
#include <cmath>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "models/access_extension.h"
#include "models/noc/multicast_trees.h"
#include "models/noc/noc_model.h"
#include "models/noc/route_table.h"
#include "sim/config/noc_model_registry.h"

namespace pjsim {
namespace {

enum Direction { kEast = 0, kWest = 1, kNorth = 2, kSouth = 3 };

// What a run did to the mesh: per link it used, when the link freed up and the bytes it carried.
struct SimpleMeshPart : ReplayPart {
  struct Link {
    size_t link;
    std::uint64_t free_ps;
    double bytes;
  };
  std::vector<Link> links;
};

class SimpleMeshNoc : public NocModel, public Replayable {
 public:
  SimpleMeshNoc(sc_core::sc_module_name name, PlatformContext& ctx)
      : NocModel(name, ctx),
        link_bytes_per_ps_(ctx.arch.noc.link_bytes_per_cycle /
                           static_cast<double>(ctx.clock_period_ps)),
        hop_ps_(ctx.CyclesToPs(ctx.arch.noc.hop_latency_cycles)),
        link_free_ps_(static_cast<size_t>(ctx.arch.TileCount() * 4), 0),
        link_bytes_(static_cast<size_t>(ctx.arch.TileCount() * 4), 0.0),
        link_track_(static_cast<size_t>(ctx.arch.TileCount() * 4), -1),
        watched_(ctx.trace != nullptr),
        touched_(static_cast<size_t>(ctx.arch.TileCount() * 4), 0) {
    // Every transaction between a tile and a DRAM channel takes one of these routes.
    const auto tiles = ctx.arch.TileCount();
    const std::int64_t width = ctx.arch.mesh_width;
    for (const auto& pos : ctx.arch.dram.channels) {
      for (std::int64_t t = 0; t < tiles; ++t) {
        Route(pos.x, pos.y, t % width, t / width, route_);
        channel_routes_.Add(route_);
        Route(t % width, t / width, pos.x, pos.y, route_);
        channel_routes_.Add(route_);
      }
    }
  }

  const std::vector<double>& link_bytes() const override { return link_bytes_; }
  Replayable* replay() override { return this; }

  bool Quiet(std::uint64_t now_ps) const override {
    return std::all_of(link_free_ps_.begin(), link_free_ps_.end(),
                       [&](std::uint64_t t) { return t <= now_ps; });
  }
  // Addresses matter only through their channel (interleave chunks taken round-robin).
  std::uint64_t MoveQuantum() const override {
    return static_cast<std::uint64_t>(ctx().arch.dram.interleave_bytes) *
           static_cast<std::uint64_t>(ctx().arch.dram.channels.size());
  }
  void BeginRecord() override {
    recording_ = watched_ = true;
    ++epoch_;
    first_touches_.clear();
  }
  std::unique_ptr<ReplayPart> EndRecord(std::uint64_t start_ps) override {
    recording_ = false;
    watched_ = ctx().trace != nullptr;
    auto part = std::make_unique<SimpleMeshPart>();
    part->links.reserve(first_touches_.size());
    for (const auto& [link, bytes_before] : first_touches_) {
      // Whole bytes: the difference is exact, and so is adding it again.
      part->links.push_back(
          {link, link_free_ps_[link] - start_ps, link_bytes_[link] - bytes_before});
    }
    return part;
  }
  // A link's timing depends only on when it is free, and a quiet mesh has every link free.
  bool Matches(const ReplayPart& /*part*/, const AddressMap& /*to*/) const override { return true; }
  void Apply(const ReplayPart& part, std::uint64_t start_ps, const AddressMap& /*to*/) override {
    for (const auto& l : static_cast<const SimpleMeshPart&>(part).links) {
      link_free_ps_[l.link] = start_ps + l.free_ps;
      link_bytes_[l.link] += l.bytes;
    }
  }
  void ApplyExtrapolated(const ReplayPart& a, const ReplayPart& b, double t,
                         std::uint64_t start_ps) override {
    std::vector<double> before(link_free_ps_.size(), 0.0);  // a's bytes per link
    for (const auto& l : static_cast<const SimpleMeshPart&>(a).links) before[l.link] = l.bytes;
    for (const auto& l : static_cast<const SimpleMeshPart&>(b).links) {
      link_free_ps_[l.link] = start_ps + l.free_ps;
      link_bytes_[l.link] += std::round(Extrapolate(before[l.link], l.bytes, t));
    }
  }

 private:
  void b_transport(int tile, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) override;
  int LinkIndex(std::int64_t x, std::int64_t y, int direction) const {
    return static_cast<int>((y * ctx().arch.mesh_width + x) * 4 + direction);
  }
  // Links on the XY route between two mesh positions (empty if they are the same router).
  // Into `links` (cleared first): a member buffer, as every transaction routes.
  void Route(std::int64_t from_x, std::int64_t from_y, std::int64_t to_x, std::int64_t to_y,
             std::vector<int>& links) const;
  // The route from DRAM channel `channel` to `tile` (to_channel: from the tile to the channel).
  std::span<const int> ChannelRoute(int channel, int tile, bool to_channel) const {
    return channel_routes_.Get(
        (static_cast<size_t>(channel) * static_cast<size_t>(ctx().arch.TileCount()) +
         static_cast<size_t>(tile)) *
            2 +
        (to_channel ? 1 : 0));
  }
  // Reserves `route` for `bytes`; the head may enter at `head_ps`, the tail is not available
  // before `tail_ps`. Returns when the tail arrives at the end of the route.
  std::uint64_t Traverse(std::span<const int> route, double bytes, std::uint64_t head_ps,
                         std::uint64_t tail_ps);
  // Traverse for a multicast: one copy per link of `tree`. Fills `arrival_ps` (per receiver).
  void TraverseTree(const MulticastTrees::Tree& tree, double bytes, std::uint64_t head_ps,
                    std::uint64_t tail_ps, std::vector<std::uint64_t>& arrival_ps);
  // Reserves `link` for a copy whose head reaches it at `head_ps`; returns when the head has
  // crossed it. Inline (a multicast reserves a dozen links or more), the rare parts apart.
  std::uint64_t Reserve(int link, std::uint64_t head_ps, std::uint64_t serialize_ps, double bytes) {
    const auto l = static_cast<size_t>(link);
    const std::uint64_t t = std::max(head_ps, link_free_ps_[l]);
    link_free_ps_[l] = t + serialize_ps;
    if (watched_) Watch(link, t, serialize_ps, bytes);
    return t + hop_ps_;
  }
  void Watch(int link, std::uint64_t t, std::uint64_t serialize_ps, double bytes) {
    if (recording_) RecordTouch(static_cast<size_t>(link));
    if (ctx().trace) TraceReserve(link, t, serialize_ps, bytes);
  }
  // While recording: `link`'s bytes before the run, on its first use.
  void RecordTouch(size_t link);
  // The trace span of a reservation of `link` from `t`.
  void TraceReserve(int link, std::uint64_t t, std::uint64_t serialize_ps, double bytes);
  void Charge(int layer, double links, double bytes);
  // The time a link takes to carry `bytes`. The last answer is kept: transfers mostly repeat a
  // size, and the division and rounding up cost more than the rest of a link's reservation.
  std::uint64_t SerializePs(double bytes) {
    if (bytes != serialized_bytes_) {
      serialized_bytes_ = bytes;
      serialized_ps_ = static_cast<std::uint64_t>(std::ceil(bytes / link_bytes_per_ps_));
    }
    return serialized_ps_;
  }
  void Multicast(int tile, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  double link_bytes_per_ps_;
  double serialized_bytes_ = -1;  // SerializePs's last question and answer
  std::uint64_t serialized_ps_ = 0;
  std::uint64_t hop_ps_;
  std::vector<std::uint64_t> link_free_ps_;
  std::vector<double> link_bytes_;
  std::vector<int> link_track_;                 // trace track per link, created on first use
  std::vector<int> route_;                      // the current transaction's route
  RouteTable channel_routes_;                   // ChannelRoute's, computed once
  MulticastTrees trees_;                        // from each channel
  std::vector<std::uint64_t> tree_crossed_ps_;  // TraverseTree's, kept for its storage
  int trace_layer_ = 0;
  // Recording a run for replay: the links it used (touched_[link] == epoch_) and their bytes
  // before.
  bool recording_ = false;
  bool watched_ = false;  // recording or tracing: Reserve calls Watch
  std::uint64_t epoch_ = 0;
  std::vector<std::uint64_t> touched_;
  std::vector<std::pair<size_t, double>> first_touches_;
};

void SimpleMeshNoc::Route(std::int64_t from_x, std::int64_t from_y, std::int64_t to_x,
                          std::int64_t to_y, std::vector<int>& links) const {
  links.clear();
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
}

void SimpleMeshNoc::RecordTouch(size_t link) {
  if (touched_[link] != epoch_) {
    touched_[link] = epoch_;
    first_touches_.emplace_back(link, link_bytes_[link]);
  }
}

void SimpleMeshNoc::TraceReserve(int link, std::uint64_t t, std::uint64_t serialize_ps,
                                 double bytes) {
  int& track = link_track_[static_cast<size_t>(link)];
  if (track < 0) {
    const std::int64_t width = ctx().arch.mesh_width;
    const std::int64_t router = link / 4;
    static const char* kDir[] = {"E", "W", "N", "S"};
    track = ctx().trace->AddTrack(TrackKind::kLink,
                                  "(" + std::to_string(router % width) + "," +
                                      std::to_string(router / width) + ")" + kDir[link % 4],
                                  link);
  }
  ctx().trace->AddSpan(track, trace_layer_, Now(), t, t + serialize_ps, {.bytes = bytes});
}

std::uint64_t SimpleMeshNoc::Traverse(std::span<const int> route, double bytes,
                                      std::uint64_t head_ps, std::uint64_t tail_ps) {
  if (route.empty()) return tail_ps;
  const auto serialize_ps = SerializePs(bytes);
  std::uint64_t t = head_ps;
  for (int link : route) {
    t = Reserve(link, t, serialize_ps, bytes);
    link_bytes_[static_cast<size_t>(link)] += bytes;
  }
  // The tail leaves the last link one serialization after its head entered it, and cannot
  // outrun the source producing it.
  return std::max(t - hop_ps_ + serialize_ps, tail_ps + hop_ps_ * route.size());
}

void SimpleMeshNoc::TraverseTree(const MulticastTrees::Tree& tree, double bytes,
                                 std::uint64_t head_ps, std::uint64_t tail_ps,
                                 std::vector<std::uint64_t>& arrival_ps) {
  const auto serialize_ps = SerializePs(bytes);
  // The links in the order a walk of the routes first reaches them, each from the time the head
  // has crossed the link before it ([0]: the head leaves the source).
  std::vector<std::uint64_t>& crossed = tree_crossed_ps_;
  crossed.resize(tree.links.size() + 1);
  crossed[0] = head_ps;
  for (size_t i = 0; i < tree.links.size(); ++i) {
    const int link = tree.links[i];
    crossed[i + 1] = Reserve(link, crossed[tree.parent[i]], serialize_ps, bytes);
    link_bytes_[static_cast<size_t>(link)] += bytes;
  }
  arrival_ps.clear();
  for (size_t r = 0; r < tree.last.size(); ++r) {
    const std::uint32_t last = tree.last[r];
    arrival_ps.push_back(last == 0 ? tail_ps
                                   : std::max(crossed[last] - hop_ps_ + serialize_ps,
                                              tail_ps + hop_ps_ * tree.hops[r]));
  }
}

void SimpleMeshNoc::Charge(int layer, double links, double bytes) {
  // A tree of `links` links touches links + 1 routers (a unicast route is a tree too).
  if (!ctx().arch.HasRouters()) return;  // one tile: no router, no links
  const double bits = bytes * 8;
  ctx().ledger.Add(layer, ctx().actions.noc_router, bits * (links + 1));
  ctx().ledger.Add(layer, ctx().actions.noc_link, bits * links * ctx().arch.noc.link_length_mm);
}

void SimpleMeshNoc::b_transport(int tile, tlm::tlm_generic_payload& trans,
                                sc_core::sc_time& delay) {
  const auto* ext = trans.get_extension<AccessExtension>();
  trace_layer_ = ext->layer;
  if (trans.is_read() && !ext->multicast.empty()) return Multicast(tile, trans, delay);
  const double bytes = trans.get_data_length();
  const std::uint64_t now = Now();
  if (trans.is_write() && ext->to_tile >= 0) {
    // Tile to tile: the source serializes the data onto the route; no channel is involved.
    std::vector<int>& route = route_;
    Route(tile % ctx().arch.mesh_width, tile / ctx().arch.mesh_width,
          ext->to_tile % ctx().arch.mesh_width, ext->to_tile / ctx().arch.mesh_width, route);
    const std::uint64_t start = now + static_cast<std::uint64_t>(delay.value());
    const auto source_ps = SerializePs(bytes);
    const std::uint64_t arrival = Traverse(route, bytes, start, start + source_ps);
    Charge(ext->layer, static_cast<double>(route.size()), bytes);
    delay = sc_core::sc_time::from_value(arrival - now);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  const int channel = ChannelOf(trans.get_address());

  if (trans.is_read()) {
    channel_socket[static_cast<unsigned>(channel)]->b_transport(trans, delay);
    const std::span<const int> route = ChannelRoute(channel, tile, false);
    const std::uint64_t arrival =
        Traverse(route, bytes, ext->data_start_ps, now + static_cast<std::uint64_t>(delay.value()));
    Charge(ext->layer, static_cast<double>(route.size()), bytes);
    delay = sc_core::sc_time::from_value(arrival - now);
  } else {
    const std::span<const int> route = ChannelRoute(channel, tile, true);
    const std::uint64_t start = now + static_cast<std::uint64_t>(delay.value());
    const auto source_ps = SerializePs(bytes);
    const std::uint64_t arrival = Traverse(route, bytes, start, start + source_ps);
    Charge(ext->layer, static_cast<double>(route.size()), bytes);
    delay = sc_core::sc_time::from_value(arrival - now);
    channel_socket[static_cast<unsigned>(channel)]->b_transport(trans, delay);
  }
}

void SimpleMeshNoc::Multicast(int /*tile*/, tlm::tlm_generic_payload& trans,
                              sc_core::sc_time& delay) {
  auto* ext = trans.get_extension<AccessExtension>();
  const int channel = ChannelOf(trans.get_address());
  const std::uint64_t now = Now();
  channel_socket[static_cast<unsigned>(channel)]->b_transport(trans, delay);
  const MulticastTrees::Tree& tree = trees_.Get(
      channel, ext->multicast,
      [&](size_t r) { return ChannelRoute(channel, ext->multicast[r], false); },
      link_free_ps_.size());
  const double bytes = trans.get_data_length();
  TraverseTree(tree, bytes, ext->data_start_ps, now + static_cast<std::uint64_t>(delay.value()),
               ext->arrival_ps);
  Charge(ext->layer, static_cast<double>(tree.links.size()), bytes);
  delay = sc_core::sc_time::from_value(
      *std::max_element(ext->arrival_ps.begin(), ext->arrival_ps.end()) - now);
}

const bool kRegistered = NocModelRegistry().Add({
    .name = "simple",
    .summary = "XY-routed mesh, cut-through, one transfer at a time per directed link",
    .read_params = {},
    .make = [](const std::string& name, PlatformContext& ctx) -> std::unique_ptr<NocModel> {
      return std::make_unique<SimpleMeshNoc>(name.c_str(), ctx);
    },
});

}  // namespace
}  // namespace pjsim
