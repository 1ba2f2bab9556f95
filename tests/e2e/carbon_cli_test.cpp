// The carbon footprint as a user gets it: report.json's `carbon` section (parts that multiply
// out, per token and per million tokens, the paper's equivalents), the summary line, --carbon and
// --pue changing only that section, re-pricing keeping it consistent, and a sweep's own carbon in
// its store adding up over resumed invocations (docs/CARBON.md).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "sim/config/json_reader.h"
#include "sim/report/json_text.h"
#include "sim/report/json_writer.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

std::string Src(const std::string& relative) { return test::SourceDir() + "/" + relative; }

YAML::Node Report(const std::string& dir) {
  const std::string path = dir + "/report.json";
  return LoadJson(ReadInputFile(path), path);
}

double Num(const YAML::Node& n) { return n.as<double>(); }

std::string RunArgs(const std::string& out) {
  return "run --arch " + Src("configs/arch/default.yaml") + " --workload " +
         Src("workloads/ffn_bitnet_prefill128.yaml") +
         " --set workload.phase=prefill --set workload.tokens_per_pass=128 --out " + out;
}

// The report without its carbon section, as JSON text (removes it from `report`, whose copies
// share its nodes).
std::string WithoutCarbon(YAML::Node report) {
  report.remove("carbon");
  JsonWriter j;
  WriteJsonNode(report, j);
  return j.str();
}

TEST(CarbonCli, ReportSectionMultipliesOutAndTheSummaryHasALine) {
  const std::string out = test::FreshDir("carbon_default");
  const test::CommandResult run = test::RunPjsim(RunArgs(out));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("  carbon "), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("g per million tokens (world, 475.00 gCO2e/kWh, PUE 1.67)"),
            std::string::npos)
      << run.output;

  const YAML::Node r = Report(out);
  const YAML::Node c = r["carbon"];
  ASSERT_TRUE(c.IsMap());
  const YAML::Node in = c["inputs"];
  EXPECT_EQ(in["location"].Scalar(), "world");
  EXPECT_EQ(Num(in["carbon_intensity_g_per_kwh"]), 475);
  EXPECT_EQ(Num(in["pue"]), 1.67);
  EXPECT_FALSE(in["carbon_intensity_source"].Scalar().empty());
  EXPECT_FALSE(in["pue_source"].Scalar().empty());

  const double kwh = Num(r["total"]["energy_pj"]) * 1e-12 / 3.6e6;
  EXPECT_DOUBLE_EQ(Num(c["energy_kwh"]), kwh);
  EXPECT_DOUBLE_EQ(Num(c["facility_energy_kwh"]), Num(c["energy_kwh"]) * Num(in["pue"]));
  EXPECT_DOUBLE_EQ(Num(c["per_inference_g"]),
                   Num(c["facility_energy_kwh"]) * Num(in["carbon_intensity_g_per_kwh"]));
  const double tokens = Num(r["run"]["tokens"]);
  EXPECT_EQ(Num(c["tokens"]), 128);
  EXPECT_DOUBLE_EQ(Num(c["per_token_g"]) * tokens, Num(c["per_inference_g"]));
  EXPECT_DOUBLE_EQ(Num(c["per_million_tokens_g"]), Num(c["per_token_g"]) * 1e6);
  const YAML::Node eq = c["equivalents"];
  EXPECT_DOUBLE_EQ(Num(eq["tree_months"]) * Num(eq["tree_month_g"]), Num(c["per_inference_g"]));
  EXPECT_DOUBLE_EQ(Num(eq["car_km"]) * Num(eq["car_g_per_km"]), Num(c["per_inference_g"]));
  EXPECT_GT(Num(c["per_inference_g"]), 0);
}

TEST(CarbonCli, LocationAndPueChangeOnlyTheCarbonSection) {
  const std::string world = test::FreshDir("carbon_world"), fr = test::FreshDir("carbon_fr");
  ASSERT_EQ(test::RunPjsim(RunArgs(world) + " --quiet").exit_code, 0);
  const test::CommandResult run =
      test::RunPjsim(RunArgs(fr) + " --quiet --carbon france --pue 1.1");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(WithoutCarbon(Report(world)), WithoutCarbon(Report(fr)));
  const YAML::Node a = Report(world), b = Report(fr);
  EXPECT_EQ(b["carbon"]["inputs"]["location"].Scalar(), "france");
  EXPECT_EQ(Num(b["carbon"]["inputs"]["pue"]), 1.1);
  // Same energy: the grams scale by the intensities' and PUEs' ratio.
  EXPECT_DOUBLE_EQ(Num(b["carbon"]["per_inference_g"]) / Num(a["carbon"]["per_inference_g"]),
                   (47 * 1.1) / (475 * 1.67));

  const test::CommandResult bad =
      test::RunPjsim(RunArgs(test::FreshDir("carbon_bad")) + " --quiet --carbon frnace");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("did you mean 'france'"), std::string::npos) << bad.output;
}

TEST(CarbonCli, RepricedReportsCarbonFollowsTheNewEnergy) {
  const std::string out = test::FreshDir("carbon_reprice");
  ASSERT_EQ(test::RunPjsim(RunArgs(out) + " --quiet").exit_code, 0);
  const std::string repriced = out + "/repriced.json";
  const test::CommandResult rp =
      test::RunPjsim("reprice " + out + "/report.json --tech " + Src("configs/tech/7nm.yaml") +
                     " --out " + repriced);
  ASSERT_EQ(rp.exit_code, 0) << rp.output;
  const YAML::Node r = LoadJson(ReadInputFile(repriced), repriced);
  const YAML::Node c = r["carbon"];
  EXPECT_NE(Num(r["total"]["energy_pj"]), Num(Report(out)["total"]["energy_pj"]));
  EXPECT_DOUBLE_EQ(Num(c["energy_kwh"]), Num(r["total"]["energy_pj"]) * 1e-12 / 3.6e6);
  EXPECT_DOUBLE_EQ(Num(c["per_inference_g"]), Num(c["energy_kwh"]) * 1.67 * 475);
  EXPECT_DOUBLE_EQ(Num(c["per_token_g"]) * 128, Num(c["per_inference_g"]));
}

TEST(CarbonCli, SweepStoreCarbonAddsUpOverResumedRuns) {
  const std::string dir = test::FreshDir("carbon_sweep");
  const std::string spec = dir + "/spec.yaml";
  std::ofstream(spec) << "name: carbon2\nbase:\n  arch: " << Src("configs/arch/default.yaml")
                      << "\n  workload: " << Src("workloads/ffn_bitnet_prefill128.yaml")
                      << "\naxes:\n  - key: arch.tile.rows\n    values: [16, 32]\n";
  const std::string store = dir + "/store";
  const test::CommandResult first =
      test::RunPjsim("sweep " + spec + " -j 2 --out " + store + " --carbon uk --cpu epyc_7251");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("carbon of this sweep: "), std::string::npos) << first.output;
  const std::string csv = ReadInputFile(store + "/results.csv");
  // The workload names no tokens: the per-inference column only.
  EXPECT_NE(csv.find(",carbon.per_inference_g"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("carbon.per_token_g"), std::string::npos) << csv;
  const test::CommandResult again = test::RunPjsim("sweep " + spec + " --resume --out " + store);
  ASSERT_EQ(again.exit_code, 0) << again.output;

  const std::string path = store + "/carbon.json";
  const YAML::Node c = LoadJson(ReadInputFile(path), path);
  ASSERT_EQ(c["runs"].size(), 2u);
  EXPECT_EQ(Num(c["total"]["runs"]), 2);
  double cpu = 0, grams = 0, points = 0;
  for (const YAML::Node& run : c["runs"]) {
    cpu += Num(run["cpu_seconds"]);
    grams += Num(run["grams"]);
    points += Num(run["points_run"]);
    EXPECT_DOUBLE_EQ(Num(run["energy_kwh"]),
                     Num(run["cpu_seconds"]) * Num(run["w_per_core"]) / 3.6e6);
    EXPECT_DOUBLE_EQ(Num(run["grams"]), Num(run["energy_kwh"]) * Num(run["pue"]) *
                                            Num(run["carbon_intensity_g_per_kwh"]));
  }
  EXPECT_EQ(c["runs"][0]["location"].Scalar(), "uk");
  EXPECT_EQ(Num(c["runs"][0]["w_per_core"]), 15.0);
  EXPECT_EQ(c["runs"][1]["location"].Scalar(), "world");
  EXPECT_EQ(points, 2);  // the resumed invocation ran nothing
  EXPECT_GT(Num(c["runs"][0]["cpu_seconds"]), 0);
  EXPECT_DOUBLE_EQ(Num(c["total"]["cpu_seconds"]), cpu);
  EXPECT_DOUBLE_EQ(Num(c["total"]["grams"]), grams);
  // Each point's report carries the location the sweep ran it with.
  const std::string jsonl = ReadInputFile(store + "/results.jsonl");
  EXPECT_NE(jsonl.find("\"location\":\"uk\""), std::string::npos);
}

}  // namespace
}  // namespace pjsim
