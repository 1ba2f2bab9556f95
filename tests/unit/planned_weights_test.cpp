// A planned tile task's `weights` transfer is its chunk of the layer's operand-B region (weights,
// KV cache, norm gain, embedding table), and `input` its chunk of the activations: for a linear,
// an attention, a norm and an embedding layer, every weights transfer lies inside operand B with
// the bytes of its K x N chunk, and the distinct chunks tile the region exactly.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sim/config/yaml_reader.h"
#include "sim/mapping/layer_mapper.h"
#include "sim/workload/workload.h"

namespace pjsim {
namespace {

ArchConfig SmallArch() {
  ArchConfig a;
  a.clock_hz = 1e9;
  a.mesh_width = a.mesh_height = 2;
  a.tile.kind = "int8_mac";
  a.tile.rows = a.tile.cols = 4;
  a.tile.vector_lanes = 4;
  a.tile.accumulator = NumberType::kInt32;
  a.tile.sram.capacity_bytes = 4096;
  a.tile.sram.port_bytes_per_cycle = 64;
  a.noc.link_bytes_per_cycle = 16;
  a.dram.channel_bandwidth_bytes_per_s = 16e9;
  a.dram.channels = {{0, 0}};
  return a;
}

const char* kLayers = R"(name: w
layers:
  - {name: fc, op: linear, m: 8, k: 64, n: 48, dtype: int8, inputs: []}
  - {name: s, op: attention_scores, heads: 4, kv_heads: 2, head_dim: 16, q_len: 8, kv_len: 24,
     dtype: int8, inputs: []}
  - {name: n, op: norm, function: rmsnorm, m: 8, n: 64, dtype: fp16, inputs: []}
  - {name: e, op: embedding, m: 8, n: 64, vocab: 100, dtype: fp16}
)";

bool Inside(const Transfer& t, const DramRegion& r) {
  return t.address >= r.base && t.address + static_cast<std::uint64_t>(t.bytes) <= r.base + r.bytes;
}

// Distinct regions apart, so a transfer of the wrong tensor cannot land inside another's.
LayerRegions Regions(const Layer& l, std::uint64_t operand_b_bytes) {
  LayerRegions r;
  for (int i = 0; i < l.Arity(); ++i) {
    const TensorShape s = l.InputShape(i);
    r.inputs.push_back({0x100000u * static_cast<std::uint64_t>(i + 1),
                        static_cast<std::uint64_t>(s.rows * s.cols * DTypeBits(l.dtype) / 8)});
  }
  r.operand_b = {0x1000000, operand_b_bytes};
  r.output = {0x2000000, static_cast<std::uint64_t>(l.OutputElements() * DTypeBits(l.dtype) / 8)};
  return r;
}

void ExpectGemmWeightsAreOperandB(const Layer& l, const LayerPlan& plan, const LayerRegions& r) {
  std::map<std::uint64_t, std::int64_t> chunks;  // address -> bytes of each distinct chunk
  double weight_bytes = 0;
  std::int64_t tasks = 0;
  for (size_t tile = 0; tile < plan.per_tile.size(); ++tile) {
    for (const TileTask& t : plan.per_tile[tile]) {
      ++tasks;
      // A task loads its whole chunk, or nothing when its resident panel holds it.
      if (t.input.bytes > 0) {
        EXPECT_TRUE(Inside(t.input, r.inputs.at(0))) << l.name << " @" << t.input.address;
        EXPECT_EQ(t.input.bytes, l.ActivationBytes(t.gemm.m * t.gemm.k)) << l.name;
        EXPECT_EQ(t.Loads()[0].address, t.input.address);  // activations first, then operand B
      }
      EXPECT_EQ(t.second_input.bytes, 0) << l.name;
      if (t.weights.bytes == 0) continue;
      EXPECT_EQ(t.weights.bytes, l.OperandBBytes(t.gemm.k * t.gemm.n)) << l.name;
      EXPECT_TRUE(Inside(t.weights, r.operand_b)) << l.name << " @" << t.weights.address;
      EXPECT_EQ(t.Loads()[2].address, t.weights.address);
      const auto [it, fresh] = chunks.emplace(t.weights.address, t.weights.bytes);
      if (!fresh) {
        EXPECT_EQ(it->second, t.weights.bytes) << l.name;
      }
      // A shared load is read once, for its first receiver.
      if (t.weights.share < 0 ||
          plan.shares.at(static_cast<size_t>(t.weights.share)).front() == static_cast<int>(tile)) {
        weight_bytes += static_cast<double>(t.weights.bytes);
      }
    }
  }
  EXPECT_GT(chunks.size(), 1u) << l.name << ": the SRAM should force several chunks";
  EXPECT_EQ(tasks, plan.tiling.tasks);
  EXPECT_DOUBLE_EQ(weight_bytes, plan.tiling.planned_operand_b_bytes) << l.name;
  // The distinct chunks tile operand B exactly: no gap, no overlap, nothing outside.
  std::uint64_t next = r.operand_b.base;
  for (const auto& [address, bytes] : chunks) {
    EXPECT_EQ(address, next) << l.name;
    next = address + static_cast<std::uint64_t>(bytes);
  }
  EXPECT_EQ(next, r.operand_b.base + r.operand_b.bytes) << l.name;
}

class PlannedWeights : public ::testing::Test {
 protected:
  PlannedWeights()
      : arch_(SmallArch()),
        workload_(ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(kLayers, "w.yaml")))),
        search_(arch_, MappingPrices{}),
        mapper_(arch_, 4, 4096, search_) {}
  const Layer& L(size_t i) const { return workload_.graph->layers()[i]; }
  ArchConfig arch_;
  Workload workload_;
  MappingSearch search_;
  LayerMapper mapper_;
};

TEST_F(PlannedWeights, LinearLoadsItsWeightMatrix) {
  const Layer& fc = L(0);
  const LayerRegions r = Regions(fc, static_cast<std::uint64_t>(fc.OperandBBytes(fc.k * fc.n)));
  ExpectGemmWeightsAreOperandB(fc, mapper_.Map(0, fc, r), r);
}

TEST_F(PlannedWeights, AttentionLoadsItsKvCache) {
  const Layer& s = L(1);
  ASSERT_EQ(s.batch, 2);  // one product per KV head
  const LayerRegions r =
      Regions(s, static_cast<std::uint64_t>(s.batch * s.OperandBBytes(s.k * s.n)));
  ExpectGemmWeightsAreOperandB(s, mapper_.Map(1, s, r), r);
}

TEST_F(PlannedWeights, NormLoadsItsGain) {
  const Layer& n = L(2);
  const LayerRegions r = Regions(n, static_cast<std::uint64_t>(n.n * 2));
  const LayerPlan plan = mapper_.Map(2, n, r);
  ASSERT_GT(plan.tiling.tasks, 0);
  for (const auto& queue : plan.per_tile) {
    for (const TileTask& t : queue) {
      EXPECT_EQ(t.weights.address, r.operand_b.base);
      EXPECT_EQ(t.weights.bytes, n.n * 2);  // the whole fp16 gain vector
      EXPECT_TRUE(Inside(t.input, r.inputs.at(0)));
      EXPECT_EQ(t.input.bytes, t.elements * 2);
      EXPECT_EQ(t.second_input.bytes, 0);
    }
  }
  EXPECT_DOUBLE_EQ(plan.tiling.planned_operand_b_bytes,
                   static_cast<double>(plan.tiling.tasks * n.n * 2));
}

TEST_F(PlannedWeights, EmbeddingGathersFromItsTable) {
  const Layer& e = L(3);
  const LayerRegions r = Regions(e, static_cast<std::uint64_t>(e.k * e.n * 2));
  const LayerPlan plan = mapper_.Map(3, e, r);
  std::int64_t gathered = 0;
  for (const auto& queue : plan.per_tile) {
    for (const TileTask& t : queue) {
      EXPECT_TRUE(Inside(t.weights, r.operand_b));
      EXPECT_EQ(t.weights.bytes, t.elements * 2);
      EXPECT_EQ(t.input.bytes, 0);  // no activation input
      gathered += t.weights.bytes;
    }
  }
  EXPECT_EQ(gathered, e.m * e.n * 2);
}

TEST_F(PlannedWeights, WalkTakesTheGivenBlocks) {
  const Layer& fc = L(0);
  const LayerRegions r = Regions(fc, static_cast<std::uint64_t>(fc.OperandBBytes(fc.k * fc.n)));
  const LayerPlan plan = mapper_.WalkGemm(0, fc, r, GemmMapping{{4, 16, 16}});
  EXPECT_EQ(plan.tiling.block_m, 4);
  EXPECT_EQ(plan.tiling.block_k, 16);
  EXPECT_EQ(plan.tiling.block_n, 16);
  EXPECT_EQ(plan.tiling.tasks, (8 / 4) * (48 / 16) * (64 / 16));
  ExpectGemmWeightsAreOperandB(fc, plan, r);
  // Map walks exactly the mapping the search ranks best, within the SRAM.
  const GemmMapping chosen = MappingSearch(arch_, MappingPrices{}).Rank(fc, 4, 4096, 1)[0].mapping;
  const LayerPlan mapped = mapper_.Map(0, fc, r);
  EXPECT_EQ(mapped.tiling.block_m, chosen.blocks.m);
  EXPECT_EQ(mapped.tiling.block_k, chosen.blocks.k);
  EXPECT_EQ(mapped.tiling.block_n, chosen.blocks.n);
  EXPECT_EQ(mapped.tiling.mapping, chosen.Describe());
  EXPECT_LE(MappingSramBytes(arch_, fc, chosen), 4096);
}

}  // namespace
}  // namespace pjsim
