// A grid's step of loads through the packet NoC, replayed train by train for the mapping
// search's cost model (sim/mapping/step_trains.h): the channels' pieces of one load pass its
// receiver's port one after another, a step of large loads is the exact replay scaled, and
// nothing of it where waiting trains hold nothing (the `simple` NoC, one channel).
#include "sim/mapping/step_trains.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/mapping/channel_port_replay.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

RunConfig Load(const std::string& arch, const std::vector<std::string>& overrides = {}) {
  return test::LoadYaml(test::ArchFile(arch),
                        test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml", overrides);
}

GridStep OneTileLoad(double bytes) {
  GridStep s;
  s.round = {1, 1, 1, 1, 1, false, false, 0};
  s.b_bytes = bytes;
  return s;
}

TEST(StepTrains, TheChannelsPiecesOfOneLoadPassItsPortOneAfterAnother) {
  const RunConfig packet = Load("mesh8x8-int8-hbm-jedec-packet.yaml");  // 4 channels, 1 KiB
  const StepTrains steps(packet.arch);
  ASSERT_TRUE(steps.Enabled());
  // One tile's 16 KiB: 4 KiB from each channel, served at once. The first train streams as its
  // channel serves it (d cycles); the others wait for the port and then move at its rate (s).
  const double channel = packet.arch.dram.SustainedBytesPerCycle(packet.arch.clock_hz) / 4;
  const double d = 4096 / channel, s = 4096 / packet.arch.noc.link_bytes_per_cycle;
  ASSERT_GT(d, s);
  EXPECT_NEAR(steps.Cycles(OneTileLoad(16384), {0}), d + 3 * s, 1e-6);
  // Four tiles of the top row, 1 KiB each, one after another in DRAM: one interleave chunk, so
  // one channel, each; the channels' routes share nothing, and each train streams at its DRAM's
  // pace.
  GridStep row = OneTileLoad(1024);
  row.round = {1, 4, 1, 1, 4, false, false, 0};
  EXPECT_NEAR(steps.Cycles(row, {0}), d / 4, 1e-6);
}

TEST(StepTrains, AStepOfLargeLoadsIsTheReplayScaled) {
  // A 2 x 2 grid's step, A shared by a grid row, B by a grid column, loads of 40-200 KiB: the
  // memoised, scaled time within 2% of replaying those very loads.
  const RunConfig packet = Load("mesh8x8-int8-hbm-jedec-packet.yaml");
  const StepTrains steps(packet.arch);
  for (const double a : {40960.0, 73728.0, 204800.0}) {
    for (const double b : {57344.0, 131072.0}) {
      GridStep s;
      s.round = {2, 2, 1, 2, 2, true, true, 0};
      s.a_bytes = a;
      s.b_bytes = b;
      s.a_row_stride = 4 * a;
      ChannelPortReplay trains(packet.arch, 64);
      double last = 0;
      // Tile by tile (grid cells 0, 1, 2, 3 are mesh tiles 0, 1, 2, 3 of the top row): row 0's A
      // with its last column (tile 1), column 0's B with the last row (tile 2), then row 1's A
      // and column 1's B (tile 3).
      const auto load = [&](double at, double bytes, const std::vector<size_t>& to) {
        const auto pieces =
            trains.Pieces(static_cast<std::uint64_t>(at), static_cast<std::int64_t>(bytes));
        last = std::max(last, trains.Load(0, pieces, to));
      };
      load(0, a, {0, 1});
      load(0, b, {0, 2});
      load(4 * a, a, {2, 3});
      load(b, b, {1, 3});
      EXPECT_NEAR(steps.Cycles(s, {0}) / last, 1.0, 0.02) << a << " " << b;
    }
  }
}

TEST(StepTrains, NothingWhereWaitingTrainsHoldNothing) {
  // The `simple` NoC buffers whatever waits; one channel has no other channel to block.
  const StepTrains simple(
      Load("mesh8x8-int8-hbm-jedec-packet.yaml", {"arch.noc.model=simple"}).arch);
  EXPECT_FALSE(simple.Enabled());
  EXPECT_EQ(simple.Cycles(OneTileLoad(16384), {0}), 0);
  const StepTrains one(
      Load("mesh8x8-int8-hbm-jedec-packet.yaml", {"arch.dram.channels=[{x: 0, y: 0}]"}).arch);
  EXPECT_FALSE(one.Enabled());
}

}  // namespace
}  // namespace pjsim
