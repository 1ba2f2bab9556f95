// `pjsim validate --sources`: every price of the shipped technology tables has a primary source
// or an explicit estimate; the estimates are listed one per line (FILE:LINE KEY: reasoning) with
// exit 0; a price without either, with both, or with an estimate under `source:` is rejected
// with file:line and the key.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

// `estimate:` keys (also FIELD_estimate:) outside comments.
size_t EstimateKeys(const std::string& path) {
  std::istringstream in(ReadInputFile(path));
  const std::regex key(R"((^|[ {,])[a-z_]*estimate:)");
  size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    // Keys only: not the text of quoted strings (an area price's source may say "estimate: ...").
    const std::string code =
        std::regex_replace(line.substr(0, line.find('#')), std::regex(R"("[^"]*")"), "\"\"");
    n += static_cast<size_t>(
        std::distance(std::sregex_iterator(code.begin(), code.end(), key), std::sregex_iterator()));
  }
  return n;
}

TEST(SourcesCli, ListsEveryEstimateOfTheShippedTablesAndExitsZero) {
  const std::string dir = test::SourceDir();
  const test::CommandResult r =
      test::RunCommand("cd " + dir + " && " + test::PjsimExecutable() +
                       " validate --sources configs/tech/45nm.yaml configs/tech/7nm.yaml 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const size_t expected =
      EstimateKeys(dir + "/configs/tech/45nm.yaml") + EstimateKeys(dir + "/configs/tech/7nm.yaml");
  EXPECT_GT(expected, 20u);
  EXPECT_NE(r.output.find("\n" + std::to_string(expected) + " estimates (no primary source)\n"),
            std::string::npos)
      << r.output;
  // One line per estimate, file:line key: reasoning.
  const std::regex line(R"(configs/tech/(45|7)nm\.yaml:[0-9]+ [a-z0-9_.]+: .+)");
  size_t lines = 0;
  std::istringstream in(r.output);
  for (std::string l; std::getline(in, l);) lines += std::regex_match(l, line) ? 1 : 0;
  EXPECT_EQ(lines, expected) << r.output;
  // The relabelled prices of issue #18.
  // HBM2E background is derived from its preset's currents now (VDD x IDD3N).
  EXPECT_EQ(r.output.find("dram.hbm2e.background"), std::string::npos) << r.output;
  // 7 nm int32 ops and SRAM accesses: Jouppi et al. ISCA 2021 Table 2 (docs/SOURCES.md#jouppi2021).
  EXPECT_EQ(r.output.find(" ops.int32_add"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find(" ops.int32_mult"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find(" scaling.sram"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find(" sram.points"), std::string::npos) << r.output;
  // LPDDR4 background from Micron datasheet currents; router area from a 45 nm router (Intel SCC).
  EXPECT_EQ(r.output.find("dram.lpddr4.background"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find(" area.router"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("configs/tech/45nm.yaml:54 dram.gddr6.background: "), std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("ops.fp16_add"), std::string::npos);  // BitNet Table 2: a source
  // Sourced since (docs/SOURCES.md#noc): ISAAC's router scaled to 45 nm, a measured 45 nm link.
  EXPECT_EQ(r.output.find(" noc.router"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find(" noc.link"), std::string::npos) << r.output;
  // Leakage is derived from NanGate45 and CACTI 6.5 at 45 nm, and its 7 nm factors from the ASAP7
  // libraries (docs/SOURCES.md#leakage-7nm).
  EXPECT_EQ(r.output.find(" leakage."), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("scaling.leakage"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("scaling.sram_leakage"), std::string::npos) << r.output;
}

std::string WriteTable(const std::string& name, const std::string& int8_add) {
  const std::string path = test::FreshDir(name) + "/t.yaml";
  std::ofstream(path) << "base: " << test::SourceDir() << "/configs/tech/45nm.yaml\n"
                      << "node: t\nvoltage: 0.9 V\nclock: 1 GHz\nsource: \"test\"\n"
                      << "scaling: {rule: voltage}\n"
                      << "ops:\n  int8_add: {energy: 0.03 pJ" << int8_add << "}\n";
  return path;
}

TEST(SourcesCli, APriceWithoutSourceOrEstimateIsRejectedWithFileLineAndKey) {
  const std::string path = WriteTable("sources_none", "");
  const test::CommandResult r = test::RunPjsim("validate --sources " + path);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(path +
                          ":8:13: 'ops.int8_add': the price 'ops.int8_add.energy' needs 'source:'"),
            std::string::npos)
      << r.output;
}

TEST(SourcesCli, BothOrAnEstimateUnderSourceIsRejected) {
  const std::string both = WriteTable("sources_both", ", source: \"x\", estimate: \"y\"");
  test::CommandResult r = test::RunPjsim("validate " + both);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(both + ":8:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("'ops.int8_add.estimate': give 'source:' or 'estimate:', not both"),
            std::string::npos)
      << r.output;
  const std::string mislabelled = WriteTable("sources_mislabel", ", source: \"estimate: y\"");
  r = test::RunPjsim("validate " + mislabelled);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("'ops.int8_add.source': an estimate goes under 'estimate:'"),
            std::string::npos)
      << r.output;
}

TEST(SourcesCli, AnEntryOverridingItsBaseReplacesTheBasesEstimate) {
  // 45nm.yaml's fp16_exp is an estimate; a table that sources it lists it no more.
  const std::string path = WriteTable("sources_override", ", source: \"x\"");
  std::ofstream(path, std::ios::app) << "  fp16_exp: {energy: 2 pJ, source: \"a paper\"}\n";
  const test::CommandResult r = test::RunPjsim("validate --sources " + path);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("ops.fp16_exp.energy"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("45nm.yaml:29 ops.fp16_div.energy: "), std::string::npos) << r.output;
}

TEST(SourcesCli, AreaPricesCarryASourceOrAnEstimateToo) {
  const std::string dir = test::SourceDir();
  test::CommandResult r = test::RunCommand("cd " + dir + " && " + test::PjsimExecutable() +
                                           " validate --sources configs/tech/45nm.yaml 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(" area.tile_other.um2: sequencer"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(" area.sram.points.0.um2_per_kib: array efficiency"), std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find(" area.pe.int8_mac.um2"), std::string::npos) << r.output;  // derived
  // A derived table without an area section lists none of its base's area estimates.
  const std::string plain = WriteTable("sources_no_area", ", source: \"x\"");
  r = test::RunPjsim("validate --sources " + plain);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find(" area."), std::string::npos) << r.output;
  // An area price with neither is refused at its entry.
  const std::string bare = WriteTable("sources_area_bare", ", source: \"x\"");
  std::ofstream(bare, std::ios::app) << "area:\n  tile_other: {um2: 1000}\n";
  r = test::RunPjsim("validate " + bare);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(":10:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("the price 'area.tile_other.um2' needs 'source:'"), std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace pjsim
