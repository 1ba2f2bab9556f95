// `pjsim noc-bench`'s flit-level mesh under synthetic traffic against what theory puts a k x k
// mesh with dimension-order routing at (Dally & Towles, "Principles and Practices of
// Interconnection Networks", 2004, ch. 3: channel load and ideal throughput): uniform random
// saturates below the bisection bound of 4/k flits/node/cycle, transpose at the load of its
// busiest row link, 1/(k-1), a hotspot at its ejection port, 1/(N-1) per source; a broadcast
// from one node runs at its injection port's rate with every copy at zero-load latency.
#include "models/noc/packet_traffic.h"

#include <gtest/gtest.h>

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
