// The `jedec` controller's clocked command bus (`command_bus: one_per_clock | row_column`), its
// row-hit cap (`row_hit_cap`) and its transaction moves per clock (`moves_per_clock`): one
// command per clock, or one row and one column command; after N accesses to an open row its
// younger hits no longer keep an older miss of the bank waiting; a transaction queue whose
// entries move out M per clock accepts M per clock.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "jedec_incremental_driver.h"
#include "jedec_preset.h"
#include "models/memory/jedec_address_map.h"
#include "models/memory/jedec_bench.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"
#include "sim/config/config_error.h"

namespace pjsim {
namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;

// DDR4-3200 x8, one rank, no refresh or power-down (so that every time below follows from the
// timings alone), with `extra` on top.
JedecParams Ddr4(Sets extra) {
  Sets sets = {{"power_down", "false"}, {"refresh", "false"}};
  sets.insert(sets.end(), extra.begin(), extra.end());
  return test::JedecPreset("ddr4-3200-x8", sets);
}

// The first burst-aligned address of rank 0 in (bank group, bank, row) at column `column`.
std::uint64_t AddressOf(const JedecParams& p, std::uint32_t group, std::uint32_t bank,
                        std::uint64_t row, std::uint64_t column = 0) {
  const JedecAddressMap map(p);
  const auto burst = static_cast<std::uint64_t>(p.BurstBytes());
  for (std::uint64_t a = 0;; a += burst) {
    const JedecAddress d = map.Decode(a);
    if (d.rank == 0 && d.bank_group == group && d.bank == bank && d.row == row &&
        d.column == column) {
      return a;
    }
  }
}

std::vector<JedecCompletion> Serve(const JedecParams& p, const std::vector<JedecRequest>& rs) {
  JedecController c(p);
  for (const JedecRequest& r : rs) c.Submit(r);
  std::vector<JedecCompletion> done;
  for (std::uint64_t id = 0; id < rs.size(); ++id) done.push_back(c.RunUntil(id));
  return done;
}

// Two reads to two closed banks of different groups, with tRRD = tRCD: the second ACT and the
// first RD are due on the same clock. `ahead` places both there (and opens the first row at
// once); `row_column` issues both on that clock too, a clock after admission; `one_per_clock`
// must put one of them a clock later.
TEST(JedecCommandBus, OneCommandPerClockSeparatesAnActAndARead) {
  const auto first_data = [](const std::string& bus) {
    const JedecParams p = Ddr4(
        {{"command_bus", bus}, {"scheduler", "round-robin"}, {"tRRD_S", "22"}, {"tRRD_L", "22"}});
    const auto done =
        Serve(p, {{AddressOf(p, 0, 0, 0), 64, false, 0}, {AddressOf(p, 1, 0, 0), 64, false, 0}});
    const auto early = std::min(done[0].first_data_ps, done[1].first_data_ps);
    const auto late = std::max(done[0].first_data_ps, done[1].first_data_ps);
    return std::pair{early, late};
  };
  const JedecParams p = Ddr4({});
  const auto clocks = [&](std::int64_t n) { return p.ClocksToPs(n); };
  ASSERT_EQ(p.tRCD, 22);
  // ahead: ACTs at 0 and 22, RDs at 22 and 44.
  EXPECT_EQ(first_data("ahead"), std::pair(clocks(22 + p.CL), clocks(44 + p.CL)));
  // row_column: the requests move in at clock 0; ACTs at 1 and 23, RDs at 23 and 45.
  EXPECT_EQ(first_data("row_column"), std::pair(clocks(23 + p.CL), clocks(45 + p.CL)));
  // one_per_clock: clock 23 takes the second ACT, the first RD goes at 24.
  EXPECT_EQ(first_data("one_per_clock"), std::pair(clocks(24 + p.CL), clocks(45 + p.CL)));
}

// The same two reads with JESD79-5 two-cycle commands (DDR5's ACT, RD and WR hold the command
// bus two clocks): one_per_clock: the second ACT at 23 holds 24 too, so the first RD goes at 25;
// row_column: the ACTs hold the row bus only, the RDs go as with one-cycle commands.
TEST(JedecCommandBus, TwoCycleCommandsHoldTheBusTwoClocks) {
  const auto first_data = [](const std::string& bus, const std::string& two_cycle) {
    const JedecParams p = Ddr4({{"command_bus", bus},
                                {"scheduler", "round-robin"},
                                {"tRRD_S", "22"},
                                {"tRRD_L", "22"},
                                {"two_cycle_commands", two_cycle}});
    const auto done =
        Serve(p, {{AddressOf(p, 0, 0, 0), 64, false, 0}, {AddressOf(p, 1, 0, 0), 64, false, 0}});
    return std::pair{std::min(done[0].first_data_ps, done[1].first_data_ps),
                     std::max(done[0].first_data_ps, done[1].first_data_ps)};
  };
  const JedecParams p = Ddr4({});
  EXPECT_FALSE(p.two_cycle_commands);
  EXPECT_TRUE(test::JedecPreset("ddr5-4800", {}).two_cycle_commands);
  const auto clocks = [&](std::int64_t n) { return p.ClocksToPs(n); };
  EXPECT_EQ(first_data("one_per_clock", "true"), std::pair(clocks(25 + p.CL), clocks(45 + p.CL)));
  EXPECT_EQ(first_data("row_column", "true"), std::pair(clocks(23 + p.CL), clocks(45 + p.CL)));
  // The decision mode has no command bus: unchanged.
  EXPECT_EQ(first_data("ahead", "true"), first_data("ahead", "false"));
}

// A miss of bank 0 queued before eight hits to its open row: FR-FCFS serves every hit first;
// with a cap of N the row serves N accesses (the one that opened it included) and the miss goes
// next. The same in the decision-per-access scheduler and on the clocked command bus.
TEST(JedecRowHitCap, HitsYieldToAnOlderMissAfterTheCap) {
  for (const std::string bus : {"ahead", "one_per_clock"}) {
    for (const int cap : {0, 2, 4}) {
      const JedecParams p = Ddr4({{"command_bus", bus}, {"row_hit_cap", std::to_string(cap)}});
      std::vector<JedecRequest> rs = {{AddressOf(p, 0, 0, 0, 0), 64, false, 0},
                                      {AddressOf(p, 0, 0, 1, 0), 64, false, 0}};
      for (std::uint64_t col = 1; col <= 8; ++col) {
        rs.push_back({AddressOf(p, 0, 0, 0, col), 64, false, 0});
      }
      const auto done = Serve(p, rs);
      int before_miss = 0;
      for (size_t i = 0; i < rs.size(); ++i) {
        if (i != 1 && done[i].done_ps < done[1].done_ps) ++before_miss;
      }
      EXPECT_EQ(before_miss, cap == 0 ? 9 : cap) << bus << " cap " << cap;
    }
  }
}

// A transaction queue of 2 in front of per-bank command queues, six reads at once: moved as
// many per clock as fit, two are accepted per clock (a slot frees the clock after its move);
// moved one per clock, one per clock after the first two.
TEST(JedecMovesPerClock, TheTransactionQueueAcceptsAsFastAsItsEntriesMove) {
  for (const int moves : {0, 1}) {
    const JedecParams p = Ddr4({{"command_bus", "one_per_clock"},
                                {"queue_structure", "per_bank"},
                                {"read_queue", "2"},
                                {"moves_per_clock", std::to_string(moves)}});
    std::vector<JedecRequest> rs;
    for (std::uint32_t k = 0; k < 6; ++k) rs.push_back({AddressOf(p, k % 4, k / 4, 0), 64});
    const auto done = Serve(p, rs);
    for (std::int64_t k = 0; k < 6; ++k) {
      const std::int64_t clock = moves == 1 ? std::max<std::int64_t>(0, k - 1) : k / 2;
      EXPECT_EQ(done[static_cast<size_t>(k)].accepted_ps, p.ClocksToPs(clock))
          << "moves " << moves << " request " << k;
    }
  }
}

// A read activates bank 0's row 0; before its RD (tRCD later) two writes fill the shared write
// queue and a drain starts: one to bank 0's row 1, one to bank 1. The drain must not precharge
// the row activated for the read (tRAS allows it while the drain lasts): the read is served
// with its row, and three ACTs serve the three requests. Were the write side alone considered,
// bank 0 would be closed under the read and opened again for it: four ACTs.
TEST(JedecCommandBus, AWriteDrainDoesNotCloseARowActivatedForARead) {
  const JedecParams p = Ddr4({{"command_bus", "one_per_clock"},
                              {"write_queue", "2"},
                              {"write_high_watermark", "1"},
                              {"write_low_watermark", "0"}});
  const std::uint64_t writes_at = p.ClocksToPs(5);
  const std::vector<JedecRequest> rs = {{AddressOf(p, 0, 0, 0), 64, false, 0},
                                        {AddressOf(p, 0, 0, 1), 64, true, writes_at},
                                        {AddressOf(p, 0, 1, 0), 64, true, writes_at}};
  JedecController c(p);
  for (const JedecRequest& r : rs) c.Submit(r);
  const JedecCompletion read = c.RunUntil(0);
  for (std::uint64_t id = 1; id < rs.size(); ++id) c.RunUntil(id);
  EXPECT_EQ(c.stats().act, 3u);
  EXPECT_EQ(c.stats().row_misses, 3u);
  // ACT at clock 1 (after admission), RD tRCD later.
  EXPECT_EQ(read.first_data_ps, p.ClocksToPs(1 + p.tRCD + p.CL));
}

// Both write drains: a batch drain's start (the write queue full, or write_drain_idle held with
// no read queued) and count depend on no arrival after it.
TEST(JedecCommandBus, IncrementalDriverMatchesAllQueued) {
  for (const std::string drain : {"watermarks", "batch"}) {
    Sets sets = {{"command_bus", "one_per_clock"},
                 {"queue_structure", "per_bank"},
                 {"read_queue", "16"},
                 {"write_queue", "16"},
                 {"moves_per_clock", "1"},
                 {"row_hit_cap", "4"},
                 {"scheduler", "round-robin"},
                 {"power_down", "true"},
                 {"refresh", "true"},
                 {"write_drain", drain}};
    if (drain == "batch") sets.emplace_back("write_drain_idle", "6");
    test::ExpectIncrementalDriverMatchesAllQueued(Ddr4(sets), 7, drain);
  }
}

TEST(JedecMovesPerClock, NeedsCommandQueuesAndAClockedBus) {
  EXPECT_THROW(test::JedecPreset("ddr4-3200-x8", {{"moves_per_clock", "1"}}), ConfigError);
  EXPECT_THROW(test::JedecPreset("ddr4-3200-x8",
                                 {{"queue_structure", "per_bank"}, {"moves_per_clock", "1"}}),
               ConfigError);
  EXPECT_THROW(test::JedecPreset("ddr4-3200-x8", {{"command_bus", "two_per_clock"}}), ConfigError);
}

}  // namespace
}  // namespace pjsim
