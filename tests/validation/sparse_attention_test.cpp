// Dynamic sparse attention (docs/SPARSE_ATTENTION.md) simulated on the shipped 8x8 mesh: a
// selection that keeps every token costs exactly what dense attention costs; keeping fewer
// tokens cuts the KV cache read in proportion and charges the router (its summary cache read,
// its scoring GEMM and its top-k); the kept blocks are read at scattered addresses, so the DRAM
// opens more rows than for the same number of contiguous tokens.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "simulate_yaml.h"

namespace pjsim {
namespace {

using test::SimRun;

constexpr std::int64_t kHeads = 8, kKvHeads = 2, kHeadDim = 64;

// One attention block (scores, softmax, context) of a decode pass, or of a prefill pass when
// q_len > 1, with `sparsity` (a YAML flow map, or "" for dense) on both attention ops.
std::string AttentionYaml(std::int64_t q_len, std::int64_t kv_len, const std::string& sparsity,
                          std::int64_t passes = 1) {
  const std::string dims =
      "sequences: 1, heads: " + std::to_string(kHeads) + ", kv_heads: " + std::to_string(kKvHeads) +
      ", head_dim: " + std::to_string(kHeadDim) + ", q_len: " + std::to_string(q_len) +
      ", kv_len: " + std::to_string(kv_len);
  const std::string sp = sparsity.empty() ? "" : ", sparsity: " + sparsity;
  const bool decode = q_len == 1;
  return "name: attention\ndtype: int8\nphase: " + std::string(decode ? "decode" : "prefill") +
         "\n" + (decode ? "decode_tokens: " + std::to_string(passes) + "\n" : "") +
         "tokens_per_pass: " + std::to_string(q_len) +
         "\nlayers:\n"
         "  - {name: q, op: linear, m: " +
         std::to_string(q_len) + ", k: 512, n: " + std::to_string(kHeads * kHeadDim) +
         "}\n"
         "  - {name: scores, op: attention_scores, " +
         dims + sp +
         ", inputs: [q]}\n"
         "  - {name: softmax, op: softmax, m: " +
         std::to_string(kHeads * q_len) + ", n: " + std::to_string(kv_len) +
         "}\n"
         "  - {name: context, op: attention_context, " +
         dims + sp + "}\n";
}

SimRun Simulate(const std::string& name, const std::string& yaml) {
  return test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm.yaml"),
                            test::WriteWorkloadYaml("sparse_" + name, yaml));
}

int IndexOf(const SimRun& r, const std::string& name) {
  const auto& layers = r.config.workload.graph->layers();
  for (size_t l = 0; l < layers.size(); ++l) {
    if (layers[l].name == name) return static_cast<int>(l);
  }
  return -1;
}

const LayerResult& ResultOf(const SimRun& r, const std::string& name) {
  const int l = IndexOf(r, name);
  if (l < 0) throw std::runtime_error("no layer " + name);
  return r.result.layers[static_cast<size_t>(l)];
}

double KvBytes(const SimRun& r) {
  return ResultOf(r, "scores").operand_b_bytes + ResultOf(r, "context").operand_b_bytes;
}

double RouterEnergyPj(const SimRun& r) {
  double pj = 0;
  for (const char* suffix : {".summary", ".router", ".select"}) {
    const int l = IndexOf(r, std::string("scores") + suffix);
    if (l >= 0) pj += r.result.ledger.LayerEnergyPj(l);
  }
  return pj;
}

void ExpectSameRun(const SimRun& sparse, const SimRun& dense) {
  ASSERT_EQ(sparse.result.layers.size(), dense.result.layers.size());  // no router layers
  EXPECT_EQ(sparse.result.ledger.TotalEnergyPj(), dense.result.ledger.TotalEnergyPj());
  EXPECT_EQ(sparse.result.total_ps, dense.result.total_ps);
  EXPECT_EQ(test::ChannelReadBytes(sparse.result), test::ChannelReadBytes(dense.result));
  EXPECT_EQ(KvBytes(sparse), KvBytes(dense));
  for (size_t c = 0; c < dense.result.channels.size(); ++c) {
    EXPECT_EQ(sparse.result.channels[c].row_hits, dense.result.channels[c].row_hits);
  }
}

TEST(SparseAttention, KeepingEveryBlockIsExactlyDenseForEachKind) {
  constexpr std::int64_t kv = 4096;
  const SimRun dense = Simulate("dense", AttentionYaml(1, kv, ""));
  ExpectSameRun(
      Simulate("all_blocks", AttentionYaml(1, kv, "{kind: topk_blocks, block: 64, keep: 64}")),
      dense);
  ExpectSameRun(Simulate("all_tokens", AttentionYaml(1, kv, "{kind: topk_tokens, keep: 4096}")),
                dense);
  ExpectSameRun(
      Simulate("all_window", AttentionYaml(1, kv, "{kind: sliding_window, window: 5000}")), dense);
}

TEST(SparseAttention, PrefillKeepingEveryBlockIsExactlyDense) {
  const SimRun dense = Simulate("prefill_dense", AttentionYaml(512, 512, ""));
  ExpectSameRun(
      Simulate("prefill_all", AttentionYaml(512, 512, "{kind: topk_blocks, block: 64, keep: 8}")),
      dense);
}

// Decode at `kv` cached tokens: the attention ops read kept / kv of the dense cache, and the
// router's summary cache read and arithmetic are charged on top.
void ExpectProportionalDecode(std::int64_t kv) {
  const std::string k = std::to_string(kv);
  const SimRun dense = Simulate("dense" + k, AttentionYaml(1, kv, ""));
  const double dense_kv = KvBytes(dense);
  EXPECT_DOUBLE_EQ(dense_kv, 2.0 * kKvHeads * kHeadDim * static_cast<double>(kv));
  // 8 blocks of 64: the query's own (the last, full at these lengths) and seven others.
  const SimRun blocks =
      Simulate("blocks" + k, AttentionYaml(1, kv, "{kind: topk_blocks, block: 64, keep: 8}"));
  EXPECT_DOUBLE_EQ(KvBytes(blocks), dense_kv * 512 / static_cast<double>(kv));
  // Quest's summaries: a min and a max vector per block and KV head, all read by the router.
  EXPECT_DOUBLE_EQ(ResultOf(blocks, "scores.router").operand_b_bytes,
                   2.0 * static_cast<double>(kv / 64) * kKvHeads * kHeadDim);
  EXPECT_GT(ResultOf(blocks, "scores.router").macs, 0);
  EXPECT_GT(RouterEnergyPj(blocks), 0);
  EXPECT_EQ(ResultOf(blocks, "scores").macs,
            ResultOf(dense, "scores").macs * 512 / static_cast<double>(kv));
  // Single tokens: one index key per token (summary_dim 16) read by the router.
  const SimRun tokens = Simulate(
      "tokens" + k, AttentionYaml(1, kv, "{kind: topk_tokens, keep: 256, summary_dim: 16}"));
  EXPECT_DOUBLE_EQ(KvBytes(tokens), dense_kv * 256 / static_cast<double>(kv));
  EXPECT_DOUBLE_EQ(ResultOf(tokens, "scores.router").operand_b_bytes,
                   static_cast<double>(kv) * kKvHeads * 16);
  EXPECT_GT(RouterEnergyPj(tokens), 0);
  // A window has no router.
  const SimRun window =
      Simulate("window" + k, AttentionYaml(1, kv, "{kind: sliding_window, window: 1024}"));
  EXPECT_DOUBLE_EQ(KvBytes(window), dense_kv * 1024 / static_cast<double>(kv));
  EXPECT_EQ(window.result.layers.size(), dense.result.layers.size());
  for (const SimRun* r : {&blocks, &tokens, &window}) {
    EXPECT_LT(r->result.ledger.TotalEnergyPj(), dense.result.ledger.TotalEnergyPj());
  }
}

TEST(SparseAttention, DecodeAt4kReadsTheKeptBlocksOnlyAndChargesTheRouter) {
  ExpectProportionalDecode(4096);
}

TEST(SparseAttention, DecodeAt32kReadsTheKeptBlocksOnlyAndChargesTheRouter) {
  ExpectProportionalDecode(32768);
}

TEST(SparseAttention, DecodePassesFollowTheGrowingCache) {
  // 4,095 then 4,096 then 4,097 cached tokens: the own block is partly filled, then full, then
  // a new block of one token starts.
  const SimRun r =
      Simulate("passes", AttentionYaml(1, 4095, "{kind: topk_blocks, block: 64, keep: 8}", 3));
  const double kept = (7 * 64 + 63) + (7 * 64 + 64) + (7 * 64 + 1);
  EXPECT_DOUBLE_EQ(KvBytes(r), 2.0 * kKvHeads * kHeadDim * kept);
  // The summaries: 64, 64 then 65 blocks.
  EXPECT_DOUBLE_EQ(ResultOf(r, "scores.router").operand_b_bytes,
                   2.0 * (64 + 64 + 65) * kKvHeads * kHeadDim);
}

TEST(SparseAttention, PrefillAttendsPerQueryBlockAndChargesTheRouter) {
  constexpr std::int64_t kSeq = 2048;
  const SimRun dense = Simulate("prefill_dense2k", AttentionYaml(kSeq, kSeq, ""));
  const SimRun sparse = Simulate(
      "prefill_sparse2k", AttentionYaml(kSeq, kSeq, "{kind: topk_blocks, block: 64, keep: 4}"));
  // 32 query blocks of 64 queries, each over 4 blocks of 64 keys: 1/8 of the dense products.
  EXPECT_EQ(ResultOf(sparse, "scores").macs * 8, ResultOf(dense, "scores").macs);
  EXPECT_EQ(ResultOf(sparse, "context").macs * 8, ResultOf(dense, "context").macs);
  EXPECT_GT(RouterEnergyPj(sparse), 0);
  // Each query block reads its own kept blocks' keys and values, once: more than the dense op,
  // which holds this short cache on chip and reads it once for all queries.
  EXPECT_DOUBLE_EQ(KvBytes(sparse), 32.0 * 4 * 64 * kHeadDim * kKvHeads * 2);
  EXPECT_DOUBLE_EQ(KvBytes(dense), 2.0 * kSeq * kHeadDim * kKvHeads);
  EXPECT_LT(sparse.result.ledger.TotalEnergyPj(), dense.result.ledger.TotalEnergyPj());
}

std::int64_t RowMisses(const SimRun& r) {
  std::int64_t misses = 0;
  for (const ChannelResult& c : r.result.channels) misses += c.row_misses;
  return misses;
}

TEST(SparseAttention, ScatteredBlocksOpenMoreDramRowsThanAContiguousWindow) {
  // The same 1,024 tokens' keys and values: one contiguous window, 64 blocks of 16 tokens spread
  // over the 32k cache, or 1,024 single tokens. One-value summaries keep the router's own
  // (contiguous) reads small against the attention's.
  constexpr std::int64_t kv = 32768;
  const SimRun window =
      Simulate("rows_window", AttentionYaml(1, kv, "{kind: sliding_window, window: 1024}"));
  const SimRun blocks =
      Simulate("rows_blocks",
               AttentionYaml(1, kv, "{kind: topk_blocks, block: 16, keep: 64, summary_dim: 1}"));
  const SimRun tokens = Simulate(
      "rows_tokens", AttentionYaml(1, kv, "{kind: topk_tokens, keep: 1024, summary_dim: 1}"));
  ASSERT_DOUBLE_EQ(KvBytes(window), KvBytes(blocks));
  ASSERT_DOUBLE_EQ(KvBytes(window), KvBytes(tokens));
  EXPECT_LT(RowMisses(window), RowMisses(blocks));
  EXPECT_LT(RowMisses(blocks), RowMisses(tokens));
}

}  // namespace
}  // namespace pjsim
