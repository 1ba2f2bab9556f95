// tools/prediction_survey.sh (docs/MAPPING.md, "Prediction errors on the shipped workloads"):
// its table row of a run is the run's own report (layer count, the worst layer's predicted /
// simulated cycles), a pair the architecture refuses is listed as refused with pjsim's error,
// --table re-reads an earlier --out, and bad arguments are one line with exit status 2.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

std::string Survey(const std::string& args) {
  return "bash " + test::SourceDir() + "/tools/prediction_survey.sh --pjsim " +
         test::PjsimExecutable() + " " + args;
}

TEST(PredictionSurvey, ReportsEachRunsWorstLayerAndTheRefusedPairs) {
  const fs::path out = test::FreshDir("prediction_survey");
  const test::CommandResult r =
      test::RunCommand(Survey("--arch default --workload '*_prefill128' --out " + out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // The FFN's three layers, the worst as its report has it.
  const std::string report =
      ReadInputFile((out / "runs/default--ffn_bitnet_prefill128/report.json").string());
  double worst = 0;
  std::string worst_name;
  for (const std::string name : {"gate", "up", "down"}) {
    const size_t at = report.find("\"name\": \"" + name + "\"");
    ASSERT_NE(at, std::string::npos);
    const auto number_after = [&](const std::string& key) {
      const size_t k = report.find("\"" + key + "\": ", at);
      return std::stod(report.substr(k + key.size() + 4));
    };
    const double e = number_after("predicted_cycles") / number_after("simulated_cycles") - 1;
    if (std::abs(e) > std::abs(worst)) worst = e, worst_name = name;
  }
  char error[32];
  std::snprintf(error, sizeof error, "%+.1f%%", 100 * worst);
  EXPECT_NE(r.output.find("| default | ffn_bitnet_prefill128 | 3 | 0 | " + worst_name + " | " +
                          error + " | blocks "),
            std::string::npos)
      << r.output;
  // Spiking layers on an int8 tile: refused, with pjsim's reason.
  EXPECT_NE(r.output.find("| default | spiking_ffn_prefill128 | refused |"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("on spikes, which tile kind 'int8_mac' cannot execute"),
            std::string::npos)
      << r.output;
  // The same table again from the runs on disk.
  const test::CommandResult again = test::RunCommand(Survey("--table " + out.string()));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(r.output.find(again.output), std::string::npos) << again.output;
}

TEST(PredictionSurvey, BadArgumentsAreOneLineAndExitTwo) {
  for (const std::string args :
       {"--jobs 0", "--decode-tokens x", "--frobnicate",
        "--arch no-such-arch --out /tmp/pjsim_prediction_survey_none", "--table /nonexistent"}) {
    test::ExpectOneLineExitTwo(test::RunCommand(Survey(args)), "prediction_survey.sh: ", args);
  }
}

}  // namespace
}  // namespace pjsim
