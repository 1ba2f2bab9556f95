// Quantized-ANN activations (activation_bits) on the int8 MAC tile: activations move packed at
// b bits through DRAM, NoC and SRAM, weights and ops do not change, every fetched byte lands in
// SRAM, and the multiplier is priced as a b x 8-bit product.
#include <gtest/gtest.h>

#include <fstream>

#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::SimRun;

// One int8 linear layer (and, with `attention`, a scores op reading b-bit Q and K) on one tile.
SimRun QuantizedRun(const std::string& name, std::int64_t bits, bool attention = false,
                    const std::string& arch = "default.yaml") {
  const std::string path = test::FreshDir("qann_" + name) + "/w.yaml";
  std::ofstream out(path);
  out << "name: " << name << "\n";
  if (bits > 0) out << "activation_bits: " << bits << "\n";
  out << "layers:\n  - {name: fc, op: linear, m: 32, k: 256, n: 128, dtype: int8, inputs: []}\n";
  if (attention) {
    out << "  - {name: scores, op: attention_scores, heads: 4, kv_heads: 2, head_dim: 32, q_len: "
           "16,"
           " kv_len: 64, dtype: int8, inputs: []}\n";
  }
  out.close();
  // One schedule for every width (the search would pick larger blocks for narrower
  // activations), so the comparison is about the packing alone.
  std::vector<std::string> overrides = test::OneTile();
  overrides.push_back(
      "arch.mapping.constraints={block_m: 16, block_k: 32, block_n: 16, resident: none}");
  return test::SimulateYaml(test::ArchFile(arch), path, overrides);
}

double ChannelRead(const SimRun& r) {
  double bytes = 0;
  for (const auto& c : r.result.channels) bytes += c.bytes_read;
  return bytes;
}

double ChannelWritten(const SimRun& r) {
  double bytes = 0;
  for (const auto& c : r.result.channels) bytes += c.bytes_written;
  return bytes;
}

TEST(QuantizedActivations, HalvingBitsHalvesActivationBytesAndKeepsOps) {
  const SimRun b8 = QuantizedRun("b8", 8);
  const SimRun b4 = QuantizedRun("b4", 4);
  const SimRun b2 = QuantizedRun("b2", 2);
  for (const SimRun* r : {&b4, &b2}) {
    // Same schedule, so the comparison is about the packing alone.
    EXPECT_EQ(r->result.layers[0].tiling.block_m, b8.result.layers[0].tiling.block_m);
    EXPECT_EQ(r->result.layers[0].tiling.block_n, b8.result.layers[0].tiling.block_n);
    EXPECT_EQ(r->result.layers[0].tiling.block_k, b8.result.layers[0].tiling.block_k);
    EXPECT_DOUBLE_EQ(r->result.layers[0].macs, b8.result.layers[0].macs);
    EXPECT_DOUBLE_EQ(r->result.layers[0].operand_b_bytes, b8.result.layers[0].operand_b_bytes);
  }
  const auto activation_read = [](const SimRun& r) {
    return ChannelRead(r) - r.result.layers[0].operand_b_bytes;
  };
  ASSERT_GT(activation_read(b8), 0);
  EXPECT_DOUBLE_EQ(activation_read(b4), activation_read(b8) / 2);
  EXPECT_DOUBLE_EQ(activation_read(b2), activation_read(b8) / 4);
  EXPECT_DOUBLE_EQ(ChannelWritten(b4), ChannelWritten(b8) / 2);
  EXPECT_DOUBLE_EQ(ChannelWritten(b2), ChannelWritten(b8) / 4);
  // One tile has no router: the channel feeds its scratchpad directly at any width.
  EXPECT_EQ(b8.result.ledger.TotalCountOf("router_traversal"), 0);
  EXPECT_LT(b4.result.ledger.TotalCountOf("sram_read"), b8.result.ledger.TotalCountOf("sram_read"));
}

TEST(QuantizedActivations, BytesAreConserved) {
  for (const std::int64_t bits : {2, 4, 8}) {
    const SimRun r = QuantizedRun("conserve" + std::to_string(bits), bits, true);
    double planned_read = 0, planned_write = 0;
    for (const auto& l : r.result.layers) {
      planned_read += l.tiling.planned_dram_read_bytes;
      planned_write += l.tiling.planned_dram_write_bytes;
    }
    EXPECT_DOUBLE_EQ(ChannelRead(r), planned_read) << bits;
    EXPECT_DOUBLE_EQ(ChannelWritten(r), planned_write) << bits;
    EXPECT_DOUBLE_EQ(r.result.ledger.TotalCountOf("sram_fill") / 8, ChannelRead(r)) << bits;
  }
}

TEST(QuantizedActivations, KvCacheIsPackedToo) {
  const SimRun b8 = QuantizedRun("kv8", 8, true);
  const SimRun b4 = QuantizedRun("kv4", 4, true);
  EXPECT_DOUBLE_EQ(b4.result.layers[1].operand_b_bytes, b8.result.layers[1].operand_b_bytes / 2);
  EXPECT_DOUBLE_EQ(b4.result.layers[1].macs, b8.result.layers[1].macs);
}

TEST(QuantizedActivations, MultiplierEnergyScalesWithTheProductOfWidths) {
  const SimRun b8 = QuantizedRun("mult8", 0, true);
  const SimRun b4 = QuantizedRun("mult4", 4, true);
  const double linear_macs = b8.result.layers[0].macs, attention_macs = b8.result.layers[1].macs;
  // 8-bit activations: the plain int8 multiply; 4-bit: 4x8 products for the linear layer, 4x4
  // for attention (both operands are activations).
  EXPECT_DOUBLE_EQ(b8.result.ledger.TotalCountOf("int8_mult"), linear_macs + attention_macs);
  EXPECT_DOUBLE_EQ(b4.result.ledger.TotalCountOf("int8_mult"), 0);
  EXPECT_DOUBLE_EQ(b4.result.ledger.TotalCountOf("int4x8_mult"), linear_macs);
  EXPECT_DOUBLE_EQ(b4.result.ledger.TotalCountOf("int4x4_mult"), attention_macs);
  const double int8_mult = b8.config.tech.Op("int8_mult").value;
  for (const auto& a : b4.result.ledger.actions()) {
    if (a.name == "int4x8_mult") {
      EXPECT_DOUBLE_EQ(a.pj_per_unit, int8_mult / 2);
    }
    if (a.name == "int4x4_mult") {
      EXPECT_DOUBLE_EQ(a.pj_per_unit, int8_mult / 4);
    }
  }
  // The accumulate does not narrow.
  EXPECT_DOUBLE_EQ(b4.result.ledger.TotalCountOf("int32_add"),
                   b8.result.ledger.TotalCountOf("int32_add"));
  // The ternary tile's int8 MAC path (int8 linear and attention layers) prices them the same way.
  const SimRun t4 = QuantizedRun("ternary4", 4, true, "mesh4x4-ternary.yaml");
  EXPECT_DOUBLE_EQ(t4.result.ledger.TotalCountOf("int8_mult"), 0);
  EXPECT_DOUBLE_EQ(t4.result.ledger.TotalCountOf("int4x8_mult"), linear_macs);
  EXPECT_DOUBLE_EQ(t4.result.ledger.TotalCountOf("int4x4_mult"), attention_macs);
}

}  // namespace
}  // namespace pjsim
