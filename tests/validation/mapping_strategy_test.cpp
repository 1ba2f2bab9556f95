// The pipelined mapping strategy: independent layers run at the same time on their own tile
// groups, and the leakage of overlapping layers is split, never double-charged.
#include <gtest/gtest.h>

#include <fstream>

#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

SimulationResult RunWith(const std::vector<std::string>& overrides) {
  const std::string path = test::FreshDir("strategy") + "/w.yaml";
  // Two independent compute-bound layers, then one that needs both.
  std::ofstream(path)
      << "name: fork\nlayers:\n"
         "  - {name: a, op: linear, m: 256, k: 512, n: 256, dtype: int8, inputs: []}\n"
         "  - {name: b, op: linear, m: 256, k: 512, n: 256, dtype: int8, inputs: []}\n"
         "  - {name: sum, op: elementwise, function: add, m: 256, n: 256, dtype: int8, inputs: [a, "
         "b]}\n";
  return test::SimulateYaml(test::ArchFile("default.yaml"), path, overrides).result;
}

TEST(PipelinedStrategy, IndependentLayersOverlapOnTheirGroups) {
  const std::vector<std::string> fast = {"arch.dram.channel_bandwidth=400 GB/s",
                                         "arch.noc.link_width=512 B/cycle"};
  auto pipelined = fast;
  pipelined.push_back("arch.mapping.strategy=pipelined");
  pipelined.push_back("arch.mapping.groups=2");
  const SimulationResult r = RunWith(pipelined);
  // a and b start together on the two halves of the mesh.
  EXPECT_EQ(r.layers[0].start_ps, r.layers[1].start_ps);
  EXPECT_EQ(r.layers[0].tiling.tiles_used + r.layers[1].tiling.tiles_used, 16);
  // Leakage time is split, so the shares add up to the run time exactly.
  std::uint64_t shares = 0;
  for (const auto& l : r.layers) shares += l.leakage_share_ps;
  EXPECT_EQ(shares, r.total_ps);
  // Same arithmetic either way.
  const SimulationResult spread = RunWith(fast);
  EXPECT_DOUBLE_EQ(r.ledger.TotalCountOf("int8_mult"), spread.ledger.TotalCountOf("int8_mult"));
}

TEST(PipelinedStrategy, TooManyGroupsIsABadConfig) {
  EXPECT_THROW(RunWith({"arch.mapping.strategy=pipelined", "arch.mapping.groups=17"}), ConfigError);
}

}  // namespace
}  // namespace pjsim
