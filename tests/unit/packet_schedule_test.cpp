// The platform-mode timing of the `packet` NoC (PacketSchedule: closed-form train bookings)
// against the flit-level routers (PacketMeshSim) it stands in for: identical zero-load latency,
// makespans of contended patterns within the tolerance docs/NOC.md states, and the port limits,
// back-pressure and multicast trees of the flit model.
#include "models/noc/packet_schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <vector>

#include "models/noc/packet_mesh_sim.h"

namespace pjsim {
namespace {

// The mesh of `shape` as PacketSchedule resources: links, then injection and ejection ports.
struct Layout {
  PacketMeshShape shape;
  int nodes() const { return shape.width * shape.height; }
  int resources() const { return nodes() * 6; }
  std::vector<int> Path(int from, int to) const {
    const int w = shape.width;
    std::vector<int> path;
    XyPath(w, from % w, from / w, to % w, to / w, nodes() * 4 + from, nodes() * 5 + to, path);
    return path;
  }
  PacketTiming Timing() const {
    return {shape.router_latency, shape.link_latency, shape.buffer_flits, shape.virtual_channels};
  }
};

int Hops(int width, int a, int b) {
  return std::abs(a % width - b % width) + std::abs(a / width - b / width);
}

struct Train {
  int source, destination, packets;
};

// Completion cycle of each train in the flit-level mesh, all trains queued at cycle 0 (each
// source sends its trains in order).
std::vector<std::int64_t> FlitLevel(const PacketMeshShape& shape, const std::vector<Train>& trains,
                                    int flits) {
  PacketMeshSim mesh(shape);
  std::vector<std::int64_t> last_id;
  for (const Train& t : trains) {
    for (int p = 0; p < t.packets; ++p) mesh.Send(t.source, {t.destination}, flits);
    last_id.push_back(mesh.Send(t.source, {t.destination}, flits));
  }
  std::vector<PacketDelivery> all;
  while (mesh.in_flight() > 0 && mesh.cycle() < 10000000) mesh.Step(all);
  std::vector<std::int64_t> done(trains.size(), -1);
  for (const PacketDelivery& d : all) {
    for (size_t i = 0; i < trains.size(); ++i) {
      if (d.id == last_id[i]) done[i] = d.delivered;
    }
  }
  return done;
}

// The same trains (packets + 1 each, as FlitLevel sends) booked in closed form in order.
std::vector<std::int64_t> Closed(const Layout& layout, const std::vector<Train>& trains,
                                 int flits) {
  PacketSchedule schedule(layout.resources(), layout.Timing());
  std::vector<std::int64_t> done;
  for (const Train& t : trains) {
    const std::int64_t n = static_cast<std::int64_t>(t.packets + 1) * flits;
    done.push_back(schedule.Send(layout.Path(t.source, t.destination), 0, n, flits, n - 1));
  }
  return done;
}

TEST(PacketSchedule, ZeroLoadEqualsTheFlitLevelMeshExactly) {
  for (const int k : {2, 4, 7}) {
    for (const int flits : {1, 4, 8}) {
      for (const auto& [t_r, t_l] : std::vector<std::pair<int, int>>{{1, 1}, {2, 3}}) {
        for (const int packets : {0, 5}) {
          const Layout layout{{k, k, 2, 8, t_r, t_l}};
          for (const int dest : {1, k - 1, k * k - 1, k * (k / 2) + k / 2}) {
            if (dest == 0) continue;
            const std::vector<Train> one = {{0, dest, packets}};
            const std::int64_t flit_level = FlitLevel(layout.shape, one, flits).front();
            const std::int64_t closed = Closed(layout, one, flits).front();
            EXPECT_EQ(closed, flit_level) << k << "x" << k << " 0->" << dest << " F=" << flits;
            EXPECT_EQ(closed, PacketMeshSim::ZeroLoadLatency(layout.shape, Hops(k, 0, dest),
                                                             (packets + 1) * flits));
          }
        }
      }
    }
  }
}

// Makespan (last train done) of both models, relative difference.
double MakespanError(const Layout& layout, const std::vector<Train>& trains, int flits) {
  const auto f = FlitLevel(layout.shape, trains, flits);
  const auto c = Closed(layout, trains, flits);
  const double flit_level = static_cast<double>(*std::max_element(f.begin(), f.end()));
  const double closed = static_cast<double>(*std::max_element(c.begin(), c.end()));
  return std::abs(closed - flit_level) / flit_level;
}

TEST(PacketSchedule, ContendedMakespansAgreeWithTheFlitLevelMeshWithinTenPercent) {
  const Layout layout{{4, 4, 2, 8, 1, 1}};
  // Hotspot: seven tiles stream to node 0 (the ejection port the bottleneck).
  std::vector<Train> hotspot;
  for (int s : {1, 2, 3, 4, 8, 12, 15}) hotspot.push_back({s, 0, 15});
  EXPECT_LT(MakespanError(layout, hotspot, 4), 0.10) << "hotspot";
  // Transpose: every off-diagonal node to its mirror; trains meet on the row/column links.
  std::vector<Train> transpose;
  for (int s = 0; s < 16; ++s) {
    if (s % 4 != s / 4) transpose.push_back({s, (s % 4) * 4 + s / 4, 15});
  }
  EXPECT_LT(MakespanError(layout, transpose, 4), 0.10) << "transpose";
  // Two DRAM-like corners each streaming to every tile, in turn.
  std::vector<Train> corners;
  for (int d = 1; d < 15; ++d) {
    corners.push_back({0, d, 7});
    corners.push_back({15, d, 7});
  }
  EXPECT_LT(MakespanError(layout, corners, 4), 0.10) << "corners";
}

// The traffic of a DRAM-bound layer on an 8x8 mesh with four corner channels, scaled to 4x4:
// each corner channel streams one train to every inner tile in turn. In lockstep (all channels
// serve the same tile at once, as when tiles' loads are striped over every channel and served in
// issue order) a tile's one ejection port takes the four trains at one flit per cycle in all, and
// with shallow buffers each blocked train holds its channel's port. Staggered (channel c serves
// tile i + c) the trains never meet at a port. Returns the makespans of the flit-level routers
// and of the closed form.
std::pair<std::int64_t, std::int64_t> CornerChannels(bool lockstep, int buffer_flits) {
  const Layout layout{{4, 4, 2, buffer_flits, 1, 1}};
  const std::vector<int> channels = {0, 3, 12, 15};
  const std::vector<int> tiles = {5, 6, 9, 10};
  std::vector<Train> trains;
  for (size_t i = 0; i < tiles.size(); ++i) {
    for (size_t c = 0; c < channels.size(); ++c) {
      const size_t tile = lockstep ? i : (i + c) % tiles.size();
      trains.push_back({channels[c], tiles[tile], 31});
    }
  }
  const auto f = FlitLevel(layout.shape, trains, 4);
  const auto c = Closed(layout, trains, 4);
  return {*std::max_element(f.begin(), f.end()), *std::max_element(c.begin(), c.end())};
}

// Why the packet NoC is slower than `simple` on DRAM-bound layers (docs/NOC.md): the routers
// themselves lose the time, so it is the network's physics, not an artefact of the closed form.
TEST(PacketSchedule, LockstepChannelsAreEjectionBoundAndShallowBuffersHoldThem) {
  const std::int64_t train_flits = 32 * 4;
  const auto [stagger_flit, stagger_closed] = CornerChannels(false, 8);
  const auto [lock_flit, lock_closed] = CornerChannels(true, 8);
  const auto [deep_flit, deep_closed] = CornerChannels(true, 4096);
  // Staggered: each channel streams its four trains back to back at its own port's rate.
  EXPECT_LT(stagger_flit, 4 * train_flits * 11 / 10);
  EXPECT_LT(std::abs(stagger_closed - stagger_flit), stagger_flit / 10);
  // Lockstep, deep buffers: the ejection ports bound it (a blocked train waits in the buffers
  // and its channel streams on); the closed form agrees.
  EXPECT_GT(deep_flit, stagger_flit * 3 / 2);
  EXPECT_LT(std::abs(deep_closed - deep_flit), deep_flit / 10);
  // Lockstep, 8-flit buffers: the routers also hold each channel behind its blocked train, and
  // their round-robin ejection keeps the channels in step, tile after tile. The closed form
  // serves whole trains first come first served, which staggers the channels after the first
  // tile: it lies between the two router figures (optimistic about the holding, not beyond).
  EXPECT_GT(lock_flit, deep_flit * 23 / 20) << "deep " << deep_flit << ", shallow " << lock_flit;
  EXPECT_GE(lock_closed, deep_flit * 9 / 10);
  EXPECT_LE(lock_closed, lock_flit);
}

TEST(PacketSchedule, OneEjectionPortTakesOneFlitPerCycle) {
  // Node 4 of a 3x3 mesh fed from both sides at once: the second train waits for the port.
  const Layout layout{{3, 3, 2, 8, 1, 1}};
  PacketSchedule schedule(layout.resources(), layout.Timing());
  const std::int64_t n = 64;
  const std::int64_t a = schedule.Send(layout.Path(3, 4), 0, n, 4, n - 1);
  const std::int64_t b = schedule.Send(layout.Path(5, 4), 0, n, 4, n - 1);
  EXPECT_EQ(a, PacketMeshSim::ZeroLoadLatency(layout.shape, 1, static_cast<int>(n)));
  EXPECT_GE(std::max(a, b), 2 * n);
  EXPECT_EQ(schedule.BusyFrom(layout.nodes() * 5 + 4, 0), 2 * n);
}

TEST(PacketSchedule, BlockedTrainHoldsTheLinksBehindItWhenBuffersAreShallow) {
  // The test of PacketMesh with the same name, in closed form: 5x1 row, nodes 1 and 4 stream to
  // node 0; the victim 3 -> 2 shares only the link 3 -> 2 with the train from node 4.
  auto victim = [](int buffer_flits) {
    const Layout layout{{5, 1, 1, buffer_flits, 1, 1}};
    PacketSchedule schedule(layout.resources(), layout.Timing());
    schedule.Send(layout.Path(1, 0), 0, 400, 4, 399);
    schedule.Send(layout.Path(4, 0), 0, 400, 4, 399);
    return schedule.Send(layout.Path(3, 2), 0, 4, 4, 3);
  };
  const std::int64_t alone = PacketMeshSim::ZeroLoadLatency({5, 1, 1, 2, 1, 1}, 1, 4);
  const std::int64_t deep = victim(1024);
  const std::int64_t shallow = victim(2);
  // Deep buffers: it waits for the hot train's 400 flits to cross 3 -> 2 (whose head got there
  // a cycle after the victim could) and no longer.
  EXPECT_LE(deep, alone + 400 + 4);
  // Shallow: that train, blocked at node 0 behind the other one, holds the link far longer.
  EXPECT_GT(shallow, deep + 200) << "deep " << deep << ", shallow " << shallow;
}

TEST(PacketSchedule, MulticastBooksEveryTreeResourceOnceAndArrivesAtZeroLoad) {
  const int k = 4;
  const Layout layout{{k, k, 2, 8, 1, 1}};
  PacketSchedule schedule(layout.resources(), layout.Timing());
  std::vector<std::vector<int>> paths;
  for (int d = 1; d < k * k; ++d) paths.push_back(layout.Path(0, d));
  const std::int64_t n = 12;
  const auto arrivals = schedule.SendTree(paths, 0, n, 4, n - 1);
  std::int64_t link_cycles = 0;
  for (int link = 0; link < layout.nodes() * 4; ++link) link_cycles += schedule.BusyFrom(link, 0);
  EXPECT_EQ(link_cycles, (k * k - 1) * n);  // one link into every other node, n flits each
  EXPECT_EQ(schedule.BusyFrom(layout.nodes() * 4, 0), n);  // injected once
  for (int d = 1; d < k * k; ++d) {
    EXPECT_EQ(arrivals[static_cast<size_t>(d - 1)],
              PacketMeshSim::ZeroLoadLatency(layout.shape, Hops(k, 0, d), static_cast<int>(n)));
  }
}

// Random trains of 1-16 four-flit packets between random nodes of a 4x4 mesh, starting at
// random cycles of a 400-cycle window (20, 60 or 120 trains: up to half the mesh's capacity),
// booked in start order as the platform books them. Returns the relative error of the closed
// form in mean train latency and in makespan.
std::pair<double, double> RandomTrainsError(std::uint64_t seed, int trains_count) {
  const Layout layout{{4, 4, 2, 8, 1, 1}};
  std::uint64_t state = seed * 7919;
  auto draw = [&state](int n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((state >> 33) % static_cast<std::uint64_t>(n));
  };
  struct Timed {
    int source, destination, packets;
    std::int64_t start;
  };
  std::vector<Timed> trains;
  for (int i = 0; i < trains_count; ++i) {
    const int source = draw(16);
    int destination = draw(15);
    if (destination >= source) ++destination;
    trains.push_back({source, destination, 1 + draw(16), draw(400)});
  }
  std::stable_sort(trains.begin(), trains.end(),
                   [](const Timed& a, const Timed& b) { return a.start < b.start; });
  PacketMeshSim mesh(layout.shape);
  std::vector<std::int64_t> last(trains.size());
  std::vector<PacketDelivery> all;
  size_t next = 0;
  while (next < trains.size() || mesh.in_flight() > 0) {
    for (; next < trains.size() && trains[next].start == mesh.cycle(); ++next) {
      for (int p = 0; p < trains[next].packets; ++p) {
        last[next] = mesh.Send(trains[next].source, {trains[next].destination}, 4);
      }
    }
    mesh.Step(all);
  }
  std::map<std::int64_t, std::int64_t> delivered;
  for (const PacketDelivery& d : all) delivered[d.id] = d.delivered;
  PacketSchedule schedule(layout.resources(), layout.Timing());
  double flit_sum = 0, closed_sum = 0, flit_end = 0, closed_end = 0;
  for (size_t i = 0; i < trains.size(); ++i) {
    const Timed& t = trains[i];
    const std::int64_t n = t.packets * 4;
    const auto closed = static_cast<double>(
        schedule.Send(layout.Path(t.source, t.destination), t.start, n, 4, t.start + n - 1));
    const auto flit = static_cast<double>(delivered[last[i]]);
    flit_sum += flit - static_cast<double>(t.start);
    closed_sum += closed - static_cast<double>(t.start);
    flit_end = std::max(flit_end, flit);
    closed_end = std::max(closed_end, closed);
  }
  return {(closed_sum - flit_sum) / flit_sum, (closed_end - flit_end) / flit_end};
}

TEST(PacketSchedule, RandomTrainsAgreeWithTheFlitLevelMeshWithinTwentyPercent) {
  double total = 0;
  int cases = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    for (const int trains : {20, 60, 120}) {
      const auto [latency, makespan] = RandomTrainsError(seed, trains);
      EXPECT_LT(std::abs(latency), 0.20) << "seed " << seed << ", " << trains << " trains";
      EXPECT_LT(std::abs(makespan), 0.20) << "seed " << seed << ", " << trains << " trains";
      total += std::abs(latency);
      ++cases;
    }
  }
  EXPECT_LT(total / cases, 0.10);  // mean train latency, averaged over the patterns
}

}  // namespace
}  // namespace pjsim
