// The addition-only and L-Mul tile kinds task by task: exact cycle formulas, what each product
// costs, zero skipping, unpacking per weight, SRAM operand traffic at the packed width, and which
// layers each kind accepts.
#include <gtest/gtest.h>

#include "sim/arch/tile_kind.h"
#include "sim/energy/tech_table.h"
#include "sim/task/dot_array_timing.h"
#include "test_paths.h"

namespace pjsim {
namespace {

TileConfig Tile(const std::string& kind, const std::string& accumulator) {
  TileConfig t;
  t.kind = kind;
  t.rows = 16;
  t.cols = 16;
  t.accumulator = ParseNumberType(accumulator);
  return t;
}

Layer Linear(const std::string& arithmetic, const std::string& packing, double sparsity,
             DType dtype = DType::kInt8) {
  Layer l;
  l.name = "fc";
  l.m = 3;
  l.k = 100;
  l.n = 20;
  l.dtype = dtype;
  l.arithmetic = ArithmeticRef::Named(arithmetic);
  l.weight_packing = packing;
  l.weight_sparsity = sparsity;
  return l;
}

TileTask Task(bool first_k, bool last_k) {
  TileTask t;
  t.gemm = {3, 100, 20};
  t.first_k = first_k;
  t.last_k = last_k;
  return t;
}

struct KindRun {
  EnergyLedger ledger{{"fc"}};
  GemmCost cost;
};

KindRun RunKind(const TileConfig& tile, const Layer& layer, const TileTask& task) {
  const TechTable tech = LoadTechTable(test::SourceDir() + "/configs/tech/45nm.yaml");
  auto kind = MakeTileKind(tile);
  KindRun r;
  kind->RegisterActions(r.ledger, tech);
  EXPECT_TRUE(kind->Supports(layer));
  r.cost = kind->RunGemm(r.ledger, 0, layer, task);
  return r;
}

TEST(TernaryAddKind, CyclesAreTheDotUnitFormula) {
  const KindRun r =
      RunKind(Tile("ternary_add", "int8"), Linear("ternary", "2bit", 0.25), Task(true, true));
  // 16 units of 16 lanes: 3 rows x ceil(20/16) = 2 column groups = 6 dot products of
  // ceil(100/16) = 7 beats each, then log2(16) = 4 tree levels + 1 accumulator cycle.
  EXPECT_EQ(r.cost.array_cycles, 6 * 7 + 4 + 1);
  EXPECT_EQ(r.cost.array_cycles, DotArrayCycles({16, 16}, {3, 100, 20}));
}

TEST(TernaryAddKind, ZeroWeightsCostAGateNotAnAdd) {
  const KindRun r =
      RunKind(Tile("ternary_add", "int16"), Linear("ternary", "2bit", 0.25), Task(true, true));
  const double products = 3.0 * 100 * 20;
  EXPECT_DOUBLE_EQ(r.ledger.TotalCountOf("int16_add"), 0.75 * products);
  EXPECT_DOUBLE_EQ(r.ledger.TotalCountOf("zero_skip_gate"), 0.25 * products);
  EXPECT_DOUBLE_EQ(r.ledger.TotalCountOf("int8_mult"), 0);
  EXPECT_DOUBLE_EQ(r.ledger.TotalCountOf("unpack_2bit"), 100.0 * 20);  // each weight once
}

TEST(TernaryAddKind, SramTrafficCarriesPackedWeights) {
  // 2-bit: 2000 weights in 500 bytes; base-3: 400 bytes. Activations 3 x 100 int8 read once per
  // column group (2); results 3 x 20 int8.
  const KindRun two =
      RunKind(Tile("ternary_add", "int8"), Linear("ternary", "2bit", 0), Task(true, true));
  EXPECT_DOUBLE_EQ(two.cost.sram_read_bits, 500.0 * 8 + 3 * 100 * 2 * 8);
  EXPECT_DOUBLE_EQ(two.cost.sram_write_bits, 3.0 * 20 * 8);
  const KindRun b3 =
      RunKind(Tile("ternary_add", "int8"), Linear("ternary", "base3", 0), Task(true, true));
  EXPECT_DOUBLE_EQ(b3.cost.sram_read_bits, 400.0 * 8 + 3 * 100 * 2 * 8);
  EXPECT_DOUBLE_EQ(b3.ledger.TotalCountOf("unpack_base3"), 2000);
  // A middle K chunk resumes and leaves int32 partial sums.
  const KindRun mid =
      RunKind(Tile("ternary_add", "int8"), Linear("ternary", "2bit", 0), Task(false, false));
  EXPECT_DOUBLE_EQ(mid.cost.sram_read_bits, 500.0 * 8 + 3 * 100 * 2 * 8 + 3 * 20 * 32);
  EXPECT_DOUBLE_EQ(mid.cost.sram_write_bits, 3.0 * 20 * 32);
}

TEST(BinaryKind, EveryWeightAddsOrSubtracts) {
  const KindRun r = RunKind(Tile("binary", "int8"), Linear("binary", "1bit", 0), Task(true, true));
  EXPECT_DOUBLE_EQ(r.ledger.TotalCountOf("int8_add"), 3.0 * 100 * 20);
  EXPECT_DOUBLE_EQ(r.ledger.TotalCountOf("unpack_1bit"), 2000);
  EXPECT_DOUBLE_EQ(r.cost.sram_read_bits, 250.0 * 8 + 3 * 100 * 2 * 8);  // 2000 bits of weights
  EXPECT_FALSE(MakeTileKind(Tile("binary", "int8"))->Supports(Linear("ternary", "2bit", 0)));
}

TEST(AddArrayKinds, Int8GemmsRunAsMacsOnTheSameLanes) {
  Layer scores = Linear("int8", "dense", 0);
  scores.kind = OpKind::kAttentionScores;
  const KindRun r = RunKind(Tile("ternary_add", "int8"), scores, Task(true, true));
  EXPECT_DOUBLE_EQ(r.ledger.TotalCountOf("int8_mult"), 6000);
  EXPECT_DOUBLE_EQ(r.ledger.TotalCountOf("int32_add"), 6000);
  EXPECT_DOUBLE_EQ(r.ledger.TotalCountOf("int8_add"), 0);
  EXPECT_EQ(r.cost.array_cycles, 6 * 7 + 4 + 1);
}

TEST(LmulKind, OneAdderOfTheFieldWidthPlusTheAccumulatorPerProduct) {
  const KindRun e4m3 = RunKind(Tile("lmul", "fp32"), Linear("lmul-e4m3", "dense", 0, DType::kFp16),
                               Task(true, true));
  EXPECT_DOUBLE_EQ(e4m3.ledger.TotalCountOf("int8_add"), 6000);
  EXPECT_DOUBLE_EQ(e4m3.ledger.TotalCountOf("fp32_add"), 6000);
  EXPECT_DOUBLE_EQ(e4m3.ledger.TotalCountOf("fp16_mult"), 0);
  // Systolic output-stationary: ceil(3/16) x ceil(20/16) = 2 folds of 16 + 16 + 100 - 2 cycles.
  EXPECT_EQ(e4m3.cost.array_cycles, 2 * (16 + 16 + 100 - 2));
  // Weights 8-bit (read once per row group: 1), fp16 inputs once per column group (2).
  EXPECT_DOUBLE_EQ(e4m3.cost.sram_read_bits, 2000.0 * 8 + 3 * 100 * 2 * 16);
  Layer context = Linear("bf16", "dense", 0, DType::kBf16);
  context.kind = OpKind::kAttentionContext;
  const KindRun att = RunKind(Tile("lmul", "fp16"), context, Task(true, true));
  EXPECT_DOUBLE_EQ(att.ledger.TotalCountOf("int16_add"), 6000);
  EXPECT_DOUBLE_EQ(att.ledger.TotalCountOf("fp16_add"), 6000);
  EXPECT_FALSE(MakeTileKind(Tile("lmul", "fp32"))->Supports(Linear("int8", "dense", 0)));
  EXPECT_FALSE(
      MakeTileKind(Tile("lmul", "fp32"))->Supports(Linear("fp16", "dense", 0, DType::kFp16)));
}

}  // namespace
}  // namespace pjsim
