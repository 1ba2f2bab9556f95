// The fluid model of tiles sharing a first-come-first-served DRAM (sim/mapping/fcfs_dram_share.h).
#include "sim/mapping/fcfs_dram_share.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

namespace pjsim {
namespace {

double Latest(const std::vector<double>& finish) {
  return *std::max_element(finish.begin(), finish.end());
}

TEST(FcfsDramShare, AlikeTilesShareEquallyAndKeepTheDramBusy) {
  const std::vector<TileDemand> tiles(8, TileDemand{1000, 100, 0});
  for (bool by_size : {true, false}) {
    for (double f : FcfsFinishCycles(tiles, 10, by_size)) EXPECT_DOUBLE_EQ(f, 800);
  }
}

TEST(FcfsDramShare, SmallerRequestsGetLessWhileTheOthersRun) {
  // Equal bytes, requests of 1 and 2 units: bandwidth 1/3 and 2/3 while both run, so the second
  // finishes at 1.5 B / BW and the first then alone at 2 B / BW; with equal shares both at 2 B /
  // BW.
  const std::vector<TileDemand> tiles{{3000, 4096, 0}, {3000, 8192, 0}};
  const std::vector<double> fcfs = FcfsFinishCycles(tiles, 3);
  EXPECT_DOUBLE_EQ(fcfs[1], 1500);
  EXPECT_DOUBLE_EQ(fcfs[0], 2000);
  const std::vector<double> equal = FcfsFinishCycles(tiles, 3, false);
  EXPECT_DOUBLE_EQ(equal[0], 2000);
  EXPECT_DOUBLE_EQ(equal[1], 2000);
}

TEST(FcfsDramShare, WorkConservingWhateverTheRequestSizes) {
  // With no tile limited by its own work, the DRAM never idles: the last finish is the total
  // bytes over the bandwidth, in either sharing.
  std::vector<TileDemand> tiles;
  for (int i = 1; i <= 16; ++i) tiles.push_back({1000.0 * i, 64.0 * (17 - i), 0});
  const double total = std::accumulate(tiles.begin(), tiles.end(), 0.0,
                                       [](double s, const TileDemand& t) { return s + t.bytes; });
  EXPECT_NEAR(Latest(FcfsFinishCycles(tiles, 7)), total / 7, 1e-9 * total);
  EXPECT_NEAR(Latest(FcfsFinishCycles(tiles, 7, false)), total / 7, 1e-9 * total);
}

TEST(FcfsDramShare, ATileBoundByItsOwnWorkLeavesTheRestToTheOthers) {
  // Tile 0 cannot move its bytes faster than over 1000 cycles (1 byte per cycle of a 4-byte
  // bandwidth): the other gets 3 bytes per cycle until tile 0 finishes, then all 4.
  const std::vector<TileDemand> tiles{{1000, 64, 1000}, {5000, 64, 0}};
  const std::vector<double> f = FcfsFinishCycles(tiles, 4);
  EXPECT_DOUBLE_EQ(f[0], 1000);
  EXPECT_DOUBLE_EQ(f[1], 1000 + (5000 - 3000) / 4.0);
  // A tile with nothing to move finishes when its work does.
  EXPECT_DOUBLE_EQ(FcfsFinishCycles({{0, 0, 250}}, 4)[0], 250);
}

}  // namespace
}  // namespace pjsim
