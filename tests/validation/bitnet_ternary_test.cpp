// BitNet b1.58 2B4T with ternary weights (docs/SOURCES.md#bitnet2b4t): the simulator's weight
// storage holds 2.084 B linear weights in 0.41 GB at 1.58 bit and 0.52 GB at 2 bit, and a decode
// step with ternary weights spends a quarter of the int8 model's DRAM bytes on weights, which is
// where most of its energy saving comes from.
#include <gtest/gtest.h>

#include "sim/mapping/workload_planner.h"
#include "sim/workload/hf_config.h"
#include "sim/workload/transformer_builder.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

// The imported workload, with every ternary layer stored in `packing` ("" = the default).
std::string ImportBitnet(const std::string& name, ImportOptions o,
                         const std::string& packing = "") {
  const HfModelSpec spec =
      LoadHfConfig(test::SourceDir() + "/workloads/hf/bitnet-b1.58-2B-4T.config.json");
  std::string yaml = BuildTransformerWorkload(spec, o, name);
  const std::string tag = "arithmetic: ternary";
  for (size_t at = yaml.find(tag); !packing.empty() && at != std::string::npos;
       at = yaml.find(tag, at + 1)) {
    yaml.insert(at + tag.size(), ", weight_packing: " + packing);
  }
  return test::WriteWorkloadYaml("bitnet_" + name, yaml);
}

RunConfig Load(const std::string& arch, const std::string& workload) {
  return test::LoadYaml(test::ArchFile(arch), workload);
}

struct Storage {
  double weights = 0;  // linear-layer weights
  double bytes = 0;    // the bytes the planner fetches for them in one decode pass
  double chunks = 0;   // tile tasks: each stored weight chunk rounds up to whole bytes once
};

// Decode of one token: every weight is fetched exactly once (one output-row block), so the
// planned weight bytes are the stored weight bytes.
Storage LinearWeightStorage(const std::string& packing) {
  ImportOptions o;
  o.decode = true;
  o.decode_tokens = 1;
  o.seq = 16;
  o.lm_head = false;  // tied embedding: not among the 2.084 B linear weights
  const RunConfig c = Load("mesh4x4-ternary.yaml", ImportBitnet("storage_" + packing, o, packing));
  WorkloadPlanner planner(c.arch, c.workload);
  Storage s;
  const auto& layers = c.workload.graph->layers();
  for (size_t l = 0; l < layers.size(); ++l) {
    if (layers[l].kind != OpKind::kLinear) continue;
    EXPECT_EQ(layers[l].arithmetic.name(), "ternary") << layers[l].name;
    EXPECT_EQ(layers[l].weight_packing, packing) << layers[l].name;
    s.weights += static_cast<double>(layers[l].batch * layers[l].k * layers[l].n);
    const Tiling& tiling = planner.Plan(0, static_cast<int>(l)).tiling;
    s.bytes += tiling.planned_operand_b_bytes;
    s.chunks += static_cast<double>(tiling.tasks);
  }
  return s;
}

TEST(BitnetStorage, LinearWeightsTake052GBAt2Bit) {
  const Storage s = LinearWeightStorage("2bit");
  EXPECT_EQ(s.weights, 2084044800.0);
  EXPECT_EQ(s.bytes, 2084044800.0 / 4);  // 521,011,200 B
  EXPECT_NEAR(s.bytes / 1e9, 0.52, 0.005);
}

TEST(BitnetStorage, LinearWeightsTake041GBAt158Bit) {
  const Storage s = LinearWeightStorage("entropy");
  EXPECT_NEAR(s.bytes / 1e9, 0.41, 0.005);
  // log2(3) bits per weight, up to one byte of rounding per stored weight chunk.
  EXPECT_GE(s.bytes, s.weights * std::log2(3.0) / 8);
  EXPECT_LE(s.bytes, s.weights * std::log2(3.0) / 8 + s.chunks);
  const Storage b3 = LinearWeightStorage("base3");  // 5 trits per byte: 1.6 bit
  EXPECT_GE(b3.bytes, 2084044800.0 / 5);            // 416,808,960 B, plus padding of partial chunks
  EXPECT_LE(b3.bytes, 2084044800.0 / 5 * 1.0001);
}

double LinearWeightBytes(const SimulationResult& r, const Workload& w) {
  double bytes = 0;
  const auto& layers = w.graph->layers();
  for (size_t l = 0; l < layers.size(); ++l) {
    if (layers[l].kind == OpKind::kLinear) bytes += r.layers[l].operand_b_bytes;
  }
  return bytes;
}

double Category(const SimulationResult& r, const std::string& c) {
  const auto m = r.ledger.EnergyByCategory();
  return m.count(c) ? m.at(c) : 0.0;
}

TEST(BitnetDecode, TernaryWeightsCutDramTrafficAndEnergyPerToken) {
  ImportOptions o;
  o.decode = true;
  o.decode_tokens = 2;
  o.seq = 128;
  o.layers = 1;
  o.lm_head = false;
  o.weights = "int8";
  const RunConfig i8 = Load("default.yaml", ImportBitnet("decode_int8", o));
  o.weights = "ternary";
  const RunConfig t = Load("mesh4x4-ternary.yaml", ImportBitnet("decode_ternary", o));
  const SimulationResult ri = Simulate(i8.arch, i8.tech, i8.workload);
  const SimulationResult rt = Simulate(t.arch, t.tech, t.workload);
  // Weights do not fit on chip, so each pass fetches them: 2 bits instead of 8 per weight.
  EXPECT_DOUBLE_EQ(LinearWeightBytes(rt, t.workload), LinearWeightBytes(ri, i8.workload) / 4);
  const double dram_i = Category(ri, "dram.read"), dram_t = Category(rt, "dram.read");
  const double total_i = ri.ledger.TotalEnergyPj(), total_t = rt.ledger.TotalEnergyPj();
  EXPECT_LT(dram_t, 0.4 * dram_i);
  EXPECT_LT(total_t, 0.6 * total_i);
  // Most of the saving is DRAM reads (weights), not arithmetic.
  const double compute_i = Category(ri, "compute.int8_mac");
  const double compute_t = Category(rt, "compute.int8_mac") + Category(rt, "compute.ternary_add") +
                           Category(rt, "compute.unpack");
  EXPECT_GT(dram_i - dram_t, 0.5 * (total_i - total_t));
  EXPECT_LT(compute_i - compute_t, 0.1 * (total_i - total_t));
  // And it is faster: the step is memory-bound.
  EXPECT_LT(rt.seconds(), 0.5 * ri.seconds());
}

}  // namespace
}  // namespace pjsim
