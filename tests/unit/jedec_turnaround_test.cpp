// The `jedec` controller's data-bus turnarounds: tRTRS clocks between bursts of different ranks
// (`write_rank_switch: false` lets two writes to different ranks follow a burst apart, as
// DRAMsim3's timing.cc does), and read to write on one rank CL + BL/2 - CWL +
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
}

}  // namespace
}  // namespace pjsim
