// The `jedec` controller's data-bus turnarounds: tRTRS clocks between bursts of different ranks
// (`write_rank_switch: false` lets two writes to different ranks follow a burst apart, as
// DRAMsim3's timing.cc does; tRTRS_RW, tRTRS_WR, tRTRS_WW give other pairs of directions their
// own gap), and read to write on one rank CL + BL/2 - CWL +
// `read_to_write_gap` (JESD79-4's 2 by default; DRAMsim3 takes its tRTRS).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "jedec_preset.h"
#include "models/memory/jedec_address_map.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"

namespace pjsim {
namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;

// DDR4-3200 x8 with two ranks, no refresh or power-down (every time below follows from the
// timings alone), with `extra` on top.
JedecParams TwoRanks(Sets extra) {
  Sets sets = {{"ranks", "2"}, {"power_down", "false"}, {"refresh", "false"}};
  sets.insert(sets.end(), extra.begin(), extra.end());
  return test::JedecPreset("ddr4-3200-x8", sets);
}

// The first burst-aligned address of (rank, bank group), bank 0, row 0, column 0.
std::uint64_t AddressOf(const JedecParams& p, std::uint32_t rank, std::uint32_t group) {
  const JedecAddressMap map(p);
  const auto burst = static_cast<std::uint64_t>(p.BurstBytes());
  for (std::uint64_t a = 0;; a += burst) {
    const JedecAddress d = map.Decode(a);
    if (d.rank == rank && d.bank_group == group && d.bank == 0 && d.row == 0 && d.column == 0) {
      return a;
    }
  }
}

// Clocks between the first data of two requests submitted at time 0, in that order.
std::int64_t DataGap(const JedecParams& p, const JedecRequest& first, const JedecRequest& second) {
  JedecController c(p);
  c.Submit(first);
  c.Submit(second);
  const JedecCompletion a = c.RunUntil(0), b = c.RunUntil(1);
  const auto tck = p.ClocksToPs(1);
  return (static_cast<std::int64_t>(b.first_data_ps) - static_cast<std::int64_t>(a.first_data_ps)) /
         static_cast<std::int64_t>(tck);
}

// Two bursts to closed banks of different ranks (no ACT constraint between ranks): the second
// burst's data waits for the first's to end, plus tRTRS when the rank changes, except between
// two writes without write_rank_switch.
TEST(JedecTurnaround, RankSwitchCostsTrtrsExceptBetweenWritesWhenAsked) {
  for (const std::string command_bus : {"ahead", "one_per_clock"}) {
    for (const bool write : {false, true}) {
      for (const std::string switch_writes : {"true", "false"}) {
        const JedecParams p = TwoRanks(
            {{"tRTRS", "3"}, {"write_rank_switch", switch_writes}, {"command_bus", command_bus}});
        const std::int64_t gap =
            DataGap(p, {AddressOf(p, 0, 0), 64, write, 0}, {AddressOf(p, 1, 0), 64, write, 0});
        const bool pays = !write || switch_writes == "true";
        EXPECT_EQ(gap, p.BurstClocks() + (pays ? 3 : 0))
            << command_bus << (write ? " writes" : " reads") << " write_rank_switch "
            << switch_writes;
      }
    }
  }
}

// Per pair of directions its own gap (tRTRS read to read, tRTRS_RW, tRTRS_WR, tRTRS_WW: Ramulator
// 2's DDR4 spaces column commands of different ranks by direction), distinct values so that each
// shows which gap was taken. The second request arrives after the first's column command (so
// that the clocked bus, which serves reads before writes outside a drain, keeps the order); the
// gaps are large enough that the bus binds the second burst in both modes.
TEST(JedecTurnaround, EachPairOfDirectionsPaysItsOwnRankSwitchGap) {
  const std::int64_t gap[2][2] = {{30, 31}, {32, 33}};  // [first is a write][second is a write]
  for (const std::string command_bus : {"ahead", "one_per_clock"}) {
    const JedecParams p = TwoRanks({{"tRTRS", std::to_string(gap[0][0])},
                                    {"tRTRS_RW", std::to_string(gap[0][1])},
                                    {"tRTRS_WR", std::to_string(gap[1][0])},
                                    {"tRTRS_WW", std::to_string(gap[1][1])},
                                    {"command_bus", command_bus}});
    const std::uint64_t later = p.ClocksToPs(p.tRCD + 2);
    for (const bool first_write : {false, true}) {
      for (const bool second_write : {false, true}) {
        const std::int64_t got = DataGap(p, {AddressOf(p, 0, 0), 64, first_write, 0},
                                         {AddressOf(p, 1, 0), 64, second_write, later});
        EXPECT_EQ(got, p.BurstClocks() + gap[first_write][second_write])
            << command_bus << (first_write ? " write" : " read") << " then "
            << (second_write ? "write" : "read");
        // The same ranks pay none of them.
        const std::int64_t same = DataGap(p, {AddressOf(p, 0, 0), 64, first_write, 0},
                                          {AddressOf(p, 0, 1), 64, second_write, later});
        EXPECT_LT(same, p.BurstClocks() + gap[0][0]) << command_bus;
      }
    }
  }
}

// A read, then a write to another bank group of the same rank: the write's data follows the
// read's by BL/2 + read_to_write_gap (its command CL + BL/2 - CWL + gap after the read's).
// (command_bus: ahead; the clocked bus lets writes in only once no read waits, so there the
// write's ACT would follow the read's RD; it takes the same turnaround.)
TEST(JedecTurnaround, ReadToWriteOnOneRankTakesTheGap) {
  for (const std::int64_t g : {2, 1, 6}) {
    const JedecParams p = TwoRanks({{"read_to_write_gap", std::to_string(g)}});
    ASSERT_EQ(p.read_to_write_gap, g);
    EXPECT_EQ(DataGap(p, {AddressOf(p, 0, 0), 64, false, 0}, {AddressOf(p, 0, 1), 64, true, 0}),
              p.BurstClocks() + g)
        << "gap " << g;
  }
}

// The defaults: one clock to switch ranks, writes included, and JESD79-4's read-to-write gap.
TEST(JedecTurnaround, DefaultsAreOneClockAndJedecReadToWrite) {
  const JedecParams p = TwoRanks({});
  EXPECT_EQ(p.tRTRS, 1);
  EXPECT_TRUE(p.write_rank_switch);
  EXPECT_EQ(p.read_to_write_gap, 2);
  // The per-direction gaps default to tRTRS; two writes' to it only with write_rank_switch.
  EXPECT_EQ(p.tRTRS_RW, 1);
  EXPECT_EQ(p.tRTRS_WR, 1);
  EXPECT_EQ(p.tRTRS_WW, 1);
  const JedecParams q = TwoRanks({{"tRTRS", "3"}, {"write_rank_switch", "false"}});
  EXPECT_EQ(q.tRTRS_RW, 3);
  EXPECT_EQ(q.tRTRS_WR, 3);
  EXPECT_EQ(q.tRTRS_WW, 0);
}

}  // namespace
}  // namespace pjsim
