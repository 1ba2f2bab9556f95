// The router-pipeline knobs of the flit-level mesh that express a BookSim configuration: a head
// flit's extra stages (route computation, VC allocation) that body flits skip, the injection
// channel, a credit latency of its own, and BookSim's destinations that may be the source.
#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "models/noc/packet_mesh_sim.h"
#include "models/noc/packet_traffic.h"

namespace pjsim {
namespace {

int Hops(int width, int a, int b) {
  return std::abs(a % width - b % width) + std::abs(a / width - b / width);
}

std::vector<PacketDelivery> Drain(PacketMeshSim& mesh, std::int64_t limit = 1000000) {
  std::vector<PacketDelivery> all;
  while (mesh.in_flight() > 0 && mesh.cycle() < limit) mesh.Step(all);
  return all;
}

PacketMeshShape Shape(int k, int vcs, int buffer, int router, int link, int head, int injection,
                      int credit) {
  PacketMeshShape s{k, k, vcs, buffer, router, link};
  s.head_latency = head;
  s.injection_latency = injection;
  s.credit_latency = credit;
  return s;
}

TEST(PacketPipeline, HeadStagesAndInjectionChannelAddToTheZeroLoadLatencyExactly) {
  // BookSim's default router (routing, VC and switch allocation, switch traversal: 1 cycle each)
  // is router 1 + head 2, its channels 2 cycles: 5 per hop, 7 more for injection and ejection.
  for (const auto& [r, l, h, inj] :
       std::vector<std::tuple<int, int, int, int>>{{1, 2, 2, 2}, {1, 1, 0, 3}, {2, 1, 3, 0}}) {
    const PacketMeshShape shape = Shape(5, 2, 8, r, l, h, inj, 0);
    for (const int flits : {1, 4}) {
      for (int dest = 0; dest < 25; ++dest) {  // source 12 is the centre; dest 12 is itself
        PacketMeshSim mesh(shape);
        mesh.Send(12, {dest}, flits);
        const auto d = Drain(mesh);
        ASSERT_EQ(d.size(), 1u);
        const int hops = Hops(5, 12, dest);
        EXPECT_EQ(d[0].delivered - d[0].created,
                  inj + static_cast<std::int64_t>(hops + 1) * (r + h + l) + flits - 1)
            << "12->" << dest << " F=" << flits;
        EXPECT_EQ(d[0].delivered - d[0].created,
                  PacketMeshSim::ZeroLoadLatency(shape, hops, flits));
      }
    }
  }
  // The default pipeline: a 4-flit packet over 6 hops, 5 * 6 + 7 + 3 cycles.
  EXPECT_EQ(PacketMeshSim::ZeroLoadLatency(Shape(8, 2, 8, 1, 2, 2, 2, 4), 6, 4), 40);
}

TEST(PacketPipeline, AVcRunsTheHeadStagesForOnePacketAtATime) {
  // Back-to-back 1-flit packets over 3 hops. In one VC the second head starts its route and VC
  // allocation stages only when the first has left, so they arrive head_latency + 1 cycles
  // apart; with two VCs the stages overlap and they arrive one cycle apart.
  for (const int h : {0, 1, 3}) {
    for (const int vcs : {1, 2}) {
      PacketMeshSim mesh(Shape(4, vcs, 8, 1, 1, h, 0, 0));
      mesh.Send(0, {3}, 1);
      mesh.Send(0, {3}, 1);
      const auto d = Drain(mesh);
      ASSERT_EQ(d.size(), 2u);
      EXPECT_EQ(d[1].delivered - d[0].delivered, vcs == 1 ? h + 1 : 1) << "h=" << h;
    }
  }
}

double StreamRate(const PacketMeshShape& shape) {
  PacketMeshSim mesh(shape);
  const int flits = 400;
  mesh.Send(0, {3}, flits);  // along the first row
  const auto d = Drain(mesh);
  EXPECT_EQ(d.size(), 1u);
  // Flits per cycle behind the head: the tail trails a lone head by (flits - 1) / rate.
  const std::int64_t head = PacketMeshSim::ZeroLoadLatency(shape, 3, 1);
  return static_cast<double>(flits - 1) / static_cast<double>(d[0].delivered - d[0].created - head);
}

TEST(PacketPipeline, BodyFlitsSkipTheHeadStagesSoTheyDoNotLengthenTheCreditRoundTrip) {
  // One VC of 2 flits: a slot comes back link + router + credit cycles after its flit left, so
  // a long packet streams at 2 / (1 + 1 + 1) flits per cycle whatever the head's extra stages.
  const double base = StreamRate(Shape(4, 1, 2, 1, 1, 0, 0, 0));
  EXPECT_NEAR(base, 2.0 / 3.0, 0.01);
  EXPECT_NEAR(StreamRate(Shape(4, 1, 2, 1, 1, 6, 0, 0)), base, 0.01);
  // Were the head stages charged to every flit, the rate would be 2 / 9.
}

TEST(PacketPipeline, CreditLatencySetsTheRoundTripApartFromTheLink) {
  // BookSim's credit_delay lengthens only the credit's way back: 2 / (1 + 1 + 3) = 0.4.
  EXPECT_NEAR(StreamRate(Shape(4, 1, 2, 1, 1, 0, 0, 3)), 0.4, 0.01);
  // 0 means "as long as the link", the model's original round trip 2 * link + router.
  EXPECT_NEAR(StreamRate(Shape(4, 1, 2, 1, 2, 0, 0, 0)), 2.0 / 5.0, 0.01);
  EXPECT_NEAR(StreamRate(Shape(4, 1, 2, 1, 2, 0, 0, 2)), 2.0 / 5.0, 0.01);
}

TEST(PacketPipeline, InvalidLatenciesAreRejected) {
  EXPECT_THROW(PacketMeshSim(Shape(2, 1, 2, 1, 1, -1, 0, 0)), std::invalid_argument);
  EXPECT_THROW(PacketMeshSim(Shape(2, 1, 2, 1, 1, 0, -1, 0)), std::invalid_argument);
  EXPECT_THROW(PacketMeshSim(Shape(2, 1, 2, 1, 1, 0, 0, -1)), std::invalid_argument);
}

TEST(PacketPipeline, SelfTrafficSendsToTheSourceAndAveragesOverEveryNode) {
  const PacketMeshShape shape{4, 4, 2, 8, 1, 1};
  TrafficRun run;
  run.packet_flits = 4;
  run.warmup_cycles = 500;
  run.measure_cycles = 4000;
  run.max_drain_cycles = 8000;
  // Hotspot: all 16 nodes, node 0 too, share node 0's ejection port, 1/16 each (1/15 without).
  run.pattern = TrafficPattern::kHotspot;
  run.injection_rate = 0.5;
  run.self_traffic = true;
  EXPECT_NEAR(RunTraffic(shape, run).accepted_flits_per_node_cycle, 1.0 / 16, 0.001);
  run.self_traffic = false;
  EXPECT_NEAR(RunTraffic(shape, run).accepted_flits_per_node_cycle, 1.0 / 15, 0.001);
  // Uniform: the zero-load latency averages over all 16 destinations, the source included
  // (0 hops), which shortens the mean hop count by the factor (N - 1) / N.
  run.pattern = TrafficPattern::kUniform;
  run.injection_rate = 0.01;
  const double without = RunTraffic(shape, run).zero_load_latency_cycles;
  run.self_traffic = true;
  const TrafficResult with = RunTraffic(shape, run);
  const double per_hop = shape.router_latency + shape.link_latency;
  const double fixed = per_hop + run.packet_flits - 1;  // the source and ejection routers
  EXPECT_NEAR(with.zero_load_latency_cycles - fixed, (without - fixed) * 15.0 / 16.0, 1e-9);
  EXPECT_NEAR(with.avg_packet_latency_cycles, with.zero_load_latency_cycles,
              0.03 * with.zero_load_latency_cycles);
}

}  // namespace
}  // namespace pjsim
