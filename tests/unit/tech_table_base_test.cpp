// A technology table may derive from another (`base:`); a loop in that chain, or an absurdly long
// one, is a located error at the `base` key that closes it, not an unbounded recursion.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config_error_text.h"
#include "sim/energy/tech_table.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::ErrorOf;

class TechTableBase : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::FreshDir(std::string("tech-base-") +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  std::string dir_;
};

TEST_F(TechTableBase, ATableCannotBeItsOwnBase) {
  const std::string a = Write("a.yaml", "base: a.yaml\n");
  EXPECT_EQ(ErrorOf([&] { LoadTechTable(a); }), a + ":1:7: 'base': a table cannot be its own base");
}

TEST_F(TechTableBase, ALoopIsNamedAtTheBaseThatClosesIt) {
  const std::string a = Write("a.yaml", "base: b.yaml\n");
  const std::string b = Write("b.yaml", "# second\nbase: ./c.yaml\n");
  Write("c.yaml", "base: a.yaml\n");
  EXPECT_EQ(ErrorOf([&] { LoadTechTable(a); }),
            dir_ +
                "/./c.yaml:1:7: 'base': the 'base:' chain loops: a.yaml -> b.yaml -> c.yaml -> "
                "a.yaml");  // files are named as the chain spelt them; loops are found by
                            // canonical path, so "./c.yaml" and "a.yaml" still close it
  // Entered from the middle, the same loop closes at another table.
  EXPECT_EQ(ErrorOf([&] { LoadTechTable(b); }),
            dir_ +
                "/./a.yaml:1:7: 'base': the 'base:' chain loops: b.yaml -> c.yaml -> a.yaml -> "
                "b.yaml");
}

TEST_F(TechTableBase, AChainLongerThanThirtyTwoTablesIsRefused) {
  for (int i = 0; i < 40; ++i) {
    Write("t" + std::to_string(i) + ".yaml", "base: t" + std::to_string(i + 1) + ".yaml\n");
  }
  const std::string error = ErrorOf([&] { LoadTechTable(dir_ + "/t0.yaml"); });
  EXPECT_EQ(error, dir_ + "/t31.yaml:1:7: 'base': the 'base:' chain is longer than 32 tables");
}

TEST_F(TechTableBase, TheShippedDerivedTableStillLoads) {
  const TechTable t = LoadTechTable(test::SourceDir() + "/configs/tech/7nm.yaml");
  EXPECT_EQ(t.node, "7nm");
  EXPECT_GT(t.Op("int8_add").value, 0.0);
}

// `scaling.sram_leakage` scales the SRAM cells' static power and defaults to `scaling.leakage`,
// which scales the logic components'.
TEST_F(TechTableBase, SramLeakageHasItsOwnFactorDefaultingToTheLogicOne) {
  const TechTable base = LoadTechTable(test::SourceDir() + "/configs/tech/45nm.yaml");
  const auto table = [&](const std::string& name, const std::string& sram_leakage) {
    return LoadTechTable(
        Write(name, "base: " + test::SourceDir() + "/configs/tech/45nm.yaml\n" +
                        "node: t\nvoltage: 0.9 V\nclock: 1 GHz\nsource: \"test\"\n" +
                        "scaling: {rule: factors, logic: 1, wire: 1, leakage: 0.5" + sram_leakage +
                        ", source: \"test\"}\n"));
  };
  const TechTable same = table("same.yaml", "");
  EXPECT_DOUBLE_EQ(same.Leakage("mac_pe").value, 0.5 * base.Leakage("mac_pe").value);
  EXPECT_DOUBLE_EQ(same.sram_leakage_mw_per_kib.value, 0.5 * base.sram_leakage_mw_per_kib.value);
  const TechTable own = table("own.yaml", ", sram_leakage: 0.25");
  EXPECT_DOUBLE_EQ(own.Leakage("mac_pe").value, 0.5 * base.Leakage("mac_pe").value);
  EXPECT_DOUBLE_EQ(own.sram_leakage_mw_per_kib.value, 0.25 * base.sram_leakage_mw_per_kib.value);
}

}  // namespace
}  // namespace pjsim
