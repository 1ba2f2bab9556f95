// The L-Mul per-multiply claim with its `numerics` run, as `pjsim claims` runs it: the table the
// register keeps is the one `pjsim numerics lmul-attention` prints for the same settings (the
// same computation, called as a library), and the row docs/CLAIMS.md shows is the one the
// command writes.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

TEST(ClaimsNumericsCli, LmulMultiplyQuotesTheCommandsTableAndMatchesTheDocs) {
  const std::string out = test::FreshDir("claims_lmul_multiply");
  const auto run = test::RunPjsim("claims lmul_multiply --dir " + test::SourceDir() +
                                  "/configs/claims --out " + out + " -j 2");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string kept =
      ReadInputFile((fs::path(out) / "runs/lmul_multiply/accuracy/numerics.txt").string());
  const auto printed = test::RunPjsim("numerics lmul-attention --dist gaussian");
  ASSERT_EQ(printed.exit_code, 0) << printed.output;
  EXPECT_EQ(kept, printed.output);

  const std::string md = ReadInputFile((fs::path(out) / "claims.md").string());
  std::istringstream lines(md);
  std::string row;
  while (std::getline(lines, row) && row.rfind("| L-Mul: 95%", 0) != 0) {
  }
  ASSERT_FALSE(row.empty());
  EXPECT_NE(row.find("L-Mul with 4 mantissa bits errs "), std::string::npos) << row;
  EXPECT_NE(ReadInputFile(test::SourceDir() + "/docs/CLAIMS.md").find(row + "\n"),
            std::string::npos)
      << "regenerate docs/CLAIMS.md with tools/claims_docs.sh; row:\n"
      << row;
}

}  // namespace
}  // namespace pjsim
