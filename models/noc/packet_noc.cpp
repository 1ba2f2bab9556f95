// The `packet` NoC model: the mesh of `simple` (XY routes, the same links) with packets and
// flits. A transfer is a train of packets of `packet_size` bytes cut into flits of the link width;
// routers have a pipeline (`router_latency`) and input buffers of `buffer_flits` per virtual
// channel with credit back-pressure, links a latency (`link_latency`); every tile and every DRAM
// channel has its own injection and ejection port of one flit per cycle, so a tile fed by two
// channels at once takes in one flit per cycle. A read first sends a request packet of
// `request_size` bytes from the tile to the channel. Trains are booked in closed form
// (PacketSchedule), checked against the flit-level routers of PacketMeshSim (tests/**/packet*).
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "models/access_extension.h"
#include "models/noc/noc_model.h"
#include "models/noc/packet_schedule.h"
#include "sim/config/arch_config.h"
#include "sim/config/noc_model_registry.h"
#include "sim/config/yaml_reader.h"

namespace pjsim {
namespace {

struct PacketNocParams : ModelParams {
  double packet_bytes = 0;
  double request_bytes = 0;
  PacketTiming timing;
  // PacketSchedule::Commit: a train of V packets or more holds what is behind it.
  double HoldingTrainBytes() const override {
    return static_cast<double>(timing.virtual_channels - 1) * packet_bytes;
  }
  bool ChannelsHavePorts() const override { return true; }
  bool RequestsFollowStores() const override { return true; }
};

class PacketNoc : public NocModel {
 public:
  PacketNoc(sc_core::sc_module_name name, PlatformContext& ctx, const PacketNocParams& p)
      : NocModel(name, ctx),
        params_(p),
        tiles_(static_cast<int>(ctx.arch.TileCount())),
        channels_(static_cast<int>(ctx.arch.dram.channels.size())),
        packet_flits_(Flits(p.packet_bytes)),
        request_flits_(Flits(p.request_bytes)),
        schedule_(tiles_ * 6 + channels_ * 2, p.timing),
        link_bytes_(static_cast<size_t>(tiles_ * 4), 0.0),
        link_track_(static_cast<size_t>(tiles_ * 4), -1) {}

  const std::vector<double>& link_bytes() const override { return link_bytes_; }

 private:
  // Resources of the schedule: the directed links (router * 4 + direction), then each tile's
  // injection and ejection port, then each channel's.
  int TileInjection(int tile) const { return tiles_ * 4 + tile; }
  int TileEjection(int tile) const { return tiles_ * 5 + tile; }
  int ChannelInjection(int channel) const { return tiles_ * 6 + channel; }
  int ChannelEjection(int channel) const { return tiles_ * 6 + channels_ + channel; }
  bool IsLink(int resource) const { return resource < tiles_ * 4; }

  std::int64_t Flits(double bytes) const {
    return std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::ceil(bytes / ctx().arch.noc.link_bytes_per_cycle)));
  }
  // Flits of a transfer: full packets and a last, shorter one (an empty transfer still sends a
  // head flit).
  std::int64_t TrainFlits(double bytes) const {
    const auto full = static_cast<std::int64_t>(std::floor(bytes / params_.packet_bytes));
    const double rest = bytes - static_cast<double>(full) * params_.packet_bytes;
    return std::max<std::int64_t>(1, full * packet_flits_ + (rest > 0 ? Flits(rest) : 0));
  }
  std::int64_t PsToCycle(std::uint64_t ps) const {
    return static_cast<std::int64_t>((ps + ctx().clock_period_ps - 1) / ctx().clock_period_ps);
  }
  std::uint64_t CycleToPs(std::int64_t cycle) const {
    return static_cast<std::uint64_t>(cycle) * ctx().clock_period_ps;
  }
  // `first`, the links of the XY route between two mesh positions, `last`, into path_.
  const std::vector<int>& Path(int first, std::int64_t from_x, std::int64_t from_y,
                               std::int64_t to_x, std::int64_t to_y, int last) {
    XyPath(ctx().arch.mesh_width, from_x, from_y, to_x, to_y, first, last, path_);
    return path_;
  }
  std::int64_t Send(int layer, const std::vector<int>& path, std::uint64_t start_ps, double bytes,
                    std::int64_t flits, std::uint64_t source_done_ps);
  // Counts the bytes of the schedule's last train on its links (and traces them).
  void Book(int layer, double bytes);
  void Charge(int layer, double links, double bytes);
  // Sends the request of a read from `tile`; returns when it has reached the channel.
  std::uint64_t Request(int layer, int tile, int channel, std::uint64_t start_ps);
  void b_transport(int tile, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) override;
  void Multicast(int tile, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  PacketNocParams params_;
  int tiles_, channels_;
  std::int64_t packet_flits_, request_flits_;
  PacketSchedule schedule_;
  std::vector<double> link_bytes_;
  std::vector<int> link_track_;  // trace track per link, created on first use
  std::vector<int> path_;        // reused, to keep allocation off the per-transfer path
};

void PacketNoc::Book(int layer, double bytes) {
  for (const PacketBooking& b : schedule_.bookings()) {
    if (!IsLink(b.resource)) continue;
    link_bytes_[static_cast<size_t>(b.resource)] += bytes;
    if (!ctx().trace) continue;
    int& track = link_track_[static_cast<size_t>(b.resource)];
    if (track < 0) {
      const std::int64_t width = ctx().arch.mesh_width;
      const std::int64_t router = b.resource / 4;
      static const char* kDir[] = {"E", "W", "N", "S"};
      track = ctx().trace->AddTrack(TrackKind::kLink,
                                    "(" + std::to_string(router % width) + "," +
                                        std::to_string(router / width) + ")" + kDir[b.resource % 4],
                                    b.resource);
    }
    ctx().trace->AddSpan(track, layer, Now(), CycleToPs(b.begin), CycleToPs(b.end),
                         {.bytes = bytes});
  }
}

void PacketNoc::Charge(int layer, double links, double bytes) {
  // A tree of `links` links crosses links + 1 routers (a unicast route is a tree too).
  if (!ctx().arch.HasRouters()) return;  // one tile: no router, no links
  const double bits = bytes * 8;
  ctx().ledger.Add(layer, ctx().actions.noc_router, bits * (links + 1));
  ctx().ledger.Add(layer, ctx().actions.noc_link, bits * links * ctx().arch.noc.link_length_mm);
}

std::int64_t PacketNoc::Send(int layer, const std::vector<int>& path, std::uint64_t start_ps,
                             double bytes, std::int64_t flits, std::uint64_t source_done_ps) {
  schedule_.Forget(static_cast<std::int64_t>(Now() / ctx().clock_period_ps));
  const std::int64_t arrival = schedule_.Send(
      path, PsToCycle(start_ps), flits, std::min(flits, packet_flits_), PsToCycle(source_done_ps));
  Book(layer, bytes);
  Charge(layer, static_cast<double>(path.size() - 2), bytes);
  return arrival;
}

std::uint64_t PacketNoc::Request(int layer, int tile, int channel, std::uint64_t start_ps) {
  const auto& pos = ctx().arch.dram.channels[static_cast<size_t>(channel)];
  const std::int64_t width = ctx().arch.mesh_width;
  const std::vector<int>& path =
      Path(TileInjection(tile), tile % width, tile / width, pos.x, pos.y, ChannelEjection(channel));
  const std::int64_t start = PsToCycle(start_ps);
  return CycleToPs(Send(layer, path, start_ps, params_.request_bytes, request_flits_,
                        CycleToPs(start + request_flits_ - 1)));
}

void PacketNoc::b_transport(int tile, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const auto* ext = trans.get_extension<AccessExtension>();
  if (trans.is_read() && !ext->multicast.empty()) return Multicast(tile, trans, delay);
  const std::int64_t width = ctx().arch.mesh_width;
  const double bytes = trans.get_data_length();
  const std::int64_t flits = TrainFlits(bytes);
  const std::uint64_t now = Now();
  const std::uint64_t start = now + static_cast<std::uint64_t>(delay.value());
  if (trans.is_write() && ext->to_tile >= 0) {
    // Tile to tile (partial sums of a K split): from one tile's injection port to the other's
    // ejection port; no channel is involved.
    const int to = ext->to_tile;
    const std::vector<int>& path = Path(TileInjection(tile), tile % width, tile / width, to % width,
                                        to / width, TileEjection(to));
    const std::int64_t arrival =
        Send(ext->layer, path, start, bytes, flits, CycleToPs(PsToCycle(start) + flits - 1));
    delay = sc_core::sc_time::from_value(CycleToPs(arrival) - now);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  const int channel = ChannelOf(trans.get_address());
  const auto& pos = ctx().arch.dram.channels[static_cast<size_t>(channel)];

  if (trans.is_read()) {
    delay = sc_core::sc_time::from_value(Request(ext->layer, tile, channel, start) - now);
    channel_socket[static_cast<unsigned>(channel)]->b_transport(trans, delay);
    const std::vector<int>& path = Path(ChannelInjection(channel), pos.x, pos.y, tile % width,
                                        tile / width, TileEjection(tile));
    // The channel streams the data from data_start_ps; its last byte is out when it returns.
    const std::int64_t arrival = Send(ext->layer, path, ext->data_start_ps, bytes, flits,
                                      now + static_cast<std::uint64_t>(delay.value()));
    delay = sc_core::sc_time::from_value(CycleToPs(arrival) - now);
  } else {
    const std::vector<int>& path = Path(TileInjection(tile), tile % width, tile / width, pos.x,
                                        pos.y, ChannelEjection(channel));
    const std::int64_t arrival =
        Send(ext->layer, path, start, bytes, flits, CycleToPs(PsToCycle(start) + flits - 1));
    delay = sc_core::sc_time::from_value(CycleToPs(arrival) - now);
    channel_socket[static_cast<unsigned>(channel)]->b_transport(trans, delay);
  }
}

void PacketNoc::Multicast(int tile, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  auto* ext = trans.get_extension<AccessExtension>();
  const int channel = ChannelOf(trans.get_address());
  const auto& pos = ctx().arch.dram.channels[static_cast<size_t>(channel)];
  const std::int64_t width = ctx().arch.mesh_width;
  const std::uint64_t now = Now();
  delay = sc_core::sc_time::from_value(
      Request(ext->layer, tile, channel, now + static_cast<std::uint64_t>(delay.value())) - now);
  channel_socket[static_cast<unsigned>(channel)]->b_transport(trans, delay);
  std::vector<std::vector<int>> paths;
  for (int dest : ext->multicast) {
    paths.push_back(Path(ChannelInjection(channel), pos.x, pos.y, dest % width, dest / width,
                         TileEjection(dest)));
  }
  const double bytes = trans.get_data_length();
  const std::int64_t flits = TrainFlits(bytes);
  schedule_.Forget(static_cast<std::int64_t>(now / ctx().clock_period_ps));
  const std::vector<std::int64_t> arrivals = schedule_.SendTree(
      paths, PsToCycle(ext->data_start_ps), flits, std::min(flits, packet_flits_),
      PsToCycle(now + static_cast<std::uint64_t>(delay.value())));
  Book(ext->layer, bytes);
  const std::vector<PacketBooking>& bookings = schedule_.bookings();
  const auto links = static_cast<double>(
      std::count_if(bookings.begin(), bookings.end(),
                    [this](const PacketBooking& b) { return IsLink(b.resource); }));
  Charge(ext->layer, links, bytes);
  ext->arrival_ps.clear();
  for (std::int64_t a : arrivals) ext->arrival_ps.push_back(CycleToPs(a));
  delay = sc_core::sc_time::from_value(
      *std::max_element(ext->arrival_ps.begin(), ext->arrival_ps.end()) - now);
}

// Whole cycles >= 1 from a duration key (the routers advance in cycles).
int Cycles(ConfigMap& noc, const std::string& key, double cycles) {
  const double rounded = std::round(cycles);
  if (rounded < 1 || std::abs(cycles - rounded) > 1e-9 || rounded > 1e6) {
    noc.Fail(key, "expects a whole number of cycles >= 1 (got " + std::to_string(cycles) + ")");
  }
  return static_cast<int>(rounded);
}

std::shared_ptr<const ModelParams> ReadPacketNocParams(ConfigMap& noc, const ArchConfig& arch) {
  auto p = std::make_shared<PacketNocParams>();
  p->packet_bytes = noc.QuantityOr("packet_size", 256, Dimension::kBytes);
  p->request_bytes = noc.QuantityOr("request_size", 16, Dimension::kBytes);
  p->timing.buffer_flits = static_cast<int>(noc.IntOr("buffer_flits", 8, 1, 4096));
  p->timing.virtual_channels = static_cast<int>(noc.IntOr("virtual_channels", 2, 1, 64));
  p->timing.router_latency =
      noc.Has("router_latency")
          ? Cycles(noc, "router_latency", noc.DurationCycles("router_latency", arch.clock_hz))
          : 1;
  // Default: the hop latency `simple` charges per link, at least one cycle.
  p->timing.link_latency =
      noc.Has("link_latency")
          ? Cycles(noc, "link_latency", noc.DurationCycles("link_latency", arch.clock_hz))
          : std::max(1, static_cast<int>(std::lround(arch.noc.hop_latency_cycles)));
  return p;
}

const bool kRegistered = NocModelRegistry().Add({
    .name = "packet",
    .summary = "XY-routed mesh of wormhole routers: packets of flits, virtual channels, credit "
               "back-pressure, one-flit ports, read requests, multicast trees (keys: packet_size, "
               "request_size, buffer_flits, virtual_channels, router_latency, link_latency)",
    .read_params = ReadPacketNocParams,
    .make = [](const std::string& name, PlatformContext& ctx) -> std::unique_ptr<NocModel> {
      return std::make_unique<PacketNoc>(name.c_str(), ctx,
                                         ParamsAs<PacketNocParams>(ctx.arch.noc.params));
    },
});

}  // namespace
}  // namespace pjsim
