// Published arithmetic-energy claims reproduced by the ledger on simulated matmuls
// (docs/SOURCES.md): BitNet b1.58's fp16 MAC / int8 add = 71.4x (7 nm) and 50x (45 nm); L-Mul's
// ~95% saving per fp16 multiply and 78-80% per fp32 dot-product step (45 nm); and the ternary
// tile's adds equal the nonzero products of the golden ternary dot product.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iomanip>
#include <random>
#include <sstream>

#include "sim/numerics/ternary.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::SimRun;

// One m x k x n linear layer on a 1x1 mesh of the named accelerator.
SimRun RunMatmul(const std::string& name, const std::string& arch, const std::string& tech,
                 const std::string& layer_fields, std::vector<std::string> overrides = {}) {
  const std::string path = test::FreshDir("arith_" + name) + "/w.yaml";
  std::ofstream(path) << "name: " << name
                      << "\nlayers:\n  - {name: mm, op: linear, m: 64, k: 512, n: 96, "
                      << layer_fields << ", inputs: []}\n";
  const std::vector<std::string> one_tile = test::OneTile();
  overrides.insert(overrides.begin(), one_tile.begin(), one_tile.end());
  return test::SimulateYaml(test::ArchFile(arch), path, overrides,
                            tech.empty() ? "" : test::TechFile(tech));
}

double Category(const SimRun& r, const std::string& category) {
  const auto m = r.result.ledger.EnergyByCategory();
  return m.count(category) ? m.at(category) : 0.0;
}

// Energy of one action (by name) within one category.
double ActionEnergy(const SimRun& r, const std::string& category, const std::string& action) {
  double pj = 0;
  const auto& actions = r.result.ledger.actions();
  for (size_t a = 0; a < actions.size(); ++a) {
    if (actions[a].category != category || actions[a].name != action) continue;
    for (int l = 0; l < r.result.ledger.layer_count(); ++l) {
      pj += r.result.ledger.EnergyPj(l, static_cast<ActionId>(a));
    }
  }
  return pj;
}

double Macs(const SimRun& r) { return r.result.layers.at(0).macs; }

// fp16 MAC (fp16 multiply + fp16 accumulate) per product over the ternary array's add per
// product, both measured on a 64x512x96 matmul. BitNet's convention: dense ternary weights (no
// zero skipping credited), int8 adds, no gating overhead.
double Fp16MacOverTernaryAdd(const std::string& tech) {
  const SimRun fp16 = RunMatmul("fp16_" + tech, "mesh4x4-fp16.yaml", tech, "dtype: fp16",
                                {"arch.tile.accumulator=fp16"});
  const SimRun ternary = RunMatmul("ternary_" + tech, "mesh4x4-ternary.yaml", tech,
                                   "dtype: int8, arithmetic: ternary, weight_sparsity: 0",
                                   {"arch.tile.accumulator=int8"});
  EXPECT_EQ(Macs(fp16), 64.0 * 512 * 96);
  EXPECT_EQ(Macs(ternary), Macs(fp16));
  EXPECT_EQ(ternary.result.ledger.TotalCountOf("int8_mult"), 0) << "a ternary product multiplies";
  const double per_mac = Category(fp16, "compute.fp16_mac") / Macs(fp16);
  const double per_add = Category(ternary, "compute.ternary_add") / Macs(ternary);
  return per_mac / per_add;
}

TEST(BitnetArithmeticRatio, Fp16MacOverInt8AddIs71xAt7nm) {
  EXPECT_NEAR(Fp16MacOverTernaryAdd("7nm.yaml"), 71.4, 0.05);
}

TEST(BitnetArithmeticRatio, Fp16MacOverInt8AddIs50xAt45nm) {
  EXPECT_NEAR(Fp16MacOverTernaryAdd("45nm.yaml"), 50.0, 1e-9);
}

TEST(LmulSavings, Fp16MultiplyReplacedByAnInt16AddSaves95PercentAt45nm) {
  const SimRun fp16 = RunMatmul("lmul_fp16_ref", "mesh4x4-fp16.yaml", "", "dtype: fp16");
  const SimRun lmul =
      RunMatmul("lmul_fp16", "mesh4x4-lmul.yaml", "", "dtype: fp16, arithmetic: lmul-fp16");
  ASSERT_EQ(Macs(lmul), Macs(fp16));
  // The multiply part of each product: the fp16 multiplier vs the L-Mul adder (15-bit fields).
  const double mult = ActionEnergy(fp16, "compute.fp16_mac", "fp16_mult");
  const double lmul_mult = ActionEnergy(lmul, "compute.lmul", "int16_add");
  ASSERT_GT(mult, 0);
  ASSERT_GT(lmul_mult, 0);
  const double saving = 1 - lmul_mult / mult;
  EXPECT_GE(saving, 0.95);
  EXPECT_NEAR(saving, 1 - 0.05 / 1.1, 1e-9);
}

TEST(LmulSavings, Fp32DotProductSaves78To80PercentAt45nm) {
  const SimRun fp32 = RunMatmul("lmul_fp32_ref", "mesh4x4-lmul.yaml", "", "dtype: fp32",
                                {"arch.tile.kind=fp32_mac"});
  const SimRun lmul =
      RunMatmul("lmul_fp32", "mesh4x4-lmul.yaml", "", "dtype: fp32, arithmetic: lmul-fp32");
  ASSERT_EQ(Macs(lmul), Macs(fp32));
  // A dot-product step: multiply + fp32 accumulate, vs L-Mul (int32 adder) + fp32 accumulate.
  const double saving = 1 - Category(lmul, "compute.lmul") / Category(fp32, "compute.fp32_mac");
  EXPECT_GE(saving, 0.78);
  EXPECT_LE(saving, 0.80);
}

TEST(LmulSavings, Fp8LmulIsPricedAsAnInt8Add) {
  const SimRun lmul =
      RunMatmul("lmul_e4m3", "mesh4x4-lmul.yaml", "", "dtype: fp16, arithmetic: lmul-e4m3");
  EXPECT_DOUBLE_EQ(lmul.result.ledger.TotalCountOf("int8_add"), Macs(lmul));
  EXPECT_DOUBLE_EQ(lmul.result.ledger.TotalCountOf("int16_add"), 0);
  // Weights are stored 8-bit though activations are fp16.
  const Layer& mm = lmul.config.workload.graph->layers().at(0);
  EXPECT_EQ(mm.OperandBBytes(512 * 96), 512 * 96);
}

// The ternary array's adds are the golden ternary dot product's nonzero products: quantize real
// weights (absmean), compute every output with the golden TernaryDot and plain integer
// arithmetic, and give the tile the measured zero fraction.
TEST(TernaryTile, AddsEqualNonzeroProductsOfTheGoldenDotProduct) {
  constexpr int kK = 512, kN = 96, kM = 64;
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0, 1);
  std::vector<float> w(kK * kN);
  for (auto& x : w) x = normal(rng);
  const numerics::QuantizedWeights q = numerics::AbsmeanTernaryQuantize(w);
  // Golden dot products (column n: weights q[n*K .. n*K+K)) against plain integer arithmetic;
  // the golden model counts the adds it performs.
  std::uniform_int_distribution<int> act(-128, 127);
  std::vector<int8_t> x(kK);
  for (auto& v : x) v = static_cast<int8_t>(act(rng));
  std::int64_t adds = 0;
  for (int n = 0; n < kN; ++n) {
    const std::span<const int8_t> col(q.values.data() + n * kK, kK);
    std::int32_t plain = 0;
    for (int k = 0; k < kK; ++k) plain += static_cast<std::int32_t>(col[k]) * x[k];
    const numerics::TernaryDotResult golden = numerics::TernaryDot(col, x);
    EXPECT_EQ(golden.sum, plain) << "column " << n;
    adds += golden.adds;
  }
  const double sparsity = 1 - static_cast<double>(adds) / (kK * kN);
  ASSERT_GT(sparsity, 0.2);
  ASSERT_LT(sparsity, 0.5);
  std::ostringstream fields;
  fields << std::setprecision(17)
         << "dtype: int8, arithmetic: ternary, weight_sparsity: " << sparsity;
  const SimRun t = RunMatmul("ternary_golden", "mesh4x4-ternary.yaml", "", fields.str());
  // Every row of the M-row input does the golden adds of each column.
  const double products = static_cast<double>(kM) * kK * kN;
  EXPECT_NEAR(t.result.ledger.TotalCountOf("int8_add"),
              static_cast<double>(kM) * static_cast<double>(adds), 1e-9 * products);
  EXPECT_NEAR(t.result.ledger.TotalCountOf("zero_skip_gate"),
              products - static_cast<double>(kM) * static_cast<double>(adds), 1e-9 * products);
  // Each weight is decoded once per tile task that uses it: once per output row block (whatever
  // the grid, and whether its chunk was loaded or held resident).
  const double row_blocks =
      std::ceil(static_cast<double>(kM) / static_cast<double>(t.result.layers[0].tiling.block_m));
  EXPECT_DOUBLE_EQ(t.result.ledger.TotalCountOf("unpack_2bit"),
                   static_cast<double>(kK) * kN * row_blocks);
  // Against the int8 MAC array on the same shape: no multiplies, and far less arithmetic energy.
  const SimRun i8 = RunMatmul("int8_golden", "default.yaml", "", "dtype: int8");
  EXPECT_DOUBLE_EQ(i8.result.ledger.TotalCountOf("int8_mult"), static_cast<double>(kM) * kK * kN);
  EXPECT_LT(Category(t, "compute.ternary_add") + Category(t, "compute.unpack"),
            0.1 * Category(i8, "compute.int8_mac"));
}

}  // namespace
}  // namespace pjsim
