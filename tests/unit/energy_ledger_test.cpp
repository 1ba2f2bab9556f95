// The ledger's audit trail and the published 45 nm figures (docs/SOURCES.md#horowitz2014)
// coming back exactly through it from the shipped table.
#include "sim/energy/energy_ledger.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/energy/platform_actions.h"
#include "sim/energy/tech_table.h"
#include "test_paths.h"

namespace pjsim {
namespace {

TechTable Tech(const std::string& node) {
  return LoadTechTable(test::SourceDir() + "/configs/tech/" + node + ".yaml");
}

ArchConfig SmallArch(double sram_bytes) {
  ArchConfig a;
  a.clock_hz = 1e9;
  a.mesh_width = a.mesh_height = 1;
  a.tile.kind = "int8_mac";
  a.tile.rows = a.tile.cols = 4;
  a.tile.vector_lanes = 4;
  a.tile.accumulator = NumberType::kInt32;
  a.tile.sram.capacity_bytes = sram_bytes;
  a.dram.type = "ddr4";
  a.dram.channels = {{0, 0}};
  return a;
}

TEST(EnergyLedger, EnergyIsCountTimesPriceAndSumsPerLayerAndCategory) {
  EnergyLedger ledger({"a", "b"});
  const ActionId x = ledger.Register({"compute.x", "x_op", "op", 0.5, "test"});
  const ActionId y = ledger.Register({"sram.read", "y_bit", "bit", 2.0, "test"});
  EXPECT_EQ(ledger.Register({"compute.x", "x_op", "op", 0.5, "test"}), x);
  ledger.Add(0, x, 10);
  ledger.Add(1, x, 4);
  ledger.Add(1, y, 3);
  EXPECT_DOUBLE_EQ(ledger.LayerEnergyPj(0), 5);
  EXPECT_DOUBLE_EQ(ledger.LayerEnergyPj(1), 8);
  EXPECT_DOUBLE_EQ(ledger.TotalEnergyPj(), 13);
  EXPECT_DOUBLE_EQ(ledger.EnergyByCategory().at("compute.x"), 7);
  EXPECT_DOUBLE_EQ(ledger.TotalCountOf("x_op"), 14);
  EXPECT_THROW(ledger.Register({"compute.x", "x_op", "op", 0.6, "other"}), std::logic_error);
}

TEST(PublishedFigures45nm, OpsSramAndDramThroughTheLedger) {
  const TechTable tech = Tech("45nm");
  EnergyLedger ledger({"only"});
  const PlatformActions a = RegisterPlatformActions(ledger, SmallArch(8 * 1024), tech);
  const ActionId add =
      ledger.Register({"compute.test", "int8_add", "op", tech.Op("int8_add").value, ""});
  const ActionId mult =
      ledger.Register({"compute.test", "fp32_mult", "op", tech.Op("fp32_mult").value, ""});
  ledger.Add(0, add, 1);
  EXPECT_DOUBLE_EQ(ledger.EnergyPj(0, add), 0.03);
  ledger.Add(0, mult, 1);
  EXPECT_DOUBLE_EQ(ledger.EnergyPj(0, mult), 3.7);
  ledger.Add(0, a.sram_read, 64);  // one 64-bit read of an 8 KB SRAM
  EXPECT_DOUBLE_EQ(ledger.EnergyPj(0, a.sram_read), 10.0);
  ledger.Add(0, a.dram_read, 64);  // one 64-bit DRAM read
  EXPECT_DOUBLE_EQ(ledger.EnergyPj(0, a.dram_read), 1300.0);
}

TEST(PublishedFigures45nm, RouterLeakageFollowsThePortWidthItWasDerivedFor) {
  // 45nm.yaml derives the router's leakage from its area for 256-bit ports; a router's buffers
  // and crossbar grow with the port, so 64 B links leak twice as much as 32 B links, 16 B half.
  const TechTable tech = Tech("45nm");
  ASSERT_EQ(tech.router_leakage_port_bits, 256);
  const auto router_pj = [&tech](double link_bytes) {
    ArchConfig arch = SmallArch(8 * 1024);
    arch.noc.link_bytes_per_cycle = link_bytes;
    EnergyLedger ledger({"only"});
    const PlatformActions a = RegisterPlatformActions(ledger, arch, tech);
    ledger.Add(0, a.leak_router, 1e9);  // one router for a second at 1 GHz
    return ledger.EnergyPj(0, a.leak_router);
  };
  EXPECT_NEAR(router_pj(32), tech.Leakage("router").value * 1e9, 1e-3);  // mW x 1 s = 1e9 pJ
  EXPECT_NEAR(router_pj(64), 2 * router_pj(32), 1e-3);
  EXPECT_NEAR(router_pj(16), 0.5 * router_pj(32), 1e-3);
}

TEST(TechTable, SramInterpolatesLogLogBetweenPublishedPoints) {
  const TechTable tech = Tech("45nm");
  EXPECT_DOUBLE_EQ(tech.SramReadPjPerBit(32 * 1024) * 64, 20.0);
  EXPECT_DOUBLE_EQ(tech.SramReadPjPerBit(1024 * 1024) * 64, 100.0);
  const double mid = tech.SramReadPjPerBit(16 * 1024) * 64;  // geometric mean of 10 and 20
  EXPECT_NEAR(mid, std::sqrt(200.0), 1e-9);
  EXPECT_LT(tech.SramReadPjPerBit(4096), tech.SramReadPjPerBit(8192));
}

TEST(TechTable, SevenNmOverridesOpsAndSramAndScalesTheRest) {
  const TechTable t45 = Tech("45nm");
  const TechTable t7 = Tech("7nm");
  EXPECT_DOUBLE_EQ(t7.Op("int8_add").value, 0.007);
  EXPECT_NEAR((t7.Op("fp16_add").value + t7.Op("fp16_mult").value) / t7.Op("int8_add").value, 71.43,
              0.01);
  // SRAM: Jouppi et al. ISCA 2021 Table 2's 7 nm 64-bit accesses, not the logic factor.
  EXPECT_DOUBLE_EQ(t7.SramReadPjPerBit(8192) * 64, 7.5);
  EXPECT_DOUBLE_EQ(t7.SramReadPjPerBit(32 * 1024) * 64, 8.5);
  EXPECT_DOUBLE_EQ(t7.SramReadPjPerBit(1024 * 1024) * 64, 14.0);
  EXPECT_DOUBLE_EQ(t7.Op("int32_mult").value, 1.48);
  EXPECT_DOUBLE_EQ(t7.Dram("ddr4").read_pj_per_bit.value, t45.Dram("ddr4").read_pj_per_bit.value);
  EXPECT_NE(t7.noc_link_pj_per_bit_mm.source.find("scaled"), std::string::npos);
}

}  // namespace
}  // namespace pjsim
