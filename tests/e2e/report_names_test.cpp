// The names a sweep spec may use for report keys (sim/sweep/report_metrics.h) are exactly the
// keys reports have: every total.*, simulation.*, run.* and power_gating.* key of real reports
// (prefill and decode token workloads, a single-pass layer, power gating on) passes the spec
// check, and misspelt ones are refused at spec time with a did-you-mean.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "sim/sweep/report_metrics.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string Src(const std::string& path) { return test::SourceDir() + "/" + path; }

TEST(ReportNames, EveryKeyOfRealReportsPassesTheSpecCheck) {
  const std::string dir = test::FreshDir("report_names");
  const struct {
    const char* arch;
    const char* workload;
    const char* sets;
  } kRuns[] = {
      {"default.yaml", "workloads/ffn_bitnet_prefill128.yaml",
       "--set arch.power_gating.policy=immediate --set arch.power_gating.gated_state=retention"},
      {"default.yaml", "workloads/linear_2048x2560x2560.yaml", ""},
      {"mesh4x4-ternary.yaml", "workloads/bitnet-b1.58-2B-4T.decode128.yaml",
       "--set workload.decode_tokens=2"},
  };
  int checked = 0, run = 0;
  for (const auto& r : kRuns) {
    const std::string out = dir + "/run" + std::to_string(run++);
    const test::CommandResult c = test::RunCommand(
        test::PjsimExecutable() + " run --arch " + Src(std::string("configs/arch/") + r.arch) +
        " --workload " + Src(r.workload) + " " + r.sets + " --quiet --out " + out);
    ASSERT_EQ(c.exit_code, 0) << c.output;
    const YAML::Node report = YAML::Load(ReadInputFile(out + "/report.json"));
    for (const auto& [name, value] : sweep::FlattenReport(report, YAML::Node())) {
      for (const char* prefix : {"total.", "simulation.", "run.", "power_gating."}) {
        if (name.rfind(prefix, 0) != 0) continue;
        EXPECT_EQ(sweep::CheckReportName(name), "") << r.workload;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 40);
  for (const char* bad : {"run.tokenz", "power_gating.domains.0.cycles_in_state.sleep",
                          "power_gating.domains.x.gatings", "power_gating.polcy",
                          "simulation.gather_overfetch", "total.energy"}) {
    EXPECT_NE(sweep::CheckReportName(bad), "") << bad;
  }
}

}  // namespace
}  // namespace pjsim
