// `pjsim dram-bench` as a user runs it: the JSON keys, determinism, --set, and one-line errors
// with exit code 2.
#include <gtest/gtest.h>

#include <string>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::RunCommand;
using test::RunPjsim;

std::string Preset() { return test::SourceDir() + "/configs/dram/ddr4-3200-x8.yaml"; }

TEST(DramBenchCli, JsonHasExactlyTheDocumentedKeys) {
  const auto r = RunPjsim("dram-bench --dram " + Preset() +
                          " --pattern random-mix --requests 2000 --seed 7 --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* key : {"\"bandwidth_GBps\"",
                          "\"peak_bandwidth_GBps\"",
                          "\"avg_read_latency_ns\"",
                          "\"p99_read_latency_ns\"",
                          "\"row_hit_rate\"",
                          "\"commands\"",
                          "\"ACT\"",
                          "\"PRE\"",
                          "\"RD\"",
                          "\"WR\"",
                          "\"REF\"",
                          "\"energy_pJ\"",
                          "\"act\"",
                          "\"read\"",
                          "\"write\"",
                          "\"refresh\"",
                          "\"background\"",
                          "\"total\"",
                          "\"energy_pJ_per_bit\"",
                          "\"simulated_ns\""}) {
    EXPECT_NE(r.output.find(key), std::string::npos) << key;
  }
  EXPECT_NE(r.output.find("\"peak_bandwidth_GBps\": 25.6"), std::string::npos) << r.output;
  // Deterministic for a seed, different for another.
  EXPECT_EQ(RunPjsim("dram-bench --dram " + Preset() +
                     " --pattern random-mix --requests 2000 --seed 7 --json")
                .output,
            r.output);
  EXPECT_NE(RunPjsim("dram-bench --dram " + Preset() +
                     " --pattern random-mix --requests 2000 --seed 8 --json")
                .output,
            r.output);
}

TEST(DramBenchCli, PresetNamesAndSetOverrides) {
  const auto by_name = RunCommand("cd " + test::SourceDir() + " && " + test::PjsimExecutable() +
                                  " dram-bench --dram hbm2e --pattern seq-read --requests 500");
  ASSERT_EQ(by_name.exit_code, 0) << by_name.output;
  EXPECT_NE(by_name.output.find("hbm2e"), std::string::npos) << by_name.output;
  EXPECT_NE(by_name.output.find("% of peak 51.2 GB/s"), std::string::npos) << by_name.output;
  const auto slow = RunPjsim("dram-bench --dram " + Preset() +
                             " --pattern row-stride --requests 500 --set tRC=148 --set tRAS=100"
                             " --json");
  const auto fast =
      RunPjsim("dram-bench --dram " + Preset() + " --pattern row-stride --requests 500 --json");
  ASSERT_EQ(slow.exit_code, 0) << slow.output;
  EXPECT_NE(slow.output, fast.output);
}

TEST(DramBenchCli, BadInputIsOneLineAndExitCodeTwo) {
  const auto expect_error = [](const std::string& args, const std::string& text) {
    const auto r = RunPjsim("dram-bench " + args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_NE(r.output.find(text), std::string::npos) << args << "\n" << r.output;
    EXPECT_EQ(r.output.find('\n'), r.output.size() - 1) << args << "\n" << r.output;
  };
  const std::string dram = "--dram " + Preset();
  expect_error(dram + " --pattern zigzag", "unknown pattern 'zigzag'");
  expect_error(dram + " --pattern seq-read --requests 0", "--requests expects an integer >= 1");
  expect_error(dram + " --pattern random-mix --read-fraction 1.5", "--read-fraction");
  expect_error(dram + " --pattern seq-read --set tRCD=-1", "--set tRCD=-1");
  expect_error(dram + " --pattern seq-read --set tRDC=3", "--set tRDC=3: unknown key 'tRDC'");
  expect_error("--dram no-such-preset --pattern seq-read", "no preset file");
  expect_error("--pattern seq-read", "needs --dram");
  expect_error(dram + " --pattern seq-read --bogus", "bogus");
  // A flag the pattern does not use is an error, not silently ignored.
  expect_error(dram + " --pattern seq-read --stride 128", "--stride: applies to --pattern stride");
}

}  // namespace
}  // namespace pjsim
