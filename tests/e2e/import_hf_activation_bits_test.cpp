// import-hf --activation-bits: the quantized-ANN variant of an imported model (workload-wide
// activation_bits), validated and runnable; out-of-range or contradictory flags exit 2.
#include <gtest/gtest.h>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

const std::string kConfig = "/workloads/hf/bitnet-b1.58-2B-4T.config.json";

TEST(ImportHfActivationBits, WritesWorkloadWideBitsThatRun) {
  const std::string dir = test::FreshDir("import_activation_bits");
  const test::CommandResult r =
      test::RunPjsim("import-hf " + test::SourceDir() + kConfig + " -o " + dir +
                     "/w.yaml --seq 16 --layers 1 --no-lm-head --weights int8 --activation-bits 4");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(ReadInputFile(dir + "/w.yaml").find("\nactivation_bits: 4\n"), std::string::npos);
  const test::CommandResult run =
      test::RunPjsim("run --arch " + test::SourceDir() + "/configs/arch/default.yaml --workload " +
                     dir + "/w.yaml --out " + dir + "/out --quiet");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string report = ReadInputFile(dir + "/out/report.json");
  EXPECT_NE(report.find("\"int4x8_mult\""), std::string::npos);
  EXPECT_NE(report.find("\"activation_bits\": 4"), std::string::npos);
}

TEST(ImportHfActivationBits, BadFlagsExitTwo) {
  const std::string dir = test::FreshDir("import_activation_bits_bad");
  const std::string base = "import-hf " + test::SourceDir() + kConfig + " -o " + dir + "/w.yaml ";
  const test::CommandResult wide = test::RunPjsim(base + "--activation-bits 9");
  EXPECT_EQ(wide.exit_code, 2);
  EXPECT_NE(wide.output.find("--activation-bits must be in [1, 8]"), std::string::npos)
      << wide.output;
  const test::CommandResult both = test::RunPjsim(base + "--activation-bits 4 --spiking T=4");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.output.find("exclude each other"), std::string::npos) << both.output;
}

}  // namespace
}  // namespace pjsim
