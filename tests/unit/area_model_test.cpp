// The area model (sim/energy/area_model.h) and the technology tables' `area:` sections: the
// components sum to the total, area grows with SRAM capacity and array size, the 7 nm table's
// scaling is applied per class, iso-area sizing lands within one step of its target, and a bad
// area entry is a located one-line error.
#include "sim/energy/area_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>

#include "config_error_text.h"
#include "sim/config/arch_config.h"
#include "sim/config/tile_kind_registry.h"
#include "sim/config/yaml_reader.h"
#include "sim/energy/area_tech.h"
#include "sim/energy/tech_table.h"
#include "test_paths.h"

namespace pjsim {
namespace {

TechTable Tech(const std::string& node) {
  return LoadTechTable(test::SourceDir() + "/configs/tech/" + node + ".yaml");
}

ArchConfig Arch(const std::string& name, const TechTable& tech) {
  const std::string path = test::SourceDir() + "/configs/arch/" + name + ".yaml";
  ConfigMap root = ConfigMap::Root(ConfigDocument::Load(path));
  root.Has("tech");  // the run's tech table, which the test names itself
  return ReadArchConfig(root, tech.clock_hz);
}

double SumOfParts(const AreaBreakdown& a) {
  double sum = 0;
  for (const AreaComponent& c : a.components) {
    EXPECT_GE(c.mm2, 0) << c.name;
    EXPECT_NEAR(c.mm2, c.count * c.um2_each / 1e6, 1e-12 * c.mm2) << c.name;
    sum += c.mm2;
  }
  return sum;
}

TEST(AreaModel, EveryShippedTablePricesEveryRegisteredTileKind) {
  for (const char* node : {"45nm", "7nm"}) {
    const TechTable tech = Tech(node);
    ASSERT_TRUE(tech.area) << node;
    for (const std::string& kind : TileKindRegistry().Names()) {
      EXPECT_GT(tech.area->Pe(kind).value, 0) << node << " " << kind;
      EXPECT_FALSE(tech.area->Pe(kind).source.empty()) << node << " " << kind;
    }
  }
}

TEST(AreaModel, ComponentsSumToTheTotalForEveryShippedArchitecture) {
  const TechTable tech = Tech("45nm");
  for (const char* name : {"default", "mesh4x4-fp16", "mesh4x4-ternary", "mesh4x4-binary",
                           "mesh4x4-lmul", "spiking-mesh4x4", "mesh8x8-int8-hbm"}) {
    const ArchConfig arch = Arch(name, tech);
    const AreaBreakdown a = ComputeArea(arch, *tech.area);
    ASSERT_EQ(a.components.size(), 6u) << name;
    EXPECT_EQ(a.components[0].name, "pe_array." + arch.tile.kind);
    EXPECT_NEAR(SumOfParts(a), a.total_mm2, 1e-12 * a.total_mm2) << name;
    EXPECT_GT(a.total_mm2, 0) << name;
    // Every part is there: 16 tiles have PEs, SRAM, lanes, routers, links and control.
    for (const AreaComponent& c : a.components) EXPECT_GT(c.mm2, 0) << name << " " << c.name;
  }
}

TEST(AreaModel, TheDefaultChipMatchesItsHandComputedArea) {
  const TechTable tech = Tech("45nm");
  const ArchConfig arch =
      Arch("default", tech);  // 4x4 tiles of 16x16 int8 PEs, 256 KiB, 32 B links
  const AreaBreakdown a = ComputeArea(arch, *tech.area);
  // 16 tiles x 256 PEs x 636 um2.
  EXPECT_NEAR(a.components[0].mm2, 16 * 256 * 636e-6, 1e-9);
  // 4x4 mesh: 16 local ports + 48 one-way neighbour ports, 256 bits each; 48 one-way 1 mm links.
  EXPECT_DOUBLE_EQ(a.components[3].count, 64.0 * 256);
  EXPECT_DOUBLE_EQ(a.components[4].count, 48.0 * 256 * arch.noc.link_length_mm);
  // 256 KiB lies between the 32 KiB and 1 MiB points: log-log interpolation.
  const double slope = std::log(4049.0 / 5153.0) / std::log(32.0);
  EXPECT_NEAR(a.components[1].um2_each, 5153 * std::pow(8.0, slope), 1e-9);
}

TEST(AreaModel, AreaGrowsWithSramCapacityAndArraySize) {
  for (const char* node : {"45nm", "7nm"}) {
    const TechTable tech = Tech(node);
    ArchConfig arch = Arch("default", tech);
    double previous = 0;
    // From below the first point to beyond the last, 1 KiB to 4 MiB.
    for (double kib = 1; kib <= 4096; kib = std::ceil(kib * 1.5)) {
      arch.tile.sram.capacity_bytes = kib * 1024;
      const double area = ComputeArea(arch, *tech.area).total_mm2;
      EXPECT_GT(area, previous) << node << " " << kib << " KiB";
      previous = area;
    }
    arch = Arch("default", tech);
    previous = 0;
    for (std::int64_t n = 1; n <= 128; ++n) {
      arch.tile.rows = arch.tile.cols = n;
      const double area = ComputeArea(arch, *tech.area).total_mm2;
      EXPECT_GT(area, previous) << node << " " << n;
      previous = area;
    }
  }
}

// A one-tile design has no network to lay out; two tiles have two routers of 1 + 1 ports.
TEST(AreaModel, OneTileHasNoRoutersOrLinks) {
  const TechTable tech = Tech("45nm");
  ArchConfig arch = Arch("default", tech);
  const auto noc_mm2 = [&] {
    double mm2 = 0;
    for (const AreaComponent& c : ComputeArea(arch, *tech.area).components) {
      if (c.name.rfind("noc.", 0) == 0) mm2 += c.mm2;
    }
    return mm2;
  };
  arch.mesh_width = arch.mesh_height = 1;
  EXPECT_EQ(noc_mm2(), 0);
  arch.mesh_width = 2;
  const double port_bits = arch.noc.link_bytes_per_cycle * 8;
  const double links_mm2 =
      2 * port_bits * arch.noc.link_length_mm * tech.area->link_um2_per_bit_mm.value / 1e6;
  EXPECT_NEAR(noc_mm2(), 4 * port_bits * tech.area->router_um2_per_port_bit.value / 1e6 + links_mm2,
              1e-9);
}

TEST(AreaModel, SevenNanometreScalesLogicSramAndWiresByTheirOwnFactors) {
  const TechTable t45 = Tech("45nm");
  const TechTable t7 = Tech("7nm");
  EXPECT_NEAR(t7.area->Pe("int8_mac").value, 0.043 * t45.area->Pe("int8_mac").value, 1e-9);
  EXPECT_NEAR(t7.area->SramUm2PerKiB(256 * 1024), 0.078 * t45.area->SramUm2PerKiB(256 * 1024),
              1e-9);
  EXPECT_NEAR(t7.area->link_um2_per_bit_mm.value, 0.29 * t45.area->link_um2_per_bit_mm.value, 1e-9);
  EXPECT_NE(t7.area->Pe("int8_mac").source.find("scaled x0.043"), std::string::npos);
  const ArchConfig arch = Arch("default", t45);
  EXPECT_LT(ComputeArea(arch, *t7.area).total_mm2, 0.1 * ComputeArea(arch, *t45.area).total_mm2);
}

TEST(AreaModel, IsoAreaSizingLandsWithinOneStepOfTheTarget) {
  const TechTable tech = Tech("45nm");
  const ArchConfig base = Arch("default", tech);
  const double target = ComputeArea(base, *tech.area).total_mm2;
  // The default design is the largest 16x16-family member that fits its own area.
  const IsoAreaResult same = SizeToArea(base, *tech.area, target, IsoAreaKnob::kArray, 1);
  EXPECT_EQ(same.value, 16);
  // An fp16 array in the int8 chip's area: fewer, larger PEs.
  const ArchConfig fp16 = Arch("mesh4x4-fp16", tech);
  for (std::int64_t step : {1, 4}) {
    const IsoAreaResult r = SizeToArea(fp16, *tech.area, target, IsoAreaKnob::kArray, step);
    EXPECT_EQ(r.value % step, 0);
    EXPECT_EQ(r.arch.tile.rows, r.value);
    EXPECT_EQ(r.arch.tile.cols, r.value);
    EXPECT_LT(r.value, 16);
    EXPECT_LE(r.area_mm2, target);
    EXPECT_GT(r.next_area_mm2, target);
    EXPECT_DOUBLE_EQ(r.area_mm2, ComputeArea(r.arch, *tech.area).total_mm2);
    ArchConfig next = r.arch;
    next.tile.rows = next.tile.cols = r.value + step;
    EXPECT_DOUBLE_EQ(r.next_area_mm2, ComputeArea(next, *tech.area).total_mm2);
  }
  // SRAM: a ternary chip in the int8 chip's area has room for more SRAM per tile.
  const ArchConfig ternary = Arch("mesh4x4-ternary", tech);
  const IsoAreaResult s = SizeToArea(ternary, *tech.area, target, IsoAreaKnob::kSram, 1024);
  EXPECT_GT(s.value, 256 * 1024);
  EXPECT_EQ(s.value % 1024, 0);
  EXPECT_LE(s.area_mm2, target);
  EXPECT_GT(s.next_area_mm2, target);
  EXPECT_THROW(SizeToArea(base, *tech.area, 1e-3, IsoAreaKnob::kArray, 1), std::invalid_argument);
}

class AreaTable : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const std::string dir = test::FreshDir(
        std::string("area-") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    const std::string path = dir + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  // The shipped 45 nm table with its area section's text replaced by `area`.
  std::string With(const std::string& area) {
    std::ifstream in(test::SourceDir() + "/configs/tech/45nm.yaml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text = text.substr(0, text.find("\narea:"));
    return Write("t.yaml", text + "\n" + area);
  }
};

constexpr const char* kGoodArea = R"(area:
  pe:
    int8_mac: {um2: 600, source: a}
  vector_lane: {um2: 3000, source: b}
  sram:
    points:
      - {capacity: 8 KiB, um2_per_kib: 7000, source: c}
      - {capacity: 1 MiB, um2_per_kib: 4000, source: c}
  router: {um2_per_port_bit: 800, source: d}
  link: {um2_per_bit_mm: 300, source: e}
  tile_other: {um2: 20000, source: f}
)";

TEST_F(AreaTable, AWellFormedSectionLoads) {
  const TechTable t = LoadTechTable(With(kGoodArea));
  ASSERT_TRUE(t.area);
  EXPECT_EQ(t.area->Pe("int8_mac").value, 600);
  EXPECT_EQ(t.area->SramUm2PerKiB(4 * 1024), 7000);         // clamped below the first point
  EXPECT_EQ(t.area->SramUm2PerKiB(8 * 1024 * 1024), 4000);  // and above the last
  EXPECT_THROW(t.area->Pe("fp16_mac"), std::out_of_range);
}

TEST_F(AreaTable, ABadEntryIsALocatedOneLineError) {
  std::string bad = kGoodArea;
  bad.replace(bad.find("um2: 600"), 8, "um2: -60");
  const std::string path = With(bad);
  const std::string error = test::ErrorOf([&] { LoadTechTable(path); });
  EXPECT_EQ(error.find(path + ":"), 0u) << error;
  EXPECT_NE(error.find("'area.pe.int8_mac.um2'"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;

  std::string typo = kGoodArea;
  typo.replace(typo.find("um2_per_bit_mm"), 14, "um2_per_bit");
  EXPECT_NE(test::ErrorOf([&] { LoadTechTable(With(typo)); }).find("area.link"), std::string::npos);

  std::string growing = kGoodArea;
  growing.replace(growing.find("um2_per_kib: 4000"), 17, "um2_per_kib: 9000");
  EXPECT_NE(test::ErrorOf([&] {
              LoadTechTable(With(growing));
            }).find("area per KiB must not grow with capacity"),
            std::string::npos);

  std::string missing = kGoodArea;
  missing.erase(missing.find("  tile_other"));
  EXPECT_NE(test::ErrorOf([&] { LoadTechTable(With(missing)); }).find("tile_other"),
            std::string::npos);
}

}  // namespace
}  // namespace pjsim
