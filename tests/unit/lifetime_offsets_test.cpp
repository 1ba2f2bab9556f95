// The greedy-by-size offset planner (sim/mapping/lifetime_offsets.h): buffers live at the same
// step never share a byte, every offset is aligned, the peak is the highest end and no less than
// the most bytes live at once, a dead buffer's space is taken again (a chain of equal layers takes
// two buffers at any depth), and the same input gives the same offsets.
#include "sim/mapping/lifetime_offsets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace pjsim {
namespace {

constexpr std::uint64_t kRow = 1024;

std::uint64_t Aligned(std::uint64_t b) { return (b + kRow - 1) / kRow * kRow; }

bool LiveTogether(const Lifetime& a, const Lifetime& b) {
  return a.first <= b.last && b.first <= a.last;
}

std::vector<Lifetime> RandomBuffers(unsigned seed, int count) {
  std::mt19937_64 rng(seed);
  std::vector<Lifetime> buffers;
  for (int i = 0; i < count; ++i) {
    const auto first = static_cast<std::int64_t>(rng() % 100);
    // Some empty buffers, many sizes that are not whole rows.
    buffers.push_back({rng() % 9 == 0 ? 0 : 1 + rng() % (8 * kRow), first,
                       first + static_cast<std::int64_t>(rng() % 12)});
  }
  return buffers;
}

TEST(LifetimeOffsets, LiveBuffersNeverShareAByteAndTheirOffsetsAreAligned) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const std::vector<Lifetime> buffers = RandomBuffers(seed, 200);
    const LifetimeOffsets plan = PlanLifetimeOffsets(buffers, kRow);
    ASSERT_EQ(plan.offsets.size(), buffers.size());
    std::uint64_t highest_end = 0, sum = 0;
    for (size_t i = 0; i < buffers.size(); ++i) {
      EXPECT_EQ(plan.offsets[i] % kRow, 0u);
      highest_end = std::max(highest_end, plan.offsets[i] + Aligned(buffers[i].bytes));
      sum += Aligned(buffers[i].bytes);
      for (size_t j = i + 1; j < buffers.size(); ++j) {
        if (buffers[i].bytes == 0 || buffers[j].bytes == 0) continue;
        if (!LiveTogether(buffers[i], buffers[j])) continue;
        const bool apart = plan.offsets[i] + Aligned(buffers[i].bytes) <= plan.offsets[j] ||
                           plan.offsets[j] + Aligned(buffers[j].bytes) <= plan.offsets[i];
        EXPECT_TRUE(apart) << "seed " << seed << ": buffers " << i << " and " << j;
      }
    }
    EXPECT_EQ(plan.bytes, highest_end);
    // No less than the most bytes live at one step, and below one region each (reuse happened).
    std::uint64_t peak_live = 0;
    for (std::int64_t step = 0; step < 112; ++step) {
      std::uint64_t live = 0;
      for (const Lifetime& b : buffers)
        live += b.first <= step && step <= b.last ? Aligned(b.bytes) : 0;
      peak_live = std::max(peak_live, live);
    }
    EXPECT_GE(plan.bytes, peak_live);
    EXPECT_LT(plan.bytes, sum);
  }
}

// Layer i writes buffer i and reads buffer i-1: two buffers live at a time, whatever the depth.
TEST(LifetimeOffsets, AChainOfEqualLayersTakesTwoBuffersAtAnyDepth) {
  for (int depth : {2, 3, 10, 100, 1000}) {
    std::vector<Lifetime> chain;
    for (int i = 0; i < depth; ++i) chain.push_back({3 * kRow - 5, i, i + 1});
    chain.back().last = depth - 1;
    const LifetimeOffsets plan = PlanLifetimeOffsets(chain, kRow);
    EXPECT_EQ(plan.bytes, 2 * 3 * kRow) << depth;
    for (int i = 1; i < depth; ++i)
      EXPECT_NE(plan.offsets[static_cast<size_t>(i)], plan.offsets[static_cast<size_t>(i - 1)]);
  }
}

// A residual stream: layer i reads buffers i-1 and i-2, so three are live at a time.
TEST(LifetimeOffsets, AResidualChainTakesThreeBuffers) {
  std::vector<Lifetime> chain;
  for (int i = 0; i < 50; ++i) chain.push_back({kRow, i, std::min(i + 2, 49)});
  EXPECT_EQ(PlanLifetimeOffsets(chain, kRow).bytes, 3 * kRow);
}

// Largest first: A at 0, B (live with A) above it; C, live only with B, takes the smallest gap
// below B, A's dead rows, rather than going above.
TEST(LifetimeOffsets, ADeadBuffersRowsAreTakenByTheSmallestGapThatFits) {
  const std::vector<Lifetime> buffers{{4 * kRow, 0, 1}, {2 * kRow, 1, 3}, {kRow, 2, 3}};
  const LifetimeOffsets plan = PlanLifetimeOffsets(buffers, kRow);
  EXPECT_EQ(plan.offsets, (std::vector<std::uint64_t>{0, 4 * kRow, 0}));
  EXPECT_EQ(plan.bytes, 6 * kRow);
  // At step 1, Q (row 3) and S (row 5) are live: gaps of 3 rows (0-2) and 1 row (4). W takes the
  // one that fits best, row 4 (first fit would take row 0).
  const std::vector<Lifetime> gaps{
      {3 * kRow, 0, 0}, {kRow, 0, 9}, {kRow, 0, 0}, {kRow, 0, 9}, {kRow, 1, 1}};
  const LifetimeOffsets g = PlanLifetimeOffsets(gaps, kRow);
  EXPECT_EQ(g.offsets, (std::vector<std::uint64_t>{0, 3 * kRow, 4 * kRow, 5 * kRow, 4 * kRow}));
  EXPECT_EQ(g.bytes, 6 * kRow);
}

TEST(LifetimeOffsets, TheSameBuffersGiveTheSameOffsets) {
  const std::vector<Lifetime> buffers = RandomBuffers(7, 300);
  const LifetimeOffsets a = PlanLifetimeOffsets(buffers, kRow),
                        b = PlanLifetimeOffsets(buffers, kRow);
  EXPECT_EQ(a.offsets, b.offsets);
  EXPECT_EQ(a.bytes, b.bytes);
}

}  // namespace
}  // namespace pjsim
