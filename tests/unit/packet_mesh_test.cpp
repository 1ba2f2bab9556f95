// The flit-level mesh (PacketMeshSim) behind `pjsim noc-bench`: exact zero-load latency, one
// flit per cycle per ejection port, back-pressure that spreads from a hotspot to traffic that only
// shares links with it, and multicast that injects once and crosses each tree link once.
#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "models/noc/packet_mesh_sim.h"

namespace pjsim {
namespace {

int Hops(int width, int a, int b) {
  return std::abs(a % width - b % width) + std::abs(a / width - b / width);
}

// Runs until every packet is delivered (or `limit` cycles) and returns the deliveries.
std::vector<PacketDelivery> Drain(PacketMeshSim& mesh, std::int64_t limit = 1000000) {
  std::vector<PacketDelivery> all;
  while (mesh.in_flight() > 0 && mesh.cycle() < limit) mesh.Step(all);
  return all;
}

TEST(PacketMesh, ZeroLoadLatencyIsHopsTimesRouterPlusLinkPlusSerialization) {
  for (const int k : {2, 3, 5, 8}) {
    for (const int flits : {1, 4, 9}) {
      for (const auto& [t_r, t_l] : std::vector<std::pair<int, int>>{{1, 1}, {2, 1}, {3, 2}}) {
        PacketMeshShape shape{k, k, 2, 8, t_r, t_l};
        // One packet alone in the mesh per (source, destination) pair, from corner and centre.
        for (const int source : {0, k * k / 2}) {
          for (int dest = 0; dest < k * k; ++dest) {
            if (dest == source) continue;
            PacketMeshSim mesh(shape);
            mesh.Send(source, {dest}, flits);
            const auto d = Drain(mesh);
            ASSERT_EQ(d.size(), 1u);
            const int hops = Hops(k, source, dest);
            EXPECT_EQ(d[0].delivered - d[0].created,
                      static_cast<std::int64_t>(hops + 1) * (t_r + t_l) + flits - 1)
                << k << "x" << k << " " << source << "->" << dest << " F=" << flits;
            EXPECT_EQ(d[0].delivered - d[0].created,
                      PacketMeshSim::ZeroLoadLatency(shape, hops, flits));
          }
        }
      }
    }
  }
}

TEST(PacketMesh, UncontendedTrainStreamsOneFlitPerCycle) {
  // Buffers covering the credit round trip (2 * link + router cycles): no bubbles, so the last
  // of P packets arrives P * F - 1 cycles after a lone head would.
  PacketMeshShape shape{4, 4, 2, 8, 1, 2};
  PacketMeshSim mesh(shape);
  const int packets = 10, flits = 4;
  for (int i = 0; i < packets; ++i) mesh.Send(0, {15}, flits);
  const auto d = Drain(mesh);
  ASSERT_EQ(d.size(), static_cast<size_t>(packets));
  EXPECT_EQ(d.back().delivered, PacketMeshSim::ZeroLoadLatency(shape, 6, packets * flits));
}

TEST(PacketMesh, SmallBuffersThrottleAStreamToBufferOverRoundTrip) {
  // One VC of B flits and a credit round trip of 2 * link + router cycles: at most B flits per
  // round trip cross a link.
  PacketMeshShape shape{4, 1, 1, 2, 1, 3};
  PacketMeshSim mesh(shape);
  const int flits = 200;
  mesh.Send(0, {3}, flits);
  const auto d = Drain(mesh);
  ASSERT_EQ(d.size(), 1u);
  const double round_trip = 2 * shape.link_latency + shape.router_latency;
  const double rate = static_cast<double>(flits) / static_cast<double>(d[0].delivered);
  EXPECT_NEAR(rate, shape.buffer_flits / round_trip, 0.02);
}

TEST(PacketMesh, TwoSourcesCannotEjectMoreThanOneFlitPerCycle) {
  // Node 4 (centre of 3x3) fed by nodes 3 and 5 from opposite sides: disjoint links, one port.
  PacketMeshShape shape{3, 3, 2, 8, 1, 1};
  PacketMeshSim mesh(shape);
  const int packets = 50, flits = 4;
  for (int i = 0; i < packets; ++i) {
    mesh.Send(3, {4}, flits);
    mesh.Send(5, {4}, flits);
  }
  const auto d = Drain(mesh);
  ASSERT_EQ(d.size(), 2u * packets);
  const std::int64_t total_flits = 2 * packets * flits;
  EXPECT_GE(d.back().delivered, total_flits);       // at most one flit per cycle into node 4
  EXPECT_LE(d.back().delivered, total_flits + 10);  // and the port is kept busy
}

TEST(PacketMesh, HotspotBackPressureDelaysTrafficThatOnlySharesLinks) {
  // 5x1 row: nodes 1 and 4 flood node 0, whose ejection port takes half of what they offer. The
  // victim, 3 -> 2, shares only the link 3 -> 2 with the hot flow from node 4 and neither its
  // destination nor any link near the hotspot. With small buffers the congestion at node 0 backs
  // up into routers 1, 2, 3 (tree saturation) and the victim waits behind blocked hot packets;
  // with deep buffers the queue stays at router 1 and the victim passes.
  auto victim_latency = [](int buffer_flits) {
    PacketMeshShape shape{5, 1, 1, buffer_flits, 1, 1};
    PacketMeshSim mesh(shape);
    std::vector<PacketDelivery> all;
    for (int cycle = 0; cycle < 400; ++cycle) {
      if (cycle % 4 == 0) {
        mesh.Send(1, {0}, 4);
        mesh.Send(4, {0}, 4);
      }
      mesh.Step(all);
    }
    const std::int64_t id = mesh.Send(3, {2}, 4);
    const std::int64_t sent = mesh.cycle();
    while (mesh.in_flight() > 0) mesh.Step(all);
    for (const PacketDelivery& d : all) {
      if (d.id == id) return d.delivered - sent;
    }
    return std::int64_t{-1};
  };
  const std::int64_t alone = PacketMeshSim::ZeroLoadLatency({5, 1, 1, 2, 1, 1}, 1, 4);
  const std::int64_t deep = victim_latency(1024);
  const std::int64_t shallow = victim_latency(2);
  // Deep buffers: at most one hot packet (4 flits) ahead of it on the shared link.
  EXPECT_LE(deep, alone + 4);
  EXPECT_GT(shallow, 2 * deep) << "deep " << deep << ", shallow " << shallow;
}

TEST(PacketMesh, MulticastInjectsOnceAndCrossesEachTreeLinkOnce) {
  const int k = 4;
  PacketMeshShape shape{k, k, 2, 8, 1, 1};
  PacketMeshSim mesh(shape);
  std::vector<int> all;
  for (int d = 1; d < k * k; ++d) all.push_back(d);
  const int flits = 5;
  mesh.Send(0, all, flits);
  const auto d = Drain(mesh);
  ASSERT_EQ(d.size(), all.size());
  // XY routes from one source form a tree with one link into every other node.
  std::int64_t crossed = 0;
  for (std::int64_t f : mesh.link_flits()) crossed += f;
  EXPECT_EQ(crossed, static_cast<std::int64_t>(all.size()) * flits);
  for (const PacketDelivery& x : d) {
    EXPECT_EQ(x.delivered - x.created,
              PacketMeshSim::ZeroLoadLatency(shape, Hops(k, 0, x.destination), flits));
  }
}

}  // namespace
}  // namespace pjsim
