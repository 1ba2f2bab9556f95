// Area end to end: report.json's `area` section (its parts sum to its total, the per-mm2 figures
// follow from it), the terminal summary's area line, `pjsim area --iso-area` within one step of
// its target (and the equal-area study's sizes its answers), sweeps reading area.* names in
// derived columns, and a bad area entry in a technology table failing `pjsim run` with a one-line
// file:line error and exit code 2.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <string>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string Config(const std::string& path) { return test::SourceDir() + "/configs/" + path; }

std::string Write(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// A small prefill workload: two linear layers and a softmax.
std::string TinyWorkload(const std::string& dir) {
  return Write(dir, "tiny.yaml",
               "name: tiny\nphase: prefill\ntokens_per_pass: 64\nlayers:\n"
               "  - {name: up, op: linear, m: 64, k: 256, n: 512, dtype: int8, inputs: []}\n"
               "  - {name: act, op: softmax, m: 64, n: 512, dtype: int8, inputs: [up]}\n"
               "  - {name: down, op: linear, m: 64, k: 512, n: 256, dtype: int8, inputs: [act]}\n");
}

YAML::Node Json(const std::string& text) { return YAML::Load(text); }

TEST(AreaCli, ReportAreaPartsSumToTheTotal) {
  const std::string dir = test::FreshDir("area-report");
  const std::string out = dir + "/out";
  const auto [code, output] =
      test::RunPjsimPair("run --arch " + Config("arch/default.yaml") + " --workload " +
                         TinyWorkload(dir) + " --out " + out);
  ASSERT_EQ(code, 0) << output;
  // The summary's one area line.
  EXPECT_NE(output.find("  area   "), std::string::npos) << output;
  EXPECT_NE(output.find(" peak TOPS/mm2)"), std::string::npos) << output;
  const YAML::Node report = YAML::LoadFile(out + "/report.json");
  const YAML::Node area = report["area"];
  ASSERT_TRUE(area.IsMap());
  const double total = area["total_mm2"].as<double>();
  double sum = 0;
  int parts = 0;
  for (auto it = area["breakdown_mm2"].begin(); it != area["breakdown_mm2"].end(); ++it) {
    sum += it->second.as<double>();
    ++parts;
  }
  EXPECT_EQ(parts, 6);
  EXPECT_NEAR(sum, total, 1e-12 * total);
  EXPECT_TRUE(area["breakdown_mm2"]["pe_array.int8_mac"]);
  EXPECT_TRUE(area["breakdown_mm2"]["sram"]);
  // Per-mm2 figures: peak 4096 PEs x 2 ops x 1 GHz; tokens over the simulated time.
  EXPECT_NEAR(area["peak_tops_per_mm2"].as<double>(), 4096 * 2 * 1e9 / 1e12 / total, 1e-9);
  const double tokens = report["run"]["tokens"].as<double>();
  const double seconds = report["total"]["seconds"].as<double>();
  EXPECT_NEAR(area["tokens_per_s_per_mm2"].as<double>(), tokens / seconds / total,
              1e-9 * tokens / seconds / total);
}

TEST(AreaCli, IsoAreaSizesTheArrayWithinOneStepOfTheTarget) {
  const auto [code, output] =
      test::RunPjsimPair("area --arch " + Config("arch/default.yaml") + " --json");
  ASSERT_EQ(code, 0) << output;
  const double target = Json(output)["total_mm2"].as<double>();
  for (const char* knob : {"array", "sram"}) {
    const auto [c, o] =
        test::RunPjsimPair("area --arch " + Config("arch/mesh4x4-ternary.yaml") + " --iso-area " +
                           std::to_string(target) + " --knob " + knob + " --step 2 --json");
    ASSERT_EQ(c, 0) << o;
    const YAML::Node r = Json(o);
    EXPECT_LE(r["area_mm2"].as<double>(), target) << knob;
    EXPECT_GT(r["next_area_mm2"].as<double>(), target) << knob;
    EXPECT_EQ(r["value"].as<long>() % 2, 0) << knob;
    // The printed --set flags select the sized design: its area is the one reported.
    std::string sets;
    for (const auto& s : r["set"]) sets += " --set '" + s.as<std::string>() + "'";
    const auto [c2, o2] =
        test::RunPjsimPair("area --arch " + Config("arch/mesh4x4-ternary.yaml") + sets + " --json");
    ASSERT_EQ(c2, 0) << o2;
    EXPECT_DOUBLE_EQ(Json(o2)["total_mm2"].as<double>(), r["area_mm2"].as<double>()) << knob;
  }
  // A target below the smallest design is an input error.
  const auto [c3, o3] =
      test::RunPjsimPair("area --arch " + Config("arch/default.yaml") + " --iso-area 0.001");
  EXPECT_EQ(c3, 2) << o3;
  EXPECT_NE(o3.find("no design fits"), std::string::npos) << o3;
}

TEST(AreaCli, ABadAreaEntryFailsTheRunWithALocatedLine) {
  const std::string dir = test::FreshDir("area-bad");
  std::ifstream in(Config("tech/45nm.yaml"));
  std::stringstream text;
  text << in.rdbuf();
  std::string tech = text.str();
  const std::string good = "vector_lane: {um2: 3217,";
  const size_t at = tech.find(good);
  ASSERT_NE(at, std::string::npos);
  tech.replace(at, good.size(), "vector_lane: {um2: zero,");
  const std::string path = Write(dir, "45nm.yaml", tech);
  int line = 1;
  for (size_t i = 0; i < at; ++i) line += tech[i] == '\n';
  const auto [code, output] =
      test::RunPjsimPair("run --arch " + Config("arch/default.yaml") + " --tech " + path +
                         " --workload " + TinyWorkload(dir) + " --out " + dir + "/out --quiet");
  EXPECT_EQ(code, 2) << output;
  EXPECT_EQ(output.find("pjsim run: error: " + path + ":" + std::to_string(line) + ":"), 0u)
      << output;
  EXPECT_NE(output.find("'area.vector_lane.um2'"), std::string::npos) << output;
  EXPECT_EQ(output.find('\n'), output.size() - 1) << output;  // one line
}

TEST(AreaCli, SweepsReadAreaNamesInDerivedColumns) {
  const std::string dir = test::FreshDir("area-sweep");
  const std::string workload = TinyWorkload(dir);
  const std::string spec = Write(dir, "spec.yaml",
                                 "name: area\nbase:\n  arch: " + Config("arch/default.yaml") +
                                     "\n  workload: " + workload +
                                     "\naxes:\n  - {key: arch.tile.sram.capacity, values: [64, "
                                     "512], unit: KiB}\nderived:\n"
                                     "  - {name: mm2, expr: area.total_mm2}\n"
                                     "  - {name: tops_mm2, expr: area.peak_tops_per_mm2}\n");
  const auto [code, output] = test::RunPjsimPair("sweep " + spec + " --out " + dir + "/out");
  ASSERT_EQ(code, 0) << output;
  std::ifstream csv(dir + "/out/results.csv");
  std::string header, small, large;
  std::getline(csv, header);
  std::getline(csv, small);
  std::getline(csv, large);
  const auto last_two = [](const std::string& row) {
    const size_t b = row.rfind(',');
    const size_t a = row.rfind(',', b - 1);
    return std::make_pair(std::stod(row.substr(a + 1, b - a - 1)), std::stod(row.substr(b + 1)));
  };
  EXPECT_EQ(header.substr(header.size() - 13), ",mm2,tops_mm2") << header;
  const auto [small_mm2, small_tops] = last_two(small);
  const auto [large_mm2, large_tops] = last_two(large);
  EXPECT_LT(small_mm2, large_mm2);    // more SRAM, more area
  EXPECT_GT(small_tops, large_tops);  // the same peak over more area
}

// The equal-area BitNet study's array sizes are the iso-area helper's, at both nodes.
TEST(AreaCli, TheEqualAreaStudySizesAreTheHelpersAnswers) {
  const auto r = test::RunCommand(
      "python3 " + test::SourceDir() + "/tools/study_bitnet_area.py check " +
      Config("studies/bitnet_energy_iso_area.yaml") + " " + test::PjsimExecutable() + " 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("iso-area sizes match"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace pjsim
