// A one-tile design has no network (ArchConfig::HasRouters): its DRAM channel feeds the tile's
// scratchpad directly, so no router is crossed, leaks or is laid out, while the same layer on two
// tiles pays each of those. The channel's port keeps the link's width, so the cycles of a
// one-tile run do not depend on whether a router is there.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

test::SimRun RunFc(const std::string& name, const std::vector<std::string>& mesh) {
  const std::string path = test::FreshDir("one_tile_" + name) + "/w.yaml";
  std::ofstream(path) << "name: " << name
                      << "\nlayers:\n  - {name: fc, op: linear, m: 64, k: 512, n: 256, dtype: "
                         "int8, inputs: []}\n";
  return test::SimulateYaml(test::ArchFile("default.yaml"), path, mesh);
}

TEST(OneTileNetwork, NoRouterIsCrossedOrLeaksOnOneTile) {
  const test::SimRun one = RunFc("one", test::OneTile());
  const auto one_energy = one.result.ledger.EnergyByCategory();
  EXPECT_EQ(one.result.ledger.TotalCountOf("router_traversal"), 0);
  EXPECT_EQ(one_energy.at("leakage.noc"), 0);
  EXPECT_EQ(one_energy.at("noc.router"), 0);
  EXPECT_EQ(one_energy.at("noc.link"), 0);
  EXPECT_GT(one_energy.at("dram.read"), 0);

  const test::SimRun two = RunFc(
      "two", {"arch.mesh.width=2", "arch.mesh.height=1", "arch.dram.channels=[{x: 0, y: 0}]"});
  const auto two_energy = two.result.ledger.EnergyByCategory();
  // Every byte the channel serves crosses at least the router it attaches to.
  double served_bits = 0;
  for (const auto& c : two.result.channels) served_bits += 8 * (c.bytes_read + c.bytes_written);
  EXPECT_GE(two.result.ledger.TotalCountOf("router_traversal"), served_bits);
  EXPECT_GT(two_energy.at("leakage.noc"), 0);
  EXPECT_GT(two_energy.at("noc.router"), 0);
}

}  // namespace
}  // namespace pjsim
