// When layer replay records a run (models/replay_backoff.h): every run until kTries lookups in a
// row failed to match a record, then attempts 1, 2, 4, ... runs apart up to kMaxSkip, and every
// run again once a record is applied.
#include "models/replay_backoff.h"

#include <gtest/gtest.h>

#include <vector>

namespace pjsim {
namespace {

// Whether each of the next `runs` is recorded (1), every record's lookup failing.
std::vector<int> Pattern(ReplayBackoff& b, int runs) {
  std::vector<int> out;
  for (int i = 0; i < runs; ++i) {
    out.push_back(b.Record() ? 1 : 0);
    b.Failed();
  }
  return out;
}

TEST(ReplayBackoff, RecordsUntilMatchesKeepFailingThenBacksOffExponentially) {
  ReplayBackoff b;
  // 3 tries; then an attempt after skipping 1, 2, 4, 8, 16 runs.
  const std::vector<int> expected = {1, 1, 1,                          //
                                     1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1,  //
                                     0, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(Pattern(b, static_cast<int>(expected.size())), expected);
  EXPECT_TRUE(b.backing_off());
  // Capped: one attempt every kMaxSkip + 1 runs.
  const std::vector<int> capped = Pattern(b, 10 * (ReplayBackoff::kMaxSkip + 1));
  int recorded = 0;
  for (int x : capped) recorded += x;
  EXPECT_GE(recorded, 9);
  EXPECT_LE(recorded, 11);
}

TEST(ReplayBackoff, RunsThatFindNoRecordDoNotCount) {
  ReplayBackoff b;
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(b.Record());  // never looked up
  EXPECT_FALSE(b.backing_off());
}

TEST(ReplayBackoff, AMatchResetsIt) {
  ReplayBackoff b;
  Pattern(b, 10);
  ASSERT_TRUE(b.backing_off());
  b.Used();
  EXPECT_FALSE(b.backing_off());
  EXPECT_EQ(Pattern(b, 3), (std::vector<int>{1, 1, 1}));
  // One match in every three lookups keeps every run recorded.
  ReplayBackoff c;
  for (int i = 0; i < 30; ++i) {
    EXPECT_TRUE(c.Record());
    if (i % 3 == 2) {
      c.Used();
    } else {
      c.Failed();
    }
  }
}

TEST(ReplayBackoff, TheSameSequenceGivesTheSameDecisions) {
  ReplayBackoff a, b;
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(a.Record(), b.Record());
    if (i % 37 == 36) {
      a.Used();
      b.Used();
    } else {
      a.Failed();
      b.Failed();
    }
  }
}

}  // namespace
}  // namespace pjsim
