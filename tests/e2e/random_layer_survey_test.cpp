// tools/random_layer_survey.py (docs/MAPPING.md, "Random configurations"): a case's error is its
// run's own report (the pick's predicted / simulated cycles), the same seed draws the same cases
// and gives the same results, --compare of two such surveys finds nothing moved, the layers are
// in an arithmetic the architecture's tile kind runs (probed, or --layer), and bad arguments are
// one line with exit status 2.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

std::string Survey(const std::string& args) {
  return "python3 " + test::SourceDir() + "/tools/random_layer_survey.py --pjsim " +
         test::PjsimExecutable() + " " + args;
}

// The number after `"key": ` at or after `from` in a JSON text.
double NumberAfter(const std::string& json, const std::string& key, size_t from = 0) {
  const size_t at = json.find("\"" + key + "\": ", from);
  EXPECT_NE(at, std::string::npos) << key;
  return at == std::string::npos ? NAN : std::stod(json.substr(at + key.size() + 4));
}

TEST(RandomLayerSurvey, ACaseIsItsReportAndASeedDrawsTheSameCases) {
  const fs::path a = test::FreshDir("random_layer_survey_a");
  const fs::path b = test::FreshDir("random_layer_survey_b");
  const std::string arch = test::SourceDir() + "/configs/arch/default.yaml";
  for (const fs::path& out : {a, b}) {
    const test::CommandResult r = test::RunCommand(
        Survey("--arch " + arch + " --out " + out.string() + " --count 4 --seed 7"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("4 cases on "), std::string::npos) << r.output;
  }
  const std::string results = ReadInputFile((a / "results.json").string());
  EXPECT_EQ(results, ReadInputFile((b / "results.json").string()));
  // Case 0's error, as its report gives it.
  const std::string report = ReadInputFile((a / "case0000/run/report.json").string());
  const double error =
      NumberAfter(report, "predicted_cycles") / NumberAfter(report, "simulated_cycles") - 1;
  const size_t case0 = results.find("\"index\": 0");
  ASSERT_NE(case0, std::string::npos) << results;
  EXPECT_NEAR(NumberAfter(results, "error", case0), error, 1e-9);
  const test::CommandResult c =
      test::RunCommand(Survey("--compare " + a.string() + " " + b.string()));
  ASSERT_EQ(c.exit_code, 0) << c.output;
  EXPECT_NE(c.output.find("4 cases in both"), std::string::npos) << c.output;
  EXPECT_NE(c.output.find("geometric mean 1.0000, 0 cases slower by > 1%, 0 faster"),
            std::string::npos)
      << c.output;
}

TEST(RandomLayerSurvey, TheLayersAreInAnArithmeticTheTileKindRuns) {
  // An L-Mul array runs no int8 layer and a spiking array only spike trains: the probe finds
  // each its own (the run's config records the layer's arithmetic), and --layer names one.
  struct Case {
    std::string arch, extra, expect;
  };
  for (const Case& c :
       {Case{"mesh4x4-lmul.yaml", "", "lmul-fp16"}, Case{"spiking-mesh4x4.yaml", "", "spiking"},
        Case{"mesh4x4-ternary.yaml", "", "arithmetic: ternary"},
        Case{"mesh4x4-ternary.yaml", " --layer 'dtype: int8'", "dtype: int8}"}}) {
    const fs::path out = test::FreshDir("random_layer_survey_kind");
    const test::CommandResult r =
        test::RunCommand(Survey("--arch " + test::SourceDir() + "/configs/arch/" + c.arch +
                                " --out " + out.string() + " --count 2 --seed 3" + c.extra));
    ASSERT_EQ(r.exit_code, 0) << c.arch << c.extra << "\n" << r.output;
    const std::string workload = ReadInputFile((out / "case0000/w.yaml").string());
    EXPECT_NE(workload.find(c.expect), std::string::npos) << c.arch << c.extra << "\n" << workload;
    EXPECT_NE(r.output.find("2 ran"), std::string::npos) << r.output;
  }
}

TEST(RandomLayerSurvey, BadArgumentsAreOneLineAndExitTwo) {
  for (const std::string& args : std::vector<std::string>{
           "--count x", "--count 0 --arch a --out b", "--frobnicate", "--out /tmp/pjsim_rls_none",
           "--arch no-such-arch.yaml --out /tmp/pjsim_rls_none",
           "--compare /nonexistent /nonexistent",
           "--arch " + test::SourceDir() + "/configs/arch/mesh4x4-lmul.yaml --out " +
               test::FreshDir("random_layer_survey_refused") + " --count 1 --layer 'dtype: int8'",
           "--arch " + test::SourceDir() + "/configs/arch/default.yaml --out " +
               test::FreshDir("random_layer_survey_shape") +
               " --count 1 --layer 'm: 5, dtype: int8'",
           "--arch " + test::SourceDir() + "/configs/arch/default.yaml --out " +
               test::FreshDir("random_layer_survey_syntax") + " --count 1 --layer 'dtype: {'"}) {
    test::ExpectOneLineExitTwo(test::RunCommand(Survey(args)), "random_layer_survey.py: ", args);
  }
}

}  // namespace
}  // namespace pjsim
