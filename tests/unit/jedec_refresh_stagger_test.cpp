// `refresh_stagger` (docs/DRAM.md "Timing"): by default the ranks refresh tREFI / ranks apart
// (rank k first at (k + 1) tREFI / ranks, DRAMsim3's schedule); `false` refreshes every rank at
// each tREFI at once, as Ramulator 2's AllBank refresh manager sends every rank's REFab together.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "jedec_preset.h"
#include "models/memory/jedec_address_map.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"
#include "sim/config/config_error.h"

namespace pjsim {
namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;

// DDR4-3200 x8, two ranks, tREFI 1000 and tRFC 200 clocks, with `extra` on top.
JedecParams TwoRanks(Sets extra) {
  Sets sets = {{"power_down", "false"}, {"ranks", "2"}, {"tREFI", "1000"}, {"tRFC", "200"}};
  sets.insert(sets.end(), extra.begin(), extra.end());
  return test::JedecPreset("ddr4-3200-x8", sets);
}

std::uint64_t RankAddress(const JedecParams& p, std::uint32_t rank) {
  const JedecAddressMap map(p);
  const auto burst = static_cast<std::uint64_t>(p.BurstBytes());
  for (std::uint64_t a = 0;; a += burst) {
    if (map.Decode(a).rank == rank) return a;
  }
}

// The clocks from arrival to first data of a lone read to `rank` arriving at clock `at`.
std::int64_t LatencyClocks(const JedecParams& p, std::uint32_t rank, std::int64_t at) {
  JedecController c(p);
  const std::uint64_t id = c.Submit({RankAddress(p, rank), 64, false, p.ClocksToPs(at)});
  const JedecCompletion d = c.RunUntil(id);
  return static_cast<std::int64_t>((d.first_data_ps - p.ClocksToPs(at)) / p.ClocksToPs(1));
}

// Staggered, rank 0 refreshes at clock 500 and rank 1 at 1000; without the stagger both at 1000.
// A read arriving 10 clocks after a refresh of its rank waits for the rest of tRFC.
TEST(JedecRefreshStagger, WithoutStaggerEveryRankRefreshesAtTheSameClock) {
  for (const std::string bus : {"ahead", "one_per_clock"}) {
    const JedecParams staggered = TwoRanks({{"command_bus", bus}});
    const JedecParams together = TwoRanks({{"command_bus", bus}, {"refresh_stagger", "false"}});
    const std::int64_t fast =
        LatencyClocks(TwoRanks({{"command_bus", bus}, {"refresh", "false"}}), 0, 510);
    // Rank 0 at clock 510: refreshing only when staggered.
    EXPECT_GE(LatencyClocks(staggered, 0, 510), 190) << bus;
    EXPECT_EQ(LatencyClocks(together, 0, 510), fast) << bus;
    // Rank 0 at clock 1010: refreshing only without the stagger; rank 1 then in both.
    EXPECT_EQ(LatencyClocks(staggered, 0, 1010), fast) << bus;
    EXPECT_GE(LatencyClocks(together, 0, 1010), 190) << bus;
    EXPECT_GE(LatencyClocks(staggered, 1, 1010), 190) << bus;
    EXPECT_GE(LatencyClocks(together, 1, 1010), 190) << bus;
  }
}

TEST(JedecRefreshStagger, DefaultsToStaggeredAndIsABool) {
  EXPECT_TRUE(test::JedecPreset("ddr4-3200-x8").refresh_stagger);
  EXPECT_FALSE(TwoRanks({{"refresh_stagger", "false"}}).refresh_stagger);
  EXPECT_THROW(TwoRanks({{"refresh_stagger", "sometimes"}}), ConfigError);
  // Without refresh it has no effect, and is accepted (an imported Ramulator configuration sets
  // it; `--set refresh=false` turns refresh off).
  EXPECT_NO_THROW(TwoRanks({{"refresh_stagger", "false"}, {"refresh", "false"}}));
}

// What the cost model's checks allow a layer for meeting a refresh it cannot foresee
// (ModelParams::RefreshStallCycles): tRFC, in the caller's clock, or tRFCpb with per-bank refresh,
// and nothing with refresh off. A read arriving as its rank's refresh starts waits that long.
TEST(JedecRefreshStagger, TheRefreshStallIsWhatAReadArrivingAtARefreshWaits) {
  const JedecParams p = TwoRanks({});
  const double per_clock = 1e9 / p.tCK;  // one cycle a tCK
  EXPECT_DOUBLE_EQ(p.RefreshStallCycles(per_clock), 200);
  EXPECT_DOUBLE_EQ(p.RefreshStallCycles(2 * per_clock), 400);
  const std::int64_t fast = LatencyClocks(TwoRanks({{"refresh", "false"}}), 0, 500);
  const std::int64_t waited = LatencyClocks(p, 0, 500) - fast;
  EXPECT_GE(waited, 200);
  EXPECT_LE(waited, 200 + p.tRP + p.tRCD);
  EXPECT_EQ(TwoRanks({{"refresh", "false"}}).RefreshStallCycles(per_clock), 0);
  const JedecParams per_bank = test::JedecPreset("ddr5-4800", {{"refresh_mode", "per_bank"}});
  ASSERT_GT(per_bank.tRFCpb, 0);
  EXPECT_DOUBLE_EQ(per_bank.RefreshStallCycles(1e9 / per_bank.tCK),
                   static_cast<double>(per_bank.tRFCpb));
}

}  // namespace
}  // namespace pjsim
