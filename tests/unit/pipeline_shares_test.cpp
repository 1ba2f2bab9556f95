// Layers side by side on pipelined tile groups (sim/mapping/pipeline_shares.h): the pipeline's
// schedule replayed as the platform runs it, each running layer at its cost model's pace at the
// DRAM share the others leave it.
#include "sim/mapping/pipeline_shares.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace pjsim {
namespace {

// A layer that takes `compute` cycles, or its loads' `dram` cycles at its share, whichever is
// longer (its loads overlap its compute).
PipelinedLayer Layer(int group, std::vector<int> after, double compute, double dram) {
  PipelinedLayer l;
  l.group = group;
  l.predecessors = std::move(after);
  l.dram_busy = dram / std::max(compute, dram);
  l.cycles = [compute, dram](double share, const std::vector<int>&) {
    return std::max(compute, dram / share);
  };
  return l;
}

TEST(PipelineShares, LayersThatKeepTheDramBusyShareItEvenly) {
  // Each alone: 100 cycles of loads. Side by side on two groups, each gets half of the DRAM.
  const auto two = PipelinedSchedule({Layer(0, {}, 10, 100), Layer(1, {}, 10, 100)}, {0, 1});
  EXPECT_DOUBLE_EQ(two[0].start, 0);
  EXPECT_DOUBLE_EQ(two[0].end, 200);
  EXPECT_DOUBLE_EQ(two[1].end, 200);
  // Three: a third each.
  const auto three = PipelinedSchedule(
      {Layer(0, {}, 10, 100), Layer(1, {}, 10, 100), Layer(2, {}, 10, 100)}, {0, 1, 2});
  for (const auto& s : three) EXPECT_DOUBLE_EQ(s.end, 300);
}

TEST(PipelineShares, ALayerTakesTheWholeDramBackWhenTheOtherEnds) {
  // A compute-bound layer (loads 20% of its time) beside one that keeps the DRAM busy: together
  // they want 1.2 DRAMs. The first keeps the 20% it uses (40 cycles of loads at a share of 1/2
  // would hide under its compute as well); the second gets the 80% left (125 cycles for its 100)
  // until the first ends at 100, then runs alone: 4/5 of its work done, the rest in 20.
  const auto s = PipelinedSchedule({Layer(0, {}, 100, 20), Layer(1, {}, 10, 100)}, {0, 1});
  EXPECT_DOUBLE_EQ(s[0].end, 100);
  EXPECT_NEAR(s[1].end, 120, 1e-9);
}

// A running layer for DramShares: busy `b` of its time alone, `q` bytes queued.
PipelinedLayer Running(double b, double q) { return {0, {}, b, q, nullptr}; }

TEST(PipelineShares, SaturatedTheDramGoesByTheBytesQueued) {
  // First come, first served with a request per tile in flight: three times the bytes queued,
  // three times the bandwidth.
  const auto s = DramShares({Running(1, 3000), Running(1, 1000)});
  EXPECT_DOUBLE_EQ(s[0], 0.75);
  EXPECT_DOUBLE_EQ(s[1], 0.25);
  // None gets more than it uses alone; what it leaves goes to the others.
  const auto t = DramShares({Running(1, 1000), Running(1, 1000), Running(0.1, 1000)});
  EXPECT_DOUBLE_EQ(t[2], 0.1);
  EXPECT_DOUBLE_EQ(t[0], 0.45);
}

TEST(PipelineShares, BelowSaturationABurstStillWaitsForTheOthersQueuedLoads) {
  // Two layers loading 30% of their time: each may use the 70% the other leaves (its bursts,
  // finding the other's loads queued 30% of the time, would get 1 / 1.3)...
  const auto s = DramShares({Running(0.3, 1000), Running(0.3, 1000)});
  EXPECT_DOUBLE_EQ(s[0], 0.7);
  // ...but the bursts bind for a layer of tenfold smaller requests beside the other.
  const auto t = DramShares({Running(0.3, 10000), Running(0.3, 1000)});
  EXPECT_DOUBLE_EQ(t[0], 0.7);
  EXPECT_DOUBLE_EQ(t[1], 1000 / (1000 + 0.3 * 10000));
  // A layer that loads nothing keeps the whole DRAM (its pace does not depend on it).
  EXPECT_DOUBLE_EQ(DramShares({Running(0, 1000), Running(1, 1000)})[0], 1);
  EXPECT_DOUBLE_EQ(DramShares({Running(0, 1000), Running(1, 1000)})[1], 1);
}

TEST(PipelineShares, LayersStartAsThePlatformStartsThem) {
  // a and c on group 0, b on group 1, d after a and b on group 1: c waits for a's group, d for
  // both; alone each takes its compute (no loads).
  const auto s = PipelinedSchedule(
      {Layer(0, {}, 50, 0), Layer(1, {}, 80, 0), Layer(0, {}, 40, 0), Layer(1, {0, 1}, 10, 0)},
      {0, 1, 2, 3});
  EXPECT_DOUBLE_EQ(s[2].start, 50);
  EXPECT_DOUBLE_EQ(s[2].end, 90);
  EXPECT_DOUBLE_EQ(s[3].start, 80);
  EXPECT_DOUBLE_EQ(s[3].end, 90);
  // In topological order: with d before c, c still starts when a's group frees (d waits for b).
  const auto t = PipelinedSchedule(
      {Layer(0, {}, 50, 0), Layer(1, {}, 80, 0), Layer(0, {}, 40, 0), Layer(1, {0, 1}, 10, 0)},
      {0, 1, 3, 2});
  EXPECT_DOUBLE_EQ(t[2].start, 50);
}

TEST(PipelineShares, OneGroupRunsItsLayersOneAfterAnother) {
  // The spread strategy's case: nothing overlaps, every layer takes its cycles alone.
  const auto s = PipelinedSchedule({Layer(0, {}, 10, 100), Layer(0, {0}, 10, 100)}, {0, 1});
  EXPECT_DOUBLE_EQ(s[0].end, 100);
  EXPECT_DOUBLE_EQ(s[1].start, 100);
  EXPECT_DOUBLE_EQ(s[1].end, 200);
}

}  // namespace
}  // namespace pjsim
