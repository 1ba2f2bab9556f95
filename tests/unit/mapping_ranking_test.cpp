// The order of mapping-search results (sim/mapping/mapping_ranking.h): ties within 1% of the best
// objective value go to the secondary criterion, whatever order the candidates arrive in.
#include "sim/mapping/mapping_ranking.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace pjsim {
namespace {

RankedMapping Candidate(std::int64_t id, double cycles, double energy_pj) {
  RankedMapping r;
  r.mapping.blocks = {id, 1, 1};  // names the candidate
  r.estimate.cycles = cycles;
  r.estimate.energy_pj = energy_pj;
  return r;
}

std::vector<std::int64_t> Order(MappingObjective objective, const std::vector<RankedMapping>& in,
                                size_t top) {
  MappingRanking ranking(objective, top);
  for (const RankedMapping& r : in) ranking.Add(r);
  std::vector<std::int64_t> ids;
  for (const RankedMapping& r : ranking.Take()) ids.push_back(r.mapping.blocks.m);
  return ids;
}

TEST(MappingRanking, ThePickDoesNotDependOnArrivalOrder) {
  // b is within 1% of a, c within 1% of b but not of a: a pairwise "close" test ranks a < c,
  // c < b (energy), b < a (energy), a cycle whose outcome depends on arrival order. Against the
  // best time (a's) the window holds a and b; b is the cheaper; c comes last.
  std::vector<RankedMapping> in = {Candidate(1, 573238, 7340), Candidate(2, 574088, 6813),
                                   Candidate(3, 579856, 6656), Candidate(4, 700000, 1000)};
  std::vector<size_t> perm = {0, 1, 2, 3};
  do {
    std::vector<RankedMapping> shuffled;
    for (size_t i : perm) shuffled.push_back(in[i]);
    EXPECT_EQ(Order(MappingObjective::kLatency, shuffled, 4),
              (std::vector<std::int64_t>{2, 1, 3, 4}));
    EXPECT_EQ(Order(MappingObjective::kLatency, shuffled, 1), (std::vector<std::int64_t>{2}));
  } while (std::next_permutation(perm.begin(), perm.end()));
}

TEST(MappingRanking, ObjectivesRankByTheirOwnMeasure) {
  const std::vector<RankedMapping> in = {Candidate(1, 100, 50), Candidate(2, 200, 20),
                                         Candidate(3, 150, 30)};
  EXPECT_EQ(Order(MappingObjective::kLatency, in, 3), (std::vector<std::int64_t>{1, 3, 2}));
  EXPECT_EQ(Order(MappingObjective::kEnergy, in, 3), (std::vector<std::int64_t>{2, 3, 1}));
  // Energy x delay: 5000, 4000, 4500.
  EXPECT_EQ(Order(MappingObjective::kEdp, in, 3), (std::vector<std::int64_t>{2, 3, 1}));
  // Within 1% of the least energy, the faster wins.
  EXPECT_EQ(Order(MappingObjective::kEnergy, {Candidate(1, 300, 100), Candidate(2, 200, 100.5)}, 2),
            (std::vector<std::int64_t>{2, 1}));
}

TEST(MappingRanking, KeepsTheTopAndEmptiesOnTake) {
  MappingRanking ranking(MappingObjective::kLatency, 2);
  EXPECT_TRUE(ranking.empty());
  for (int i = 10; i > 0; --i) ranking.Add(Candidate(i, 100.0 * i, 1));
  EXPECT_FALSE(ranking.empty());
  const std::vector<RankedMapping> top = ranking.Take();
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].mapping.blocks.m, 1);
  EXPECT_EQ(top[1].mapping.blocks.m, 2);
  EXPECT_TRUE(ranking.empty());
}

TEST(MappingRanking, SkippingWhatItExcludesKeepsTheSameTop) {
  // Candidates whose lower bounds (each count scaled by 0.75-1) the ranking excludes are left
  // out; the top it returns is the same as with every candidate added, for every objective,
  // several tops and near-ties, over random candidate streams from a fixed seed.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> value(1000, 1100), slack(0.75, 1.0);
  int skipped = 0;
  for (int trial = 0; trial < 300; ++trial) {
    for (MappingObjective objective : {MappingObjective::kLatency, MappingObjective::kEnergy,
                                       MappingObjective::kEdp, MappingObjective::kDramBytes}) {
      for (size_t top : {size_t{1}, size_t{3}}) {
        MappingRanking all(objective, top), pruned(objective, top);
        for (std::int64_t id = 0; id < 40; ++id) {
          RankedMapping r = Candidate(id, value(rng), value(rng));
          r.estimate.dram_read_bytes = value(rng);
          MappingEstimate bound = r.estimate;
          bound.cycles *= slack(rng);
          bound.energy_pj *= slack(rng);
          all.Add(r);
          if (pruned.Excludes(bound)) {
            ++skipped;
            continue;
          }
          pruned.Add(r);
        }
        std::vector<std::int64_t> a, b;
        for (const RankedMapping& r : all.Take()) a.push_back(r.mapping.blocks.m);
        for (const RankedMapping& r : pruned.Take()) b.push_back(r.mapping.blocks.m);
        EXPECT_EQ(a, b) << "trial " << trial << " top " << top;
      }
    }
  }
  EXPECT_GT(skipped, 1000);  // the bound does exclude
}

}  // namespace
}  // namespace pjsim
