// The pjsim executable as a user runs it: outputs on success, exit code 2 and a one-line
// file:line:col message on every kind of bad input, and no report left behind on failure.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using Outcome = test::CommandResult;
using test::RunPjsim;

std::string Arch() { return test::SourceDir() + "/configs/arch/default.yaml"; }
std::string Ffn() { return test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml"; }

std::string WriteFile(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(Cli, RunWritesReportLayersAndResolvedConfig) {
  const std::string out = test::FreshDir("cli_run");
  const Outcome o = RunPjsim("run --arch " + Arch() + " --workload " + Ffn() + " --out " + out);
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("energy by category"), std::string::npos);
  EXPECT_EQ(o.output.find("Copyright"), std::string::npos);  // no SystemC banner
  for (const char* f : {"report.json", "layers.csv", "config.yaml"}) {
    EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
  }
  std::ifstream in(out + "/report.json");
  const std::string report((std::istreambuf_iterator<char>(in)), {});
  for (const char* key :
       {"\"total\"", "\"energy_pj\"", "\"cycles\"", "\"seconds\"", "\"energy_by_category\"",
        "\"counts\"", "\"layers\"", "\"config\"", "\"pjsim_version\""}) {
    EXPECT_NE(report.find(key), std::string::npos) << key;
  }
}

TEST(Cli, BadInputsExitTwoWithLocatedOneLineMessages) {
  const std::string dir = test::FreshDir("cli_bad");
  struct Case {
    std::string args;
    std::string expected;
  };
  const std::string unknown_key = WriteFile(
      dir, "unknown.yaml",
      "name: x\nlayers:\n  - {name: a, op: linear, m: 4, k: 8, n: 8, dtype: int8, colour: red}\n");
  const std::string negative =
      WriteFile(dir, "negative.yaml",
                "name: x\nlayers:\n  - {name: a, op: linear, m: -4, k: 8, n: 8, dtype: int8}\n");
  const std::string missing =
      WriteFile(dir, "missing.yaml",
                "name: x\nlayers:\n  - {name: a, op: linear, k: 8, n: 8, dtype: int8}\n");
  const std::string wrong_type =
      WriteFile(dir, "type.yaml",
                "name: x\nlayers:\n  - {name: a, op: linear, m: four, k: 8, n: 8, dtype: int8}\n");
  const std::string syntax = WriteFile(dir, "syntax.yaml", "name: x\nlayers: [\n");
  const std::string huge = WriteFile(
      dir, "huge.yaml",
      "name: x\nlayers:\n  - {name: a, op: linear, m: 99999999999, k: 8, n: 8, dtype: int8}\n");
  const std::vector<Case> cases = {
      {"run --arch " + Arch() + " --workload " + unknown_key,
       "unknown.yaml:3:58: unknown key 'layers.0.colour'"},
      {"run --arch " + Arch() + " --workload " + negative,
       "negative.yaml:3:30: 'layers.0.m': must be >= 1"},
      {"run --arch " + Arch() + " --workload " + missing,
       "missing.yaml:3:5: 'layers.0': missing required key 'm'"},
      {"run --arch " + Arch() + " --workload " + wrong_type,
       "'layers.0.m': expected an integer, got 'four'"},
      {"run --arch " + Arch() + " --workload " + syntax, "syntax.yaml:3:1: YAML syntax error"},
      {"run --arch " + Arch() + " --workload " + Ffn() + " --set 'arch.clock=1 parsec'",
       "unknown unit 'parsec'"},
      {"run --arch " + Arch() + " --workload " + Ffn() + " --set arch.dram.type=ddr9",
       "DRAM type 'ddr9'"},
      {"run --arch " + Arch() + " --workload " + Ffn() + " --set tech.node=3nm --set tech.nodez=1",
       "unknown key 'nodez'"},
      {"run --arch " + Arch() + " --workload /nonexistent.yaml", "/nonexistent.yaml: no such file"},
      {"run --arch " + Arch(), "missing --workload"},
      {"run --arch " + Arch() + " --workload " + Ffn() + " --bogus", "unknown option '--bogus'"},
      {"frobnicate", "unknown command 'frobnicate'"},
      {"run --arch " + Arch() + " --workload " + huge, "huge.yaml:3:5: layer 'a' would need"},
      {"run --arch " + Arch() + " --workload " + Ffn() + " --set arch.mesh.width=100000",
       "must be <= 256"},
  };
  for (const auto& c : cases) {
    const Outcome o = RunPjsim(c.args);
    EXPECT_EQ(o.exit_code, 2) << c.args << "\n" << o.output;
    EXPECT_NE(o.output.find(c.expected), std::string::npos) << c.args << "\n" << o.output;
    EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << o.output;
  }
}

TEST(Cli, FailedRunLeavesNoReport) {
  const std::string out = test::FreshDir("cli_fail");
  const Outcome o = RunPjsim("run --arch " + Arch() + " --workload " + Ffn() +
                             " --set arch.tile.sram.capacity=1B --out " + out);
  EXPECT_NE(o.exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(out + "/report.json"));
}

TEST(Cli, ValidateAcceptsShippedConfigsAndHelpDocumentsFlags) {
  const Outcome ok = RunPjsim("validate " + Arch() + " " + Ffn() + " " + test::SourceDir() +
                              "/configs/tech/7nm.yaml");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  const Outcome help = RunPjsim("run --help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag : {"--arch", "--workload", "--tech", "--set", "--out"}) {
    EXPECT_NE(help.output.find(flag), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace pjsim
