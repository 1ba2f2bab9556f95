// The cost model against the simulation on every shipped workload (workloads/*.yaml, whole models
// included; decode for two passes): each mapped layer's predicted cycles within 10% of its
// simulated ones, on every shipped architecture with the `simple` NoC (configs/arch/*.yaml whose
// `noc.model` is absent or `simple`), with either DRAM model. A `jedec` DRAM refreshes: the
// estimate spreads refresh over its sustained rate (the mean share), so a layer that spans one
// refresh interval meets one refresh or none, a phase no estimate made before the run knows (a
// 1.4 k-cycle router with one is 25% slower than without); each layer is allowed one refresh
// (ModelParams::RefreshStallCycles, tRFC) per pass beyond the 10%. Not the `packet` NoC: a
// wormhole train held on a link de-phases the channels in ways the estimate does not follow
// (docs/MAPPING.md, Known limits). Both lists are read when the suite is listed, so an
// architecture or workload added to the tree is checked without a change here; a pair whose tile
// kind cannot run the workload's arithmetic is skipped, as `pjsim run` refuses it.
// docs/MAPPING.md ("Prediction errors on the shipped workloads") has the figures on every shipped
// architecture, the `packet` ones included (tools/prediction_survey.sh).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "sim/arch/tile_kind.h"
#include "sim/config/config_error.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

struct ShippedPair {
  std::string arch;      // file under configs/arch/
  std::string workload;  // file under workloads/
};

void PrintTo(const ShippedPair& pair, std::ostream* os) {
  *os << pair.arch << " " << pair.workload;
}

// The .yaml files of a source directory, sorted (a stable test order on every machine).
std::vector<std::string> YamlFiles(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(test::SourceDir() + "/" + dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      files.push_back(entry.path().filename().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool SimpleModel(const YAML::Node& arch, const char* section) {
  const YAML::Node part = arch[section];
  return !part || !part["model"] || part["model"].as<std::string>() == "simple";
}

std::vector<ShippedPair> ShippedPairs() {
  std::vector<std::string> archs;
  for (const std::string& a : YamlFiles("configs/arch")) {
    const YAML::Node arch = YAML::LoadFile(test::ArchFile(a));
#ifdef PJSIM_SANITIZED_BUILD
    // Under the sanitizers (ten times slower) the accelerator alone: the others run the
    // same code on other shapes, and the regular suite checks them all.
    if (a != "mesh8x8-int8-hbm.yaml") continue;
#endif
    if (SimpleModel(arch, "noc")) archs.push_back(a);
  }
  const std::vector<std::string> workloads = YamlFiles("workloads");
  std::vector<ShippedPair> pairs;
  for (const std::string& a : archs) {
    for (const std::string& w : workloads) pairs.push_back({a, w});
  }
  return pairs;
}

std::string PairName(const ::testing::TestParamInfo<ShippedPair>& info) {
  std::string name = info.param.arch.substr(0, info.param.arch.size() - 5) + "__" +
                     info.param.workload.substr(0, info.param.workload.size() - 5);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class ShippedPredictions : public ::testing::TestWithParam<ShippedPair> {};

TEST_P(ShippedPredictions, EveryMappedLayerWithinTenPercent) {
  const std::string arch = "configs/arch/" + GetParam().arch;
  const std::string workload = "workloads/" + GetParam().workload;
  RunConfig config = test::LoadSourceYaml(arch, workload);
  const auto kind = MakeTileKind(config.arch.tile);
  try {
    RequireKindRunsLayers(config.arch.tile, *kind, config.workload.graph->layers());
  } catch (const ConfigError& e) {  // the tile kind cannot run the arithmetic: nothing to map
    GTEST_SKIP() << e.what();
  }
  // Two passes, as tools/prediction_survey.sh runs decode: the second sees the first's KV cache
  // and the channels in another phase.
  if (config.workload.phase == Phase::kDecode) {
    config = test::LoadSourceYaml(arch, workload, {"workload.decode_tokens=2"});
  }
  const SimulationResult result = Simulate(config.arch, config.tech, config.workload);
  // One refresh per pass a layer may meet or miss against the estimate's mean share.
  const double refreshes =
      config.arch.dram.params
          ? static_cast<double>(config.workload.Passes()) *
                config.arch.dram.params->RefreshStallCycles(config.arch.clock_hz)
          : 0.0;
  int mapped = 0;
  double worst = 0;
  for (size_t l = 0; l < result.layers.size(); ++l) {
    const LayerResult& lr = result.layers[l];
    if (lr.tiling.mapping.empty()) continue;
    ++mapped;
    const double simulated =
        static_cast<double>(lr.span_ps) / static_cast<double>(result.clock_period_ps);
    const double error = lr.predicted_cycles / simulated - 1.0;
    worst = std::max(worst, std::abs(error));
    EXPECT_LE(std::abs(lr.predicted_cycles - simulated), 0.10 * simulated + refreshes)
        << config.workload.graph->layers()[l].name << ": " << lr.tiling.mapping << " predicted "
        << lr.predicted_cycles << ", simulated " << simulated << " (refresh allowance " << refreshes
        << ")";
  }
  EXPECT_GT(mapped, 0) << "no layer of " << workload << " was mapped";
  RecordProperty("mapped_layers", mapped);
  RecordProperty("worst_error_percent", std::to_string(100 * worst));
}

INSTANTIATE_TEST_SUITE_P(OnTheSimpleNocAccelerators, ShippedPredictions,
                         ::testing::ValuesIn(ShippedPairs()), PairName);

}  // namespace
}  // namespace pjsim
