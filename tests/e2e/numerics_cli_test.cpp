// `pjsim numerics lmul-error` and `lmul-attention`: print every row, deterministically, and
// reject bad flags with one line.
#include <gtest/gtest.h>

#include <algorithm>

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

TEST(NumericsCli, LmulAttentionTablesAreDeterministicAndComplete) {
  const std::string small = "numerics lmul-attention --n-q 4 --n-kv 16 --head-dim 16 --trials 1";
  const auto a = test::RunPjsim(small + " --seed 3");
  const auto b = test::RunPjsim(small + " --seed 3");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_EQ(a.output, b.output);
  for (const char* row :
       {"gaussian", "outliers(k: 1/16 ch x20)", "student-t(nu=4)", "mul e4m3fn, exact product",
        "mul e5m2, product rounded", "lmul e8m4 (m=4, l=3)", "lmul fp32 (m=23, l=4)"}) {
    EXPECT_NE(a.output.find(row), std::string::npos) << row;
  }
  const auto c = test::RunPjsim(small + " --seed 4");
  EXPECT_NE(a.output, c.output);

  const auto json = test::RunPjsim(
      small +
      " --dist outliers --outlier-fraction 0.25 --outlier-scale 50 --outlier-tensors qk "
      "--json");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  EXPECT_EQ(json.output.rfind("{", 0), 0u) << json.output;
  EXPECT_NE(json.output.find("\"distribution\": \"outliers(qk: 4/16 ch x50)\""), std::string::npos)
      << json.output;
  EXPECT_NE(json.output.find("\"rel_frobenius\""), std::string::npos);
  EXPECT_EQ(json.output.find("gaussian"), std::string::npos);
  const auto t = test::RunPjsim(small + " --dist student-t --nu 7");
  ASSERT_EQ(t.exit_code, 0) << t.output;
  EXPECT_NE(t.output.find("student-t(nu=7)"), std::string::npos);
}

TEST(NumericsCli, LmulAttentionRejectsBadFlagsWithOneLine) {
  for (const char* bad :
       {"numerics lmul-attention --dist cauchy", "numerics lmul-attention --n-q 0",
        "numerics lmul-attention --head-dim 5000", "numerics lmul-attention --trials x",
        "numerics lmul-attention --outlier-tensors kz", "numerics lmul-attention --nu 0",
        "numerics lmul-attention --outlier-scale -1",
        "numerics lmul-attention --outlier-fraction 2", "numerics lmul-attention --samples 10",
        "numerics lmul-error --json", "numerics lmul-error --dist gaussian",
        "numerics lmul-attention extra", "numerics lmul-attention --n-q 4096 --n-kv 8192"}) {
    const auto r = test::RunPjsim(bad);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << bad << ": " << r.output;
    EXPECT_NE(r.output.find("error: "), std::string::npos) << bad << ": " << r.output;
  }
}

}  // namespace
}  // namespace pjsim
