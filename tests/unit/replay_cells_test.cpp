// A recorded run's ledger cells (models/replay_cells.h): a cell that keeps its sum must add it
// exactly wherever its sum is used, and a cell charged with times (fractional, as a `jedec`
// channel's background rank-ns) must stay replayable against the value its layer accumulates
// over many passes, as an LM head that runs once per decode pass does.
#include "models/replay_cells.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace pjsim {
namespace {

// The charges of one pass of a layer to actions 0 (times: differences of a running total in ns
// of whole picoseconds, as JedecDram::Charge takes them) and 1 (bits of equal transfers).
std::vector<EnergyLedger::Entry> PassCharges(std::mt19937_64& rng, double& total_ns, int n) {
  std::vector<EnergyLedger::Entry> out;
  for (int i = 0; i < n; ++i) {
    const double before = total_ns;
    total_ns += static_cast<double>(1 + rng() % 5000) * 1e-3;
    out.push_back({0, 0, total_ns - before});
    out.push_back({0, 1, 8.0 * 1024});
  }
  return out;
}

double OneByOne(double value, const LayerReplay::Cell& cell,
                const std::vector<EnergyLedger::Entry>& charges) {
  for (const EnergyLedger::Entry& e : charges) {
    if (e.layer == cell.layer && e.action == cell.action) value += e.count;
  }
  return value;
}

TEST(ReplayCells, ALayerRunEveryPassStaysReplayableAndItsSumsExact) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    // The channel's running total when the run is recorded: a few passes' worth, so that the
    // sum is exact alone, but the layer's value outgrows that total within a few more passes.
    const int n = 200 + static_cast<int>(rng() % 2000);
    double total_ns =
        static_cast<double>((1 + rng() % 8) * 2500 * static_cast<std::uint64_t>(n)) * 1e-3 +
        static_cast<double>(rng() % 1000) * 1e-3;
    const auto charges = PassCharges(rng, total_ns, n);
    const std::vector<LayerReplay::Cell> cells = ReplayCells(charges, 0, 2);
    ASSERT_EQ(cells.size(), 2u);
    EXPECT_EQ(cells[1].charges.size(), 0u) << seed;  // whole numbers: the sum alone
    for (const LayerReplay::Cell& cell : cells) {
      double value = OneByOne(0, cell, charges);  // the simulated first pass
      for (int pass = 1; pass < 2000; ++pass) {
        if (cell.charges.empty()) {
          ASSERT_TRUE(SumAddsExactly(cell, value))
              << seed << " action " << cell.action << " pass " << pass;
          ASSERT_EQ(value + cell.sum, OneByOne(value, cell, charges)) << seed << " " << pass;
        }
        value = OneByOne(value, cell, charges);
      }
    }
  }
}

TEST(ReplayCells, SumsOnlyWhereExactAndChargesKeptUpToTheirBound) {
  // A sum is kept only where it adds exactly: SumAddsExactly refuses values it would round at.
  std::mt19937_64 rng(7);
  double total_ns = 1e6;
  const auto charges = PassCharges(rng, total_ns, 100);
  std::vector<LayerReplay::Cell> cells = ReplayCells(charges, 0, 2);
  ASSERT_FALSE(cells[0].charges.empty());  // times, within the bound: kept
  LayerReplay::Cell cell = cells[0];
  cell.charges.clear();
  EXPECT_FALSE(SumAddsExactly(cell, 1e30));
  EXPECT_TRUE(SumAddsExactly(cell, 0));
  // Beyond kReplayCellMaxKeptCharges a time cell keeps its sum (memory), as before.
  double big_total = 1e6;
  const auto many = PassCharges(rng, big_total, static_cast<int>(kReplayCellMaxKeptCharges) + 1);
  cells = ReplayCells(many, 0, 2);
  EXPECT_TRUE(cells[0].charges.empty());
  EXPECT_TRUE(cells[1].charges.empty());
}

}  // namespace
}  // namespace pjsim
