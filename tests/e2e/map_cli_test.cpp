// `pjsim map`: the ranked mappings of each GEMM layer, best first, agreeing with what `pjsim run`
// chooses for the same layer, and one-line errors (exit 2) for bad flags.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string Arch() { return test::SourceDir() + "/configs/arch/default.yaml"; }
std::string Workload() { return test::SourceDir() + "/workloads/linear_2048x2560x2560.yaml"; }

TEST(MapCli, RanksMappingsBestFirstAndRunChoosesTheFirst) {
  const auto r = test::RunPjsim("map --arch " + Arch() + " --workload " + Workload() + " --top 4");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // "  1  blocks 32x1280x64 grid 4x4 n-inner   <cycles> <energy> <DRAM MB> <ratio> <ratio> <KiB>"
  const std::regex row(
      R"(\n  ([0-9]+) +(blocks [0-9x]+ grid [0-9x]+ [nm]-inner(?: accumulate=array)?(?: single-buffered)?(?: resident=\w+)?) +([0-9]+) )");
  std::vector<std::string> mappings;
  std::vector<double> cycles;
  for (auto it = std::sregex_iterator(r.output.begin(), r.output.end(), row);
       it != std::sregex_iterator(); ++it) {
    EXPECT_EQ(std::stoi((*it)[1]), static_cast<int>(mappings.size()) + 1);
    mappings.push_back((*it)[2]);
    cycles.push_back(std::stod((*it)[3]));
  }
  ASSERT_EQ(mappings.size(), 4u) << r.output;
  // Latency first (ties within 1% go to energy).
  for (size_t i = 1; i < cycles.size(); ++i) EXPECT_GE(cycles[i], cycles[0] * 0.99);
  const std::string dir = test::FreshDir("map_cli_run");
  const auto run = test::RunPjsim("run --arch " + Arch() + " --workload " + Workload() + " --out " +
                                  dir + " --quiet");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::ifstream report(dir + "/report.json");
  std::stringstream text;
  text << report.rdbuf();
  EXPECT_NE(text.str().find("\"chosen\": \"" + mappings[0] + "\""), std::string::npos)
      << mappings[0];
}

TEST(MapCli, SimulateShowsWhatEachMappingSimulatesAlone) {
  const auto r =
      test::RunPjsim("map --arch " + Arch() + " --workload " + Workload() + " --top 2 --simulate");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // "...  SRAM KiB   simulated   error" then rows ending "<KiB> <simulated> <error>%".
  ASSERT_NE(r.output.find("simulated   error"), std::string::npos) << r.output;
  const std::regex row(
      R"(\n  1  (blocks [^\n]*?) +([0-9]+) +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +([0-9]+) +(-?[0-9.]+)%)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.output, m, row)) << r.output;
  const double predicted = std::stod(m[2]), simulated = std::stod(m[3]);
  EXPECT_NEAR(std::stod(m[4]), 100 * (predicted / simulated - 1), 0.06);
  // The first mapping is what `pjsim run` chooses: its simulated cycles are the run's.
  const std::string dir = test::FreshDir("map_cli_simulate");
  const auto run = test::RunPjsim("run --arch " + Arch() + " --workload " + Workload() + " --out " +
                                  dir + " --quiet");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::ifstream report(dir + "/report.json");
  std::stringstream text;
  text << report.rdbuf();
  const std::regex cycles(R"("simulated_cycles": ([0-9.e+]+))");
  const std::string json = text.str();
  std::smatch c;
  ASSERT_TRUE(std::regex_search(json, c, cycles));
  EXPECT_NEAR(std::stod(c[1]), simulated, 1.0);
}

// In decode, a layer the same in every pass is simulated as one pass of it; attention, which
// changes from pass to pass, is shown unsimulated.
TEST(MapCli, SimulateInDecodeTakesTheLayersEveryPassRunsAlike) {
  const std::string base = "map --arch " + test::SourceDir() +
                           "/configs/arch/mesh4x4-ternary.yaml --workload " + test::SourceDir() +
                           "/workloads/bitnet-b1.58-2B-4T.decode128.yaml --top 1 --simulate";
  const std::regex simulated(R"(\n  1  blocks [^\n]*? ([0-9]+) +(-?[0-9.]+)%\n)");
  const std::regex unsimulated(R"(\n  1  blocks [^\n]* +- +-\n)");
  auto r = test::RunPjsim(base + " --layer L0.q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, simulated)) << r.output;
  r = test::RunPjsim(base + " --layer L0.scores");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, unsimulated)) << r.output;
  EXPECT_EQ(r.output.find("warning"), std::string::npos) << r.output;
}

TEST(MapCli, BadFlagsExitTwoWithOneLine) {
  const std::string base = "map --arch " + Arch() + " --workload " + Workload();
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {base + " --top 0", "--top expects an integer in [1, 1000], got '0'"},
           {base + " --layer nope", "no GEMM-family layer named 'nope'"},
           {"map --arch " + Arch(), "missing --workload"},
           {base + " stray", "unexpected argument 'stray'"},
           // Ternary layers on an int8 array: refused as `pjsim run` refuses them.
           {"map --arch " + Arch() + " --workload " + test::SourceDir() +
                "/workloads/bitnet-b1.58-2B-4T.decode128.yaml",
            "layer 'L0.q' has arithmetic ternary, which tile kind 'int8_mac' cannot execute"}}) {
    const auto r = test::RunPjsim(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  }
}

}  // namespace
}  // namespace pjsim
