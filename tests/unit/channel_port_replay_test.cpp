// The DRAM channels' trains through the packet NoC's ports for experts beside other experts
// (sim/mapping/channel_port_replay.h): pieces follow the interleave, channels in step meet at
// one tile's ejection port and move at its rate, trains to distinct tiles stream at the DRAM's,
// on the `simple` NoC the channels alone, and with it the planner predicts a Mixtral expert layer
// on the packet NoC that it predicted 29% short without it.
#include "sim/mapping/channel_port_replay.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

RunConfig Hbm(const std::string& arch) {
  return test::LoadYaml(test::ArchFile(arch),
                        test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml");
}

TEST(ChannelPortReplay, PiecesFollowTheInterleave) {
  const RunConfig packet = Hbm("mesh8x8-int8-hbm-jedec-packet.yaml");  // 4 channels, 1 KiB
  const ChannelPortReplay ports(packet.arch, 64);
  EXPECT_EQ(ports.Pieces(0, 16384), (std::vector<double>{4096, 4096, 4096, 4096}));
  // From the middle of channel 1's chunk: its rest, then on round the channels.
  EXPECT_EQ(ports.Pieces(1536, 2048), (std::vector<double>{0, 512, 1024, 512}));
  // Ten chunks from the middle of channel 0's: half a chunk each at the ends, nine whole ones.
  EXPECT_EQ(ports.Pieces(512, 10240), (std::vector<double>{2560, 3072, 2560, 2048}));
}

TEST(ChannelPortReplay, ChannelsInStepMoveAtOnePortsRate) {
  const RunConfig packet = Hbm("mesh8x8-int8-hbm-jedec-packet.yaml");
  const double link = packet.arch.noc.link_bytes_per_cycle;  // 64 B/cycle, one flit
  const double dram = packet.arch.dram.SustainedBytesPerCycle(packet.arch.clock_hz);
  ASSERT_GT(4 * link, dram);  // the ports, side by side, are faster than the DRAM
  // Eight tiles' 16 KiB loads issued together, each striped over the four channels: the channels
  // meet at each tile's port once, then stagger and stream at the DRAM's rate.
  ChannelPortReplay apart(packet.arch, 64);
  ASSERT_TRUE(apart.Enabled());
  double last = 0;
  for (size_t t = 0; t < 8; ++t)
    last = std::max(last, apart.Load(0, apart.Pieces(t * 16384, 16384), {t}));
  EXPECT_GT(last, 8 * 16384 / dram);
  EXPECT_LT(last, 8 * 16384 / dram + 4 * 4096 / link + 1);
  // Each tile's load in two transfers (input, then weights) issued together: every channel's
  // second piece waits at the tile's port behind the other channels' first ones, so the channels
  // stay in step and the burst takes far longer than the same bytes to sixteen tiles.
  ChannelPortReplay sixteen(packet.arch, 64);
  double spread = 0;
  for (size_t t = 0; t < 16; ++t)
    spread = std::max(spread, sixteen.Load(0, sixteen.Pieces(t * 16384, 16384), {t}));
  ChannelPortReplay together(packet.arch, 64);
  last = 0;
  for (size_t t = 0; t < 8; ++t) {
    together.Load(0, together.Pieces(2 * t * 16384, 16384), {t});
    last = std::max(last, together.Load(0, together.Pieces((2 * t + 1) * 16384, 16384), {t}));
  }
  EXPECT_GT(last, 1.5 * spread);  // 2,776 cycles against 1,599 (the DRAM's time: 1,407)
}

TEST(ChannelPortReplay, OnANocWithoutBackPressureTheChannelsAloneForkAndJoin) {
  // `simple` NoC: no trains, each channel serves its pieces first come, first served, and a load
  // is in when the last of its channels has served it.
  const RunConfig simple = Hbm("mesh8x8-int8-hbm-jedec.yaml");
  ChannelPortReplay channels(simple.arch, 64);
  ASSERT_TRUE(channels.Enabled());
  EXPECT_FALSE(channels.Trains());
  const double per_channel =
      simple.arch.dram.SustainedBytesPerCycle(simple.arch.clock_hz) / 4;  // four channels
  // A 3 KiB load on channels 0-2 (1 KiB each), then a 1 KiB one on channel 3: the second does
  // not wait for the first (another channel), a third on channel 0 does.
  EXPECT_DOUBLE_EQ(channels.Load(0, channels.Pieces(0, 3072), {0}), 1024 / per_channel);
  EXPECT_DOUBLE_EQ(channels.Load(0, channels.Pieces(3072, 1024), {1}), 1024 / per_channel);
  EXPECT_DOUBLE_EQ(channels.Load(0, channels.Pieces(4096, 1024), {2}), 2048 / per_channel);
  // A load striped unevenly (five chunks from channel 1: 2 KiB there, 1 KiB on the others) joins
  // on its largest piece.
  ChannelPortReplay fresh(simple.arch, 64);
  EXPECT_DOUBLE_EQ(fresh.Load(0, fresh.Pieces(1024, 5120), {0}), 2048 / per_channel);
  // A cap on the rate (a NoC link that bounds the pass) slows every channel alike.
  ChannelPortReplay capped(simple.arch, 64);
  capped.LimitDramRate(per_channel * 2);
  EXPECT_DOUBLE_EQ(capped.Load(0, capped.Pieces(0, 4096), {0}), 1024 / (per_channel / 2));
}

TEST(ChannelPortReplay, AStoreBetweenLoadsTurnsTheBusTwice) {
  // `jedec` HBM2E: a channel turning from a load's piece to a store's and back waits for its bus
  // each time (ModelParams::BusTurnaroundCycles); one that has idled longer pays nothing.
  const RunConfig jedec = Hbm("mesh8x8-int8-hbm-jedec.yaml");
  const double turn = jedec.arch.dram.params->BusTurnaroundCycles(jedec.arch.clock_hz);
  ASSERT_GT(turn, 0);
  const double piece = 1024 / (jedec.arch.dram.SustainedBytesPerCycle(jedec.arch.clock_hz) / 4);
  ChannelPortReplay busy(jedec.arch, 64);
  const std::vector<double> on_channel_0 = busy.Pieces(0, 1024);
  EXPECT_DOUBLE_EQ(busy.Load(0, on_channel_0, {0}), piece);
  EXPECT_DOUBLE_EQ(busy.Store(0, on_channel_0), 2 * piece + turn);
  EXPECT_DOUBLE_EQ(busy.Load(0, on_channel_0, {0}), 3 * piece + 2 * turn);
  ChannelPortReplay idle(jedec.arch, 64);
  idle.Load(0, on_channel_0, {0});
  EXPECT_DOUBLE_EQ(idle.Store(10 * piece, on_channel_0), 11 * piece);
  // The `simple` DRAM's bus does not turn.
  EXPECT_EQ(Hbm("mesh8x8-int8-hbm.yaml").arch.dram.params->BusTurnaroundCycles(1e9), 0);
}

double PredictedOverSimulated(const test::SimRun& r, size_t layer) {
  const LayerResult& lr = r.result.layers.at(layer);
  return lr.predicted_cycles /
         (static_cast<double>(lr.span_ps) / static_cast<double>(r.result.clock_period_ps));
}

TEST(ChannelPortReplay, MixtralExpertsBesideEachOtherOnThePacketNoc) {
  // Mixtral-8x7B's prefill `down` experts (2048 tokens, 8 experts, top 2, one mesh row each) on
  // the 8 x 8 HBM mesh: each expert on a 2 x 4 grid whose row and column shares are multicast
  // trees that cross at the same tiles. With the `packet` NoC the channels' injection ports are
  // held 99% of the time and the layer moves 121 B/cycle against 169 on the `simple` NoC; the
  // request replay at the DRAM's rate predicted it 28.6% short, with the channels' trains
  // through the ports and links +11.6% (a train holds its whole route at once: pessimistic).
  // The `simple` NoC's prediction is the replay's as before.
  const std::string w = test::WriteWorkloadYaml(
      "channel_port_replay_mixtral_down",
      "name: experts\nlayers:\n"
      "  - {name: norm, op: norm, function: rmsnorm, m: 2048, n: 4096, dtype: int8}\n"
      "  - {name: router, op: linear, m: 2048, k: 4096, n: 8, dtype: int8, inputs: [norm]}\n"
      "  - {name: scores, op: softmax, m: 2048, n: 8, dtype: int8, inputs: [router]}\n"
      "  - {name: topk, op: elementwise, function: topk_norm, m: 2048, n: 8, dtype: int8, "
      "inputs: [scores]}\n"
      "  - {name: down, op: linear, m: 4096, k: 14336, n: 4096, dtype: int8, "
      "experts: {count: 8, top_k: 2, block: 10}, inputs: [], after: [topk]}\n");
  const test::SimRun packet =
      test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm.yaml"), w, {"arch.noc.model=packet"});
  EXPECT_NEAR(PredictedOverSimulated(packet, 4), 1.0, 0.15);
  const test::SimRun simple = test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm.yaml"), w);
  EXPECT_NEAR(PredictedOverSimulated(simple, 4), 1.0, 0.05);
}

}  // namespace
}  // namespace pjsim
