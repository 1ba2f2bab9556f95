// `pjsim numerics lmul-error`: prints every row, deterministically, and rejects bad flags.
#include <gtest/gtest.h>

#include "run_command.h"

namespace pjsim {
namespace {

TEST(NumericsCli, LmulErrorTableIsDeterministicAndComplete) {
  const auto a = test::RunPjsim("numerics lmul-error --samples 2000 --seed 3");
  const auto b = test::RunPjsim("numerics lmul-error --samples 2000 --seed 3");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_EQ(a.output, b.output);
  for (const char* row :
       {"lmul e5m4", "lmul e8m3", "round e4m3fn", "round e5m2", "uniform[-1,1)"}) {
    EXPECT_NE(a.output.find(row), std::string::npos) << row;
  }
  EXPECT_EQ(test::RunPjsim("numerics lmul-error --samples 0").exit_code, 2);
  EXPECT_EQ(test::RunPjsim("numerics gamma").exit_code, 2);
}

}  // namespace
}  // namespace pjsim
