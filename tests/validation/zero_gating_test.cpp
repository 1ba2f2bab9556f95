// A MAC array with tile.zero_gating: the products of zero activations (the layer's
// activation_sparsity) cost a gate instead of a multiply and an add; cycles and SRAM traffic do
// not change; the keys are refused where they mean nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "sim/arch/tile_kind.h"
#include "sim/energy/tech_table.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

struct KindRun {
  EnergyLedger ledger{{"fc"}};
  GemmCost cost;
};

KindRun RunMac(bool gating, double sparsity) {
  TileConfig tile;
  tile.kind = "int8_mac";
  tile.rows = 16;
  tile.cols = 16;
  tile.accumulator = NumberType::kInt32;
  tile.zero_gating = gating;
  Layer layer;
  layer.name = "fc";
  layer.m = 5;
  layer.k = 64;
  layer.n = 48;
  layer.dtype = DType::kInt8;
  layer.arithmetic = ArithmeticRef::Named("int8");
  layer.activation_sparsity = sparsity;
  TileTask task;
  task.gemm = {5, 64, 48};
  const TechTable tech = LoadTechTable(test::SourceDir() + "/configs/tech/45nm.yaml");
  auto kind = MakeTileKind(tile);
  KindRun r;
  kind->RegisterActions(r.ledger, tech);
  r.cost = kind->RunGemm(r.ledger, 0, layer, task);
  return r;
}

TEST(ZeroGating, ZeroActivationsCostAGateInsteadOfAProduct) {
  const double macs = 5.0 * 64 * 48;
  const KindRun dense = RunMac(false, 0.4);  // no gating: the zeros are multiplied as well
  EXPECT_DOUBLE_EQ(dense.ledger.TotalCountOf("int8_mult"), macs);
  EXPECT_DOUBLE_EQ(dense.ledger.TotalCountOf("int32_add"), macs);
  EXPECT_DOUBLE_EQ(dense.ledger.TotalCountOf("zero_skip_gate"), 0);
  const KindRun gated = RunMac(true, 0.4);
  EXPECT_DOUBLE_EQ(gated.ledger.TotalCountOf("int8_mult"), 0.6 * macs);
  EXPECT_DOUBLE_EQ(gated.ledger.TotalCountOf("int32_add"), 0.6 * macs);
  EXPECT_DOUBLE_EQ(gated.ledger.TotalCountOf("zero_skip_gate"), macs);
  EXPECT_EQ(gated.cost.array_cycles, dense.cost.array_cycles);
  EXPECT_DOUBLE_EQ(gated.cost.sram_read_bits, dense.cost.sram_read_bits);
  EXPECT_DOUBLE_EQ(gated.cost.sram_write_bits, dense.cost.sram_write_bits);
  // Dense activations: gating only adds the checks.
  const KindRun none = RunMac(true, 0.0);
  EXPECT_DOUBLE_EQ(none.ledger.TotalCountOf("int8_mult"), macs);
  EXPECT_GT(none.ledger.TotalEnergyPj(), dense.ledger.TotalEnergyPj());
}

std::string Workload(const std::string& name, const std::string& top, const std::string& layer) {
  const std::string path = test::FreshDir("zero_gating_" + name) + "/w.yaml";
  std::ofstream(path) << "name: w\n"
                      << top << "layers:\n  - {name: fc, op: linear, m: 8, k: 64, n: 16, "
                      << "dtype: int8, inputs: []" << layer << "}\n";
  return path;
}

void ExpectConfigError(const std::string& arch, const std::string& workload,
                       const std::vector<std::string>& overrides, const std::string& key) {
  try {
    test::LoadYaml(test::ArchFile(arch), workload, overrides);
    ADD_FAILURE() << key << " was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
  }
}

TEST(ZeroGating, KeysAreRefusedWhereTheyMeanNothing) {
  const std::string plain = Workload("plain", "", "");
  ExpectConfigError("spiking-mesh4x4.yaml", plain, {"arch.tile.zero_gating=true"}, "zero_gating");
  ExpectConfigError("mesh4x4-ternary.yaml", plain, {"arch.tile.zero_gating=true"}, "zero_gating");
  ExpectConfigError(
      "default.yaml",
      Workload("spiking_layer", "",
               ", spiking: {timesteps: 2, input_rate: 0.1}, activation_sparsity: 0.5"),
      {}, "activation_sparsity");
  ExpectConfigError("default.yaml",
                    Workload("wide",
                             "spiking: {timesteps: 2, input_rate: 0.1}\n"
                             "activation_sparsity: 0.5\n",
                             ""),
                    {}, "activation_sparsity");
  ExpectConfigError("default.yaml", Workload("range", "activation_sparsity: 1.5\n", ""), {},
                    "activation_sparsity");
}

// The workload-wide key overrides every layer's own; a whole run charges the gated products.
TEST(ZeroGating, WorkloadWideSparsityReachesEveryLayer) {
  const std::string path =
      Workload("run", "activation_sparsity: 0.25\n", ", activation_sparsity: 0.9");
  const test::SimRun gated =
      test::SimulateYaml(test::ArchFile("default.yaml"), path, {"arch.tile.zero_gating=true"});
  const test::SimRun dense = test::SimulateYaml(test::ArchFile("default.yaml"), path);
  const double macs = 8.0 * 64 * 16;
  EXPECT_DOUBLE_EQ(gated.result.ledger.TotalCountOf("int8_mult"), 0.75 * macs);
  EXPECT_DOUBLE_EQ(dense.result.ledger.TotalCountOf("int8_mult"), macs);
  EXPECT_EQ(gated.result.total_ps, dense.result.total_ps);
}

}  // namespace
}  // namespace pjsim
