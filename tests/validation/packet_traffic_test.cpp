// `pjsim noc-bench`'s flit-level mesh under synthetic traffic against what theory puts a k x k
// mesh with dimension-order routing at (Dally & Towles, "Principles and Practices of
// Interconnection Networks", 2004, ch. 3: channel load and ideal throughput): uniform random
// saturates below the bisection bound of 4/k flits/node/cycle, transpose at the load of its
// busiest row link, 1/(k-1), a hotspot at its ejection port, 1/(N-1) per source; a broadcast
// from one node runs at its injection port's rate with every copy at zero-load latency.
#include "models/noc/packet_traffic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

namespace pjsim {
namespace {

TrafficResult Measure(int k, TrafficPattern pattern, double rate, int flits = 4) {
  TrafficRun run;
  run.pattern = pattern;
  run.injection_rate = rate;
  run.packet_flits = flits;
  run.warmup_cycles = 2000;
  run.measure_cycles = 10000;
  run.max_drain_cycles = 20000;
  return RunTraffic({k, k, 2, 8, 1, 1}, run);
}

TEST(PacketTraffic, LowLoadLatencyApproachesTheZeroLoadLatency) {
  const TrafficResult r = Measure(8, TrafficPattern::kUniform, 0.01);
  EXPECT_TRUE(r.drained);
  EXPECT_NEAR(r.avg_network_latency_cycles, r.zero_load_latency_cycles,
              0.02 * r.zero_load_latency_cycles);
  // 8x8, 4-flit packets, router + link = 2 cycles: mean distance 2 (k^2 - 1) / 3k * N / (N - 1)
  // over distinct pairs, plus the router of the source.
  const double hops = 2.0 * (64 - 1) / (3 * 8) * 64 / 63;
  EXPECT_NEAR(r.zero_load_latency_cycles, (hops + 1) * 2 + 3, 1e-9);
  EXPECT_NEAR(r.accepted_flits_per_node_cycle, r.offered_flits_per_node_cycle, 0.002);
}

TEST(PacketTraffic, UniformRandomSaturatesBelowTheBisectionBound) {
  // Ideal throughput 4/k = 0.5 for k = 8. Below saturation every offered flit is accepted;
  // overloaded, the accepted rate levels off under the bound (DOR balances uniform traffic
  // well, so not far under it).
  const TrafficResult light = Measure(8, TrafficPattern::kUniform, 0.3);
  EXPECT_TRUE(light.drained);
  EXPECT_NEAR(light.accepted_flits_per_node_cycle, light.offered_flits_per_node_cycle, 0.01);
  const TrafficResult over = Measure(8, TrafficPattern::kUniform, 0.7);
  EXPECT_LT(over.accepted_flits_per_node_cycle, 0.5);
  EXPECT_GT(over.accepted_flits_per_node_cycle, 0.6 * 0.5);
  EXPECT_GT(over.avg_packet_latency_cycles, 10 * light.avg_packet_latency_cycles);
}

TEST(PacketTraffic, TransposeSaturatesAtItsBusiestLinkLoad) {
  // Row y carries its y sources west of column y through one link: saturation at 1/(k-1).
  const double bound = 1.0 / 7;
  const TrafficResult below = Measure(8, TrafficPattern::kTranspose, 0.85 * bound);
  EXPECT_TRUE(below.drained);
  EXPECT_NEAR(below.accepted_flits_per_node_cycle, below.offered_flits_per_node_cycle, 0.005);
  const TrafficResult above = Measure(8, TrafficPattern::kTranspose, 1.3 * bound);
  EXPECT_GT(above.avg_packet_latency_cycles, 10 * below.avg_packet_latency_cycles);
}

TEST(PacketTraffic, HotspotIsLimitedByOneEjectionPort) {
  const TrafficResult r = Measure(8, TrafficPattern::kHotspot, 0.1);
  EXPECT_NEAR(r.accepted_flits_per_node_cycle, 1.0 / 63, 0.01 / 63);
}

TEST(PacketTraffic, BroadcastRunsAtTheInjectionPortWithZeroLoadCopies) {
  // One source: copies never meet another packet's, so each arrives at zero-load latency; the
  // packets queue only at the source, up to one flit per cycle.
  const TrafficResult r = Measure(8, TrafficPattern::kBroadcast, 0.5);
  EXPECT_TRUE(r.drained);
  EXPECT_NEAR(r.avg_network_latency_cycles, r.zero_load_latency_cycles, 1e-9);
  EXPECT_NEAR(r.accepted_flits_per_node_cycle, r.offered_flits_per_node_cycle, 0.02);
}

// BookSim's traffic functions (src/traffic.cpp), worked by hand on node ids x + k y.
TEST(PacketTraffic, BookSimPermutationsMapNodesAsItsTrafficFunctions) {
  const auto dest = [](TrafficPattern p, int k, int source) {
    return TrafficPermutation(p, k, 1)[static_cast<size_t>(source)];
  };
  EXPECT_EQ(dest(TrafficPattern::kBitcomp, 4, 5), 10);     // 0101 -> 1010
  EXPECT_EQ(dest(TrafficPattern::kBitrev, 4, 1), 8);       // 0001 -> 1000
  EXPECT_EQ(dest(TrafficPattern::kBitrev, 4, 6), 6);       // 0110 is a palindrome
  EXPECT_EQ(dest(TrafficPattern::kShuffle, 4, 9), 3);      // 1001 rotated left: 0011
  EXPECT_EQ(dest(TrafficPattern::kShuffle, 4, 8), 1);      // 1000 -> 0001
  EXPECT_EQ(dest(TrafficPattern::kTornado, 4, 7), 8);      // (3,1) + 1 each: (0,2)
  EXPECT_EQ(dest(TrafficPattern::kTornado, 5, 4), 11);     // (4,0) + 2 each mod 5: (1,2)
  EXPECT_EQ(dest(TrafficPattern::kTornado, 8, 10), 37);    // (2,1) + 3 each: (5,4)
  EXPECT_EQ(dest(TrafficPattern::kNeighbor, 4, 15), 0);    // (3,3) -> (0,0)
  EXPECT_EQ(dest(TrafficPattern::kTranspose, 8, 10), 17);  // (2,1) -> (1,2)
  for (TrafficPattern p :
       {TrafficPattern::kBitcomp, TrafficPattern::kBitrev, TrafficPattern::kShuffle,
        TrafficPattern::kTornado, TrafficPattern::kNeighbor, TrafficPattern::kRandperm,
        TrafficPattern::kTranspose}) {
    std::vector<int> d = TrafficPermutation(p, 8, 3);
    std::sort(d.begin(), d.end());
    std::vector<int> ids(64);
    std::iota(ids.begin(), ids.end(), 0);
    EXPECT_EQ(d, ids) << TrafficPatternNames()[static_cast<size_t>(p)] << " is a permutation";
  }
  EXPECT_EQ(TrafficPermutation(TrafficPattern::kRandperm, 8, 3),
            TrafficPermutation(TrafficPattern::kRandperm, 8, 3));
  EXPECT_NE(TrafficPermutation(TrafficPattern::kRandperm, 8, 3),
            TrafficPermutation(TrafficPattern::kRandperm, 8, 4));
  EXPECT_NE(TrafficPatternUnfit(TrafficPattern::kBitcomp, 6, 6), "");
  EXPECT_EQ(TrafficPatternUnfit(TrafficPattern::kTornado, 6, 6), "");
  EXPECT_THROW(TrafficPermutation(TrafficPattern::kUniform, 4, 1), std::invalid_argument);
}

// Ideal throughput = 1 / the busiest channel's load (Dally & Towles 2004, 3.3.1), worked out by
// hand for an 8 x 8 mesh with XY routing.
TEST(PacketTraffic, ChannelLoadBoundIsOneOverTheBusiestChannelLoad) {
  const auto bound = [](TrafficPattern p, bool self) {
    TrafficRun run;
    run.pattern = p;
    run.self_traffic = self;
    return ChannelLoadBound({8, 8, 2, 8, 1, 1}, run);
  };
  // Uniform: a row's middle link carries its 4 western sources' share of the eastern half.
  EXPECT_DOUBLE_EQ(bound(TrafficPattern::kUniform, true), 4.0 / 8);
  EXPECT_NEAR(bound(TrafficPattern::kUniform, false), 1 / (4 * 32.0 / 63), 1e-12);
  EXPECT_DOUBLE_EQ(bound(TrafficPattern::kTranspose, false), 1.0 / 7);
  // Tornado: x -> x + 3; the westward wrap of x = 5, 6, 7 shares links three deep, as do the
  // eastward moves of x = 2, 3, 4 across the link 4 -> 5.
  EXPECT_DOUBLE_EQ(bound(TrafficPattern::kTornado, false), 1.0 / 3);
  // Bitcomp: x -> 7 - x; the link 3 -> 4 carries x = 0..3.
  EXPECT_DOUBLE_EQ(bound(TrafficPattern::kBitcomp, false), 1.0 / 4);
  EXPECT_DOUBLE_EQ(bound(TrafficPattern::kHotspot, false), 1.0 / 63);
  EXPECT_DOUBLE_EQ(bound(TrafficPattern::kHotspot, true), 1.0 / 64);
  EXPECT_DOUBLE_EQ(bound(TrafficPattern::kBroadcast, false), 1.0);  // the injection port
}

TEST(PacketTraffic, PermutationsSaturateBelowTheirChannelLoadBound) {
  // Wormhole routers with two VCs reach about 0.8 of the bound on these permutations (tornado
  // 0.25 of 1/3, bitcomp 0.2 of 1/4, docs/NOC.md); past saturation the accepted rate falls
  // (arbitration is not globally fair) and never exceeds the bound.
  for (TrafficPattern p : {TrafficPattern::kTornado, TrafficPattern::kBitcomp}) {
    const double bound = Measure(8, p, 0.0).channel_load_bound_flits_per_node_cycle;
    const TrafficResult light = Measure(8, p, 0.6 * bound);
    EXPECT_TRUE(light.drained);
    EXPECT_NEAR(light.accepted_flits_per_node_cycle, light.offered_flits_per_node_cycle, 0.005);
    const TrafficResult over = Measure(8, p, 1.2 * bound);
    EXPECT_LE(over.accepted_flits_per_node_cycle, bound);
    EXPECT_GT(over.avg_packet_latency_cycles, 10 * light.avg_packet_latency_cycles);
  }
}

TEST(PacketTraffic, TheSameSeedGivesTheSameResult) {
  TrafficRun run;
  run.injection_rate = 0.3;
  run.measure_cycles = 2000;
  const TrafficResult a = RunTraffic({4, 4, 2, 4, 1, 1}, run);
  const TrafficResult b = RunTraffic({4, 4, 2, 4, 1, 1}, run);
  EXPECT_EQ(a.avg_packet_latency_cycles, b.avg_packet_latency_cycles);
  EXPECT_EQ(a.accepted_flits_per_node_cycle, b.accepted_flits_per_node_cycle);
  run.seed = 2;
  EXPECT_NE(RunTraffic({4, 4, 2, 4, 1, 1}, run).avg_packet_latency_cycles,
            a.avg_packet_latency_cycles);
}

}  // namespace
}  // namespace pjsim
