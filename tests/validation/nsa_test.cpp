// Native Sparse Attention (docs/SPARSE_ATTENTION.md) simulated on the shipped 8x8 mesh: a decode
// pass reads the compressed cache, the selected blocks and the window, as the branches'
// formulas say, and every branch's arithmetic is charged (the run's MACs are the sum of the
// branches' and nothing else), in decode and in prefill.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "sim/run/op_groups.h"
#include "simulate_yaml.h"

namespace pjsim {
namespace {

using test::SimRun;

constexpr std::int64_t kHeads = 8, kKvHeads = 2, kHeadDim = 64, kHidden = 512;

// The q projection and one NSA attention block (paper defaults) of a pass of q_len tokens.
std::string NsaYaml(std::int64_t q_len, std::int64_t kv_len, std::int64_t passes = 1) {
  const std::string dims =
      "sequences: 1, heads: " + std::to_string(kHeads) + ", kv_heads: " + std::to_string(kKvHeads) +
      ", head_dim: " + std::to_string(kHeadDim) + ", q_len: " + std::to_string(q_len) +
      ", kv_len: " + std::to_string(kv_len);
  const bool decode = q_len == 1;
  return "name: nsa\ndtype: int8\nphase: " + std::string(decode ? "decode" : "prefill") + "\n" +
         (decode ? "decode_tokens: " + std::to_string(passes) + "\n" : "") +
         "tokens_per_pass: " + std::to_string(q_len) +
         "\nsparsity: {kind: nsa}\nlayers:\n"
         "  - {name: q, op: linear, m: " +
         std::to_string(q_len) + ", k: " + std::to_string(kHidden) +
         ", n: " + std::to_string(kHeads * kHeadDim) +
         "}\n"
         "  - {name: scores, op: attention_scores, " +
         dims +
         ", inputs: [q]}\n"
         "  - {name: softmax, op: softmax, m: " +
         std::to_string(kHeads * q_len) + ", n: " + std::to_string(kv_len) +
         "}\n"
         "  - {name: context, op: attention_context, " +
         dims + "}\n";
}

SimRun Simulate(const std::string& name, const std::string& yaml) {
  return test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm.yaml"),
                            test::WriteWorkloadYaml("nsa_" + name, yaml));
}

int IndexOf(const SimRun& r, const std::string& name) {
  const auto& layers = r.config.workload.graph->layers();
  for (size_t l = 0; l < layers.size(); ++l) {
    if (layers[l].name == name) return static_cast<int>(l);
  }
  throw std::runtime_error("no layer " + name);
}

const LayerResult& ResultOf(const SimRun& r, const std::string& name) {
  return r.result.layers[static_cast<size_t>(IndexOf(r, name))];
}

double OperandB(const SimRun& r, const std::string& scores, const std::string& context) {
  return ResultOf(r, scores).operand_b_bytes + ResultOf(r, context).operand_b_bytes;
}

double Entries(std::int64_t tokens) { return static_cast<double>((tokens - 32) / 16 + 1); }

TEST(Nsa, DecodeReadsTheCompressedCacheTheSelectedBlocksAndTheWindow) {
  // 4,095, 4,096 and 4,097 cached tokens: the 255th entry completes at 4,096; the own selection
  // block holds 63, 64, then 1 token.
  const SimRun r = Simulate("decode", NsaYaml(1, 4095, 3));
  const double per_token = 2.0 * kKvHeads * kHeadDim;  // a key and a value per KV head, int8
  EXPECT_DOUBLE_EQ(OperandB(r, "scores.cmp_scores", "scores.cmp_context"),
                   per_token * (Entries(4095) + Entries(4096) + Entries(4097)));
  EXPECT_DOUBLE_EQ(OperandB(r, "scores", "context"),
                   per_token * ((15 * 64 + 63) + (15 * 64 + 64) + (15 * 64 + 1)));
  EXPECT_DOUBLE_EQ(OperandB(r, "scores.win_scores", "scores.win_context"), per_token * 3 * 512);
  // The window's tokens and the local blocks are read by both branches: each has its own keys
  // and values in the paper (section 3.3.3); no branch reads a token twice.
}

// MACs of the run's GEMMs, each branch from its formula; the sum must be the run's total.
void ExpectEveryBranchCharged(const SimRun& r, std::int64_t q_len, std::int64_t kv_len,
                              double compress_macs) {
  const double g_rows = static_cast<double>(q_len * kHeads);  // query rows over all heads
  const double cmp = Entries(kv_len), d = kHeadDim;
  const double sel = 16.0 * 64;  // 16 full blocks at these lengths
  const double win = q_len == 1 ? 512.0 : 512.0 + 64 - 1;
  EXPECT_DOUBLE_EQ(ResultOf(r, "scores.cmp_scores").macs, g_rows * cmp * d);
  EXPECT_DOUBLE_EQ(ResultOf(r, "scores.cmp_context").macs, g_rows * cmp * d);
  EXPECT_DOUBLE_EQ(ResultOf(r, "scores").macs, g_rows * sel * d);
  EXPECT_DOUBLE_EQ(ResultOf(r, "scores.win_scores").macs, g_rows * win * d);
  EXPECT_DOUBLE_EQ(ResultOf(r, "scores.compress").macs, compress_macs);
  const double gate = static_cast<double>(q_len) * kHidden * 3 * kHeads;
  EXPECT_DOUBLE_EQ(ResultOf(r, "scores.gate").macs, gate);
  const double q_proj = static_cast<double>(q_len) * kHidden * kHeads * kHeadDim;
  double total = 0;
  for (const LayerResult& l : r.result.layers) total += l.macs;
  EXPECT_DOUBLE_EQ(total, q_proj + 2 * g_rows * (cmp + sel + win) * d + compress_macs + gate);
  // The vector work of the selection's scoring and of the gated sum is charged too.
  for (const char* op :
       {"scores.select_score", "scores.select", "scores.gate_sigmoid", "scores.mix",
        "scores.combine", "scores.cmp_softmax", "scores.win_softmax"}) {
    EXPECT_GT(r.result.ledger.LayerEnergyPj(IndexOf(r, op)), 0) << op;
  }
}

TEST(Nsa, DecodeChargesEveryBranch) {
  const SimRun r = Simulate("decode_macs", NsaYaml(1, 8192));
  // The new token folded into 2 partial entries, keys and values, per KV head.
  ExpectEveryBranchCharged(r, 1, 8192, 2.0 * 2 * kKvHeads * kHeadDim * kHeadDim);
}

TEST(Nsa, PrefillChargesEveryBranch) {
  const SimRun r = Simulate("prefill_macs", NsaYaml(2048, 2048));
  // Every entry of the prompt compressed at once: 32 keys (values) of 64 to 64 per entry.
  ExpectEveryBranchCharged(r, 2048, 2048,
                           2.0 * kKvHeads * Entries(2048) * 32 * kHeadDim * kHeadDim);
}

TEST(Nsa, OpsCsvGroupsTheBranches) {
  const RunConfig c = test::LoadYaml(test::ArchFile("mesh8x8-int8-hbm.yaml"),
                                     test::WriteWorkloadYaml("nsa_groups", NsaYaml(1, 4096)));
  const std::vector<std::string> groups = OpGroups(*c.workload.graph);
  const auto& layers = c.workload.graph->layers();
  const auto group = [&](const std::string& name) {
    for (size_t l = 0; l < layers.size(); ++l) {
      if (layers[l].name == name) return groups[l];
    }
    return std::string("<no layer " + name + ">");
  };
  EXPECT_EQ(group("q"), "q_proj");
  EXPECT_EQ(group("scores.compress"), "nsa_compress");
  for (const char* gate : {"scores.gate", "scores.gate_sigmoid", "scores.mix", "scores.combine"})
    EXPECT_EQ(group(gate), "nsa_gate") << gate;
  EXPECT_EQ(group("scores.select_score"), "sparse_attention_router");
  EXPECT_EQ(group("scores.select"), "sparse_attention_router");
  EXPECT_EQ(group("scores.cmp_scores"), "attention_scores");
  EXPECT_EQ(group("scores.win_context"), "attention_context");
  EXPECT_EQ(group("scores"), "attention_scores");
}

}  // namespace
}  // namespace pjsim
