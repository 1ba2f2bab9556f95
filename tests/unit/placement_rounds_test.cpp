// A ranking reused at another placement (MappingSearch::Best through PlacementRounds) is the
// ranking a fresh search makes there: same mapping, same estimate, for homes whose routes to the
// channels differ (next to a channel, across the mesh) and for sets of busy homes.
#include "sim/mapping/placement_rounds.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/config/yaml_reader.h"
#include "sim/mapping/mapping_search.h"
#include "sim/workload/workload.h"
#include "small_mesh_arch.h"

namespace pjsim {
namespace {

// The small mesh with two channels in opposite corners and narrow links, so that where a grid
// sits moves its estimate.
ArchConfig NarrowLinkMesh() {
  ArchConfig a = test::SmallMeshArch();
  a.dram.channels = {{0, 0}, {3, 3}};
  a.noc.link_bytes_per_cycle = 4;
  return a;
}

Layer Linear(std::int64_t m, std::int64_t k, std::int64_t n) {
  const std::string yaml = "name: w\nlayers:\n  - {name: fc, op: linear, m: " + std::to_string(m) +
                           ", k: " + std::to_string(k) + ", n: " + std::to_string(n) +
                           ", dtype: int8}\n";
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml"))).graph->layers()[0];
}

void ExpectSameRanking(const RankedMapping& reused, const RankedMapping& fresh,
                       const std::string& where) {
  EXPECT_EQ(reused.mapping.Describe(), fresh.mapping.Describe()) << where;
  EXPECT_EQ(reused.estimate.cycles, fresh.estimate.cycles) << where;
  EXPECT_EQ(reused.estimate.energy_pj, fresh.estimate.energy_pj) << where;
  EXPECT_EQ(reused.estimate.dram_read_bytes, fresh.estimate.dram_read_bytes) << where;
}

TEST(PlacementRounds, ARankingReusedAtAnotherPlacementIsTheOneAFreshSearchMakesThere) {
  const ArchConfig arch = NarrowLinkMesh();
  MappingSearch search(arch, MappingPrices{});
  const auto sram = static_cast<std::int64_t>(arch.tile.sram.capacity_bytes);
  // Per layer, width and sharing: the estimates over the homes.
  std::map<std::string, std::set<double>> cycles_by_home;
  for (const Layer& layer : {Linear(1, 2048, 1024), Linear(16, 512, 768)}) {
    for (const std::int64_t width : {1, 2, 4}) {
      for (std::int64_t home = 0; home + width <= arch.TileCount(); home += width) {
        const std::string where = std::to_string(layer.m) + " rows on " + std::to_string(width) +
                                  " tiles at " + std::to_string(home);
        // Alone on the mesh at its home.
        const DramShare alone{.at = search.Placement({home})};
        MappingSearch fresh(arch, MappingPrices{});
        const DramShare fresh_alone{.at = fresh.Placement({home})};
        const RankedMapping fresh_pick = fresh.Rank(layer, width, sram, 1, fresh_alone).front();
        ExpectSameRanking(search.Best(layer, width, sram, alone), fresh_pick, where);
        cycles_by_home[std::to_string(layer.m) + "/" + std::to_string(width)].insert(
            fresh_pick.estimate.cycles);
        // Beside other homes: this one and the one across the mesh.
        const std::int64_t other = arch.TileCount() - width - home;
        const std::vector<std::int64_t> homes =
            other == home ? std::vector<std::int64_t>{home}
                          : std::vector<std::int64_t>{std::min(home, other), std::max(home, other)};
        const DramShare beside{
            .fraction = 0.5, .at = search.Placement({home}), .among = search.Placement(homes)};
        const DramShare fresh_beside{
            .fraction = 0.5, .at = fresh.Placement({home}), .among = fresh.Placement(homes)};
        const RankedMapping fresh_beside_pick =
            fresh.Rank(layer, width, sram, 1, fresh_beside).front();
        ExpectSameRanking(search.Best(layer, width, sram, beside), fresh_beside_pick,
                          where + " beside " + std::to_string(other));
        cycles_by_home[std::to_string(layer.m) + "/" + std::to_string(width) + " beside"].insert(
            fresh_beside_pick.estimate.cycles);
      }
    }
  }
  // The placements matter: some layer's estimate differs between homes (else the test could not
  // tell a reuse at the wrong placement).
  EXPECT_TRUE(std::any_of(cycles_by_home.begin(), cycles_by_home.end(),
                          [](const auto& kv) { return kv.second.size() > 1; }));
}

TEST(PlacementRounds, TwoPlacementsAreAlikeWhereEveryNotedRoundsBusiestLinksAre) {
  const ArchConfig arch = NarrowLinkMesh();
  GridLinkLoads links(arch);
  const GridLinkLoads::Round one_tile{}, row_of_two{.pn = 2, .cols = 2, .share_a = true};
  std::vector<int> homes;
  for (std::int64_t t = 0; t + 1 < arch.TileCount(); ++t) homes.push_back(links.Placement({t}));
  // What the estimate reads: the busiest link of load mixes, and of the stores.
  const auto busiest = [&](GridLinkLoads::Round r, int placement) {
    r.placement = placement;
    const GridLinkLoads::Loads& l = links.Of(r);
    return std::vector<double>{l.LoadBytes(1, 0), l.LoadBytes(0, 1), l.LoadBytes(1, 3),
                               l.LoadBytes(5, 1), l.StoreBytes(1)};
  };
  PlacementRounds rounds;
  for (int i = 0; i < 3; ++i) {  // noted again and again, kept once
    rounds.Note(one_tile, true);
    rounds.Note(row_of_two, true);
  }
  rounds.Seal();
  int alike = 0, unlike = 0;
  for (const int a : homes) {
    for (const int b : homes) {
      const bool same = busiest(one_tile, a) == busiest(one_tile, b) &&
                        busiest(row_of_two, a) == busiest(row_of_two, b);
      EXPECT_EQ(rounds.SameLoads(links, a, -1, b, -1), same) << a << " vs " << b;
      ++(same ? alike : unlike);
    }
  }
  EXPECT_GT(alike, static_cast<int>(homes.size()));  // translates of one another
  EXPECT_GT(unlike, 0);                              // at a channel's router, at an edge
  // Rounds noted at the layer's home do not look at the busy homes' placement.
  EXPECT_TRUE(rounds.SameLoads(links, homes[5], homes[0], homes[5], homes[9]));
}

}  // namespace
}  // namespace pjsim
