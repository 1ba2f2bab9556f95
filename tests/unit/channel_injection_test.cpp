// The channels' head-of-line blocking on the `packet` NoC (sim/mapping/channel_injection.h): the
// switch's saturation throughput is Karol et al.'s, the limit applies only where a waiting train
// holds its channel, and with it the mapping search predicts DRAM-bound layers on the packet NoC
// that it predicted short without it.
#include "sim/mapping/channel_injection.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

TEST(ChannelInjection, SaturationThroughputIsKarolHluchyjMorgans) {
  // Karol, Hluchyj and Morgan (1987), Table I: N x N switches with FIFO inputs.
  EXPECT_NEAR(HolSaturationThroughput(2, 2), 0.75, 0.01);
  EXPECT_NEAR(HolSaturationThroughput(4, 4), 0.6553, 0.01);
  EXPECT_NEAR(HolSaturationThroughput(8, 8), 0.6184, 0.01);
  // One output serves one input per slot; one input is never blocked.
  EXPECT_DOUBLE_EQ(HolSaturationThroughput(4, 1), 0.25);
  EXPECT_DOUBLE_EQ(HolSaturationThroughput(1, 3), 1.0);
  // Deterministic: the search's ranking must not move from run to run.
  EXPECT_EQ(HolSaturationThroughput(3, 2), HolSaturationThroughput(3, 2));
}

TEST(ChannelInjection, OnlyTrainsThatHoldTheirChannelOnAPacketNoc) {
  const RunConfig packet =
      test::LoadYaml(test::ArchFile("mesh8x8-int8-hbm-jedec-packet.yaml"),
                     test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml");
  const ChannelInjection injection(packet.arch);
  // Four channels, 64 B links: 32 tiles' 12.8 KB pieces meet as a 4 x 4 switch.
  EXPECT_DOUBLE_EQ(injection.CyclesPerByte(32, 51200),
                   1 / (4 * HolSaturationThroughput(4, 4) * 64));
  // Two destinations for four channels: a 4 x 2 switch, slower.
  EXPECT_GT(injection.CyclesPerByte(2, 51200), injection.CyclesPerByte(32, 51200));
  // A piece of one 256 B packet leaves the second virtual channel free: holds nothing; two
  // packets fill both and hold the channel.
  EXPECT_EQ(injection.CyclesPerByte(32, 256), 0);
  EXPECT_GT(injection.CyclesPerByte(32, 512), 0);
  // The `simple` NoC has no back-pressure: no limit, whatever the trains.
  const RunConfig simple =
      test::LoadYaml(test::ArchFile("mesh8x8-int8-hbm-jedec.yaml"),
                     test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml");
  EXPECT_EQ(ChannelInjection(simple.arch).CyclesPerByte(32, 51200), 0);
}

double PredictedOverSimulated(const test::SimRun& r) {
  const LayerResult& lr = r.result.layers.back();
  return lr.predicted_cycles /
         (static_cast<double>(lr.span_ps) / static_cast<double>(r.result.clock_period_ps));
}

TEST(ChannelInjection, PacketNocPredictionsOfDramBoundLayers) {
  // BitNet's FFN `down` (128 x 6912 x 2560) alone on the 8 x 8 HBM mesh with the packet NoC,
  // pinned to the blocks the survey found it at (32 x 1152 x 32, grid 4 x 10, input resident):
  // ten weight trees a step, each 9 KB per channel. Without the channels' blocking the estimate
  // said 106,526 cycles against 117,615 simulated (-9.4%); with the switch's saturation within
  // 5%. A layer alone on the mesh now takes the step's trains replayed in lock step
  // (step_trains.h): +12.8% here, where the channels fall out of step after the first tree (the
  // search's own pick for the layer, grid 2 x 32, +6.2%: docs/MAPPING.md). Within 15%.
  const std::string w = test::WriteWorkloadYaml(
      "channel_injection_down",
      "name: down\nlayers:\n  - {name: down, op: linear, m: 128, k: 6912, n: 2560, dtype: int8}\n");
  const std::vector<std::string> pinned = {
      "arch.mapping.constraints.block_m=32", "arch.mapping.constraints.block_k=1152",
      "arch.mapping.constraints.block_n=32", "arch.mapping.constraints.grid_m=4",
      "arch.mapping.constraints.grid_n=10",  "arch.mapping.constraints.resident=input"};
  const test::SimRun down =
      test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm-jedec-packet.yaml"), w, pinned);
  EXPECT_NEAR(PredictedOverSimulated(down), 1.0, 0.15);
  // The same layer with the `simple` NoC: the term is not there, and the prediction holds.
  std::vector<std::string> simple = pinned;
  simple.push_back("arch.noc.model=simple");
  const test::SimRun alone =
      test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm-jedec-packet.yaml"), w, simple);
  EXPECT_NEAR(PredictedOverSimulated(alone), 1.0, 0.10);
  EXPECT_LT(alone.result.layers.back().predicted_cycles,
            down.result.layers.back().predicted_cycles);
}

}  // namespace
}  // namespace pjsim
