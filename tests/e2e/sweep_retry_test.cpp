// `pjsim sweep --resume --retry-failed`: a point that failed (here, on a malformed workload that
// is fixed afterwards) stays failed under a plain --resume and is re-run, and recorded ok, with
// --retry-failed; the points that were ok are not re-run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

const char* kGoodWorkload =
    "name: w\nlayers:\n  - {name: l, op: linear, m: 16, k: 64, n: 64, dtype: int8, inputs: []}\n";

TEST(SweepRetry, RetryFailedRerunsOnlyTheFailedPoints) {
  const std::string dir = test::FreshDir("sweep_retry");
  std::ofstream(dir + "/good.yaml") << kGoodWorkload;
  std::ofstream(dir + "/bad.yaml") << "name: w\nlayers:\n  - {name: l, op: linear, m: 16}\n";
  std::ofstream(dir + "/spec.yaml")
      << "name: retry\nbase: {arch: " << test::SourceDir() << "/configs/arch/default.yaml}\naxes:\n"
      << "  - {key: workload, values: [good.yaml, bad.yaml]}\n";
  const std::string store = dir + "/store";
  const std::string sweep =
      test::PjsimExecutable() + " sweep " + dir + "/spec.yaml -j 1 --out " + store;
  const test::CommandResult first = test::RunCommand(sweep);
  ASSERT_EQ(first.exit_code, 1) << first.output;  // one point failed
  const std::string ok_record = ReadInputFile(store + "/points/0000.json");
  EXPECT_NE(ReadInputFile(store + "/points/0001.json").find("\"failed\""), std::string::npos);

  std::ofstream(dir + "/bad.yaml") << kGoodWorkload;  // the user fixes the workload
  const test::CommandResult plain = test::RunCommand(sweep + " --resume");
  EXPECT_EQ(plain.exit_code, 1) << plain.output;  // nothing to run: the failure stands
  EXPECT_NE(plain.output.find("running 0"), std::string::npos) << plain.output;

  const test::CommandResult retry = test::RunCommand(sweep + " --resume --retry-failed");
  EXPECT_EQ(retry.exit_code, 0) << retry.output;
  EXPECT_NE(retry.output.find("running 1"), std::string::npos) << retry.output;
  EXPECT_NE(ReadInputFile(store + "/points/0001.json").find("\"ok\""), std::string::npos);
  EXPECT_EQ(ReadInputFile(store + "/points/0000.json"), ok_record);  // not re-run

  const test::CommandResult misuse = test::RunCommand(sweep + " --retry-failed");
  EXPECT_EQ(misuse.exit_code, 2) << misuse.output;
  EXPECT_NE(misuse.output.find("give --resume too"), std::string::npos) << misuse.output;
}

}  // namespace
}  // namespace pjsim
