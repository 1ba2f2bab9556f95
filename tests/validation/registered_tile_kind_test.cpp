// A tile kind added as one file, the way a new kind is (README "Extending pjsim"): this file
// registers `test_one_add`, a trivial kind that prices every MAC as one int8 add and takes one
// cycle per MAC per PE. The arch reader accepts it by name with its own accumulators, and a
// whole simulation runs on it with nothing else changed.
#include <gtest/gtest.h>

#include "sim/arch/tile_kind.h"
#include "sim/config/tile_kind_registry.h"
#include "simulate_yaml.h"

namespace pjsim {
namespace {

class OneAddKind : public TileKind {
 public:
  explicit OneAddKind(const TileConfig& tile) : pes_(tile.rows * tile.cols) {}
  void RegisterActions(EnergyLedger& ledger, const TechTable& tech) override {
    const Priced& add = tech.Op("int8_add");
    add_ = ledger.Register({"compute.one_add", "int8_add", "op", add.value, add.source});
  }
  bool Supports(const Layer&) const override { return true; }
  GemmCost RunGemm(EnergyLedger& ledger, int layer_index, const Layer&,
                   const TileTask& task) const override {
    const std::int64_t macs = task.gemm.m * task.gemm.k * task.gemm.n;
    ledger.Add(layer_index, add_, static_cast<double>(macs));
    GemmCost cost;
    cost.array_cycles = (macs + pes_ - 1) / pes_;
    return cost;
  }

 private:
  std::int64_t pes_;
  ActionId add_ = -1;
};

[[maybe_unused]] const bool kRegistered =
    TileKindRegistry().Add({.name = "test_one_add",
                            .summary = "test: every MAC priced as one int8 add",
                            .accumulators = {"int8"},
                            .factory = [](const TileConfig& tile) -> std::unique_ptr<TileKind> {
                              return std::make_unique<OneAddKind>(tile);
                            }});

using KindRun = test::SimRun;

// `name`: the test's own output directory (tests run in parallel processes).
KindRun Simulated(const std::string& name, const std::vector<std::string>& overrides) {
  const std::string path = test::WriteWorkloadYaml(
      "registered_kind_" + name,
      "name: w\nlayers:\n"
      "  - {name: a, op: linear, m: 32, k: 256, n: 64, dtype: int8, inputs: []}\n"
      "  - {name: b, op: linear, m: 32, k: 64, n: 128, dtype: int8, inputs: [a]}\n");
  return test::SimulateYaml(test::ArchFile("default.yaml"), path, overrides);
}

TEST(RegisteredTileKind, IsReadAndSimulatedLikeAShippedKind) {
  const KindRun mac = Simulated("mac", {});
  const KindRun add =
      Simulated("add", {"arch.tile.kind=test_one_add", "arch.tile.accumulator=int8"});
  EXPECT_EQ(add.config.arch.tile.kind, "test_one_add");
  ASSERT_EQ(add.result.layers.size(), 2u);
  double macs = 0;
  for (size_t l = 0; l < 2; ++l) {
    EXPECT_DOUBLE_EQ(add.result.layers[l].macs, mac.result.layers[l].macs);
    macs += add.result.layers[l].macs;
  }
  EXPECT_DOUBLE_EQ(macs, 32.0 * 256 * 64 + 32.0 * 64 * 128);
  // Its compute is its adds and nothing else: one int8 add per MAC.
  const auto by_category = add.result.ledger.EnergyByCategory();
  EXPECT_DOUBLE_EQ(by_category.at("compute.one_add"), macs * add.config.tech.Op("int8_add").value);
  EXPECT_EQ(by_category.count("compute.int8_mac"), 0u);
  EXPECT_GT(mac.result.ledger.EnergyByCategory().at("compute.int8_mac"),
            by_category.at("compute.one_add"));
  EXPECT_GT(add.result.total_ps, 0u);
}

TEST(RegisteredTileKind, KeepsItsOwnAccumulators) {
  EXPECT_THROW(Simulated("int32", {"arch.tile.kind=test_one_add", "arch.tile.accumulator=int32"}),
               ConfigError);
}

}  // namespace
}  // namespace pjsim
