// A technology table that cannot price part of the chip's area still gives a complete run: the
// report's `area` says what is missing instead of the run failing after it simulated.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string Src(const std::string& relative) { return test::SourceDir() + "/" + relative; }

TEST(AreaUnavailable, ATableWithoutTheSpikeSlotPriceReportsItInsteadOfFailing) {
  const std::string dir = test::FreshDir("area_unavailable");
  // configs/tech/45nm.yaml without its area.spike_slot line.
  std::ifstream in(Src("configs/tech/45nm.yaml"));
  std::ostringstream kept;
  std::string line;
  int dropped = 0;
  while (std::getline(in, line)) {
    if (line.find("spike_slot:") != std::string::npos) {
      ++dropped;
      continue;
    }
    kept << line << "\n";
  }
  ASSERT_EQ(dropped, 1);
  const std::string tech = dir + "/no_slot.yaml";
  std::ofstream(tech) << kept.str();
  const std::string run = "run --quiet --arch " + Src("configs/arch/spiking-mesh4x4.yaml") +
                          " --workload " + Src("workloads/spiking_ffn_prefill128.yaml") +
                          " --tech " + tech;
  const auto batched = test::RunPjsim(run + " --set arch.tile.spike_batch=4 --out " + dir + "/b");
  ASSERT_EQ(batched.exit_code, 0) << batched.output;
  const YAML::Node area = YAML::LoadFile(dir + "/b/report.json")["area"];
  ASSERT_TRUE(area["unavailable"]) << dir;
  EXPECT_NE(area["unavailable"].as<std::string>().find("spike_slot"), std::string::npos);
  // Unbatched, the table prices everything the chip has.
  const auto single = test::RunPjsim(run + " --out " + dir + "/s");
  ASSERT_EQ(single.exit_code, 0) << single.output;
  EXPECT_GT(YAML::LoadFile(dir + "/s/report.json")["area"]["total_mm2"].as<double>(), 0);
}

}  // namespace
}  // namespace pjsim
