// Native Sparse Attention (kind: nsa, docs/SPARSE_ATTENTION.md): the selection branch keeps its
// initial and local blocks, the workload reader emits the compression branch, the selection's
// scoring, the window branch and the gate with the shapes of the paper's formulas, they grow with
// the decode cache, and bad keys are reported at their line.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sim/config/yaml_reader.h"
#include "sim/graph/attention_sparsity.h"
#include "sim/workload/workload.h"

namespace pjsim {
namespace {

AttentionSparsity Nsa() {
  AttentionSparsity s;
  s.kind = SparsityKind::kNsa;
  s.block = 64;
  s.keep = 16;
  s.window = 512;
  return s;
}

Workload Read(const std::string& yaml) {
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml")));
}

std::string ErrorOf(const std::string& yaml) {
  try {
    Read(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const Layer& Find(const Workload& w, const std::string& name) {
  for (const Layer& l : w.graph->layers()) {
    if (l.name == name) return l;
  }
  throw std::runtime_error("no layer " + name);
}

// q projection, scores, softmax, context and the output projection that reads the context.
std::string Block(std::int64_t q_len, std::int64_t kv_len, const std::string& sparsity) {
  const std::string dims =
      "sequences: 2, heads: 8, kv_heads: 2, head_dim: 64, q_len: " + std::to_string(q_len) +
      ", kv_len: " + std::to_string(kv_len);
  const std::string rows = std::to_string(2 * q_len);
  return "name: w\ndtype: int8\nphase: " + std::string(q_len == 1 ? "decode" : "prefill") + "\n" +
         (q_len == 1 ? "decode_tokens: 3\n" : "") + "tokens_per_pass: " + rows +
         "\nsparsity: " + sparsity +
         "\nlayers:\n"
         "  - {name: x, op: norm, function: rmsnorm, m: " +
         rows +
         ", n: 256}\n"
         "  - {name: q, op: linear, m: " +
         rows +
         ", k: 256, n: 512}\n"
         "  - {name: s, op: attention_scores, " +
         dims +
         ", inputs: [q]}\n"
         "  - {name: p, op: softmax, m: " +
         std::to_string(16 * q_len) + ", n: " + std::to_string(kv_len) +
         "}\n"
         "  - {name: c, op: attention_context, " +
         dims +
         "}\n"
         "  - {name: o, op: linear, m: " +
         rows + ", k: 512, n: 256}\n";
}

TEST(NsaSelection, KeepsTheInitialAndLocalBlocksAndDistinctOthers) {
  const AttentionSparsity s = Nsa();
  // Decode at 4,100 tokens: 65 blocks, the last holding 4 tokens.
  const KvSelection sel = s.Select(1, 4100, 3, 0);
  ASSERT_EQ(sel.starts.size(), 16u);
  EXPECT_EQ(sel.starts.front(), 0);    // the initial block
  EXPECT_EQ(sel.starts[14], 63 * 64);  // the local block before the own
  EXPECT_EQ(sel.starts[15], 64 * 64);  // the own block
  EXPECT_EQ(sel.last_run, 4);
  const std::set<std::int64_t> distinct(sel.starts.begin(), sel.starts.end());
  EXPECT_EQ(distinct.size(), 16u);
  for (size_t i = 1; i + 2 < sel.starts.size(); ++i) {  // the 13 drawn ones lie between
    EXPECT_GT(sel.starts[i], 0);
    EXPECT_LT(sel.starts[i], 63 * 64);
  }
  EXPECT_EQ(s.KeptTokens(1, 4100), 15 * 64 + 4);
  // Without initial or local blocks beyond its own it is topk_blocks' selection.
  AttentionSparsity plain = s;
  plain.initial_blocks = 0;
  plain.local_blocks = 1;
  AttentionSparsity topk = s;
  topk.kind = SparsityKind::kTopkBlocks;
  EXPECT_EQ(plain.Select(1, 4100, 3, 0).starts, topk.Select(1, 4100, 3, 0).starts);
  // Prefill query block 40 of 64 (keys up to 2,623 of 4,096): its own and the one before.
  const KvSelection pre = s.Select(4096, 4096, 0, 40);
  EXPECT_EQ(pre.starts.front(), 0);
  EXPECT_EQ(pre.starts.back(), 40 * 64);
  EXPECT_EQ(pre.starts[pre.starts.size() - 2], 39 * 64);
}

TEST(NsaSelection, CompressedEntriesCountCompleteBlocksEveryStride) {
  const AttentionSparsity s = Nsa();
  EXPECT_EQ(s.CompressedEntries(31), 0);
  EXPECT_EQ(s.CompressedEntries(32), 1);
  EXPECT_EQ(s.CompressedEntries(47), 1);
  EXPECT_EQ(s.CompressedEntries(48), 2);
  EXPECT_EQ(s.CompressedEntries(4096), (4096 - 32) / 16 + 1);
}

TEST(NsaWorkload, TheReaderEmitsEveryBranchWithThePapersShapes) {
  const Workload w = Read(Block(1, 4096, "{kind: nsa}"));
  constexpr std::int64_t kEntries = (4096 - 32) / 16 + 1;  // 255
  // (a) compression: attention over the compressed cache, per KV head its 4 query heads.
  const Layer& cmp = Find(w, "s.cmp_scores");
  EXPECT_EQ(cmp.batch, 2 * 2);
  EXPECT_EQ(cmp.m, 4);
  EXPECT_EQ(cmp.n, kEntries);
  EXPECT_FALSE(cmp.GathersKv());
  EXPECT_EQ(cmp.OperandBStoredBytes(), 2 * 2 * kEntries * 64);
  EXPECT_EQ(Find(w, "s.cmp_softmax").n, kEntries);
  EXPECT_EQ(Find(w, "s.cmp_context").k, kEntries);
  // The compressor folds the new token into the 32 / 16 = 2 entries it belongs to, keys and
  // values: 4 slices of 64 x 64 per (sequence, KV head).
  const Layer& compress = Find(w, "s.compress");
  EXPECT_EQ(compress.kind, OpKind::kLinear);
  EXPECT_EQ(compress.Macs(), 2 * 2 * 2 * 2 * 64 * 64);
  // (b) selection: 64 blocks scored, 4 x 2 entries per block and query head, 4 heads a group.
  const Layer& score = Find(w, "s.select_score");
  EXPECT_EQ(score.m, 2 * 2);
  EXPECT_EQ(score.n, 64);
  EXPECT_EQ(score.inner, 4 * 4 * 2);
  EXPECT_EQ(Find(w, "s.select").n, 64);
  EXPECT_EQ(Find(w, "s").n, 16 * 64);
  EXPECT_EQ(Find(w, "c").k, 16 * 64);
  EXPECT_TRUE(Find(w, "s").GathersKv());
  EXPECT_EQ(Find(w, "s").after, std::vector<std::string>{"s.select"});
  // (c) window.
  EXPECT_EQ(Find(w, "s.win_scores").n, 512);
  EXPECT_EQ(Find(w, "s.win_softmax").n, 512);
  EXPECT_EQ(Find(w, "s.win_context").k, 512);
  // The gate reads the q projection's input: a score per branch and query head.
  const Layer& gate = Find(w, "s.gate");
  EXPECT_EQ(gate.inputs, std::vector<std::string>{"x"});
  EXPECT_EQ(gate.k, 256);
  EXPECT_EQ(gate.n, 3 * 8);
  EXPECT_EQ(Find(w, "s.mix").inputs, (std::vector<std::string>{"s.cmp_context", "s.win_context"}));
  EXPECT_EQ(Find(w, "s.combine").inputs, (std::vector<std::string>{"s.mix", "c"}));
  // The output projection reads the mixed output.
  EXPECT_EQ(Find(w, "o").inputs, std::vector<std::string>{"s.combine"});
}

TEST(NsaWorkload, BranchesGrowWithTheDecodeCache) {
  const Workload w = Read(Block(1, 4095, "{kind: nsa}"));
  // 4,095 .. 4,097 cached tokens: the 255th entry completes at 4,096.
  EXPECT_EQ(Find(w, "s.cmp_scores").n, 254);
  EXPECT_EQ(Find(w, "s.cmp_scores").AtDecodeStep(1).n, 255);
  EXPECT_EQ(Find(w, "s.cmp_context").AtDecodeStep(2).k, 255);
  EXPECT_EQ(Find(w, "s.cmp_softmax").AtDecodeStep(1).n, 255);
  EXPECT_EQ(Find(w, "s.select_score").AtDecodeStep(2).n, 65);
  EXPECT_EQ(Find(w, "s").AtDecodeStep(2).n, 15 * 64 + 1);
  EXPECT_EQ(Find(w, "s.win_scores").AtDecodeStep(2).n, 512);
  EXPECT_EQ(Find(w, "s.compress").AtDecodeStep(2).Macs(), Find(w, "s.compress").Macs());
}

// The defaults are the paper's (section 4.1: l = 32, d = 16, l' = 64, n = 16, w = 512): a decode
// step then loads the tokens of its Table 4 (section 5.2), s/d compressed + n l' selected + w
// window tokens per KV head. pjsim counts the entries eq. 7 completes, (s - l)/d + 1 = s/d - 1.
TEST(NsaWorkload, DefaultDecodeLoadsTheTokensOfThePapersTable4) {
  const std::vector<std::pair<std::int64_t, std::int64_t>> table4 = {
      {8192, 2048}, {16384, 2560}, {32768, 3584}, {65536, 5632}};
  for (const auto& [cached, published] : table4) {
    const Workload w = Read(Block(1, cached, "{kind: nsa}"));
    const std::int64_t loaded =
        Find(w, "s.cmp_scores").n + Find(w, "s").n + Find(w, "s.win_scores").n;
    EXPECT_EQ(loaded, published - 1) << cached << " cached tokens";
  }
}

TEST(NsaWorkload, DecodeStepsCompressAsMuchAsPrefillPerEntry) {
  // Prefill of 2,048 tokens compresses 127 entries at once; 16 decode steps fold one entry's
  // worth of products into the partial entries, whatever the cache length.
  const Workload pre = Read(Block(2048, 2048, "{kind: nsa}"));
  const Layer& batch = Find(pre, "s.compress");
  constexpr std::int64_t kEntries = (2048 - 32) / 16 + 1;
  EXPECT_EQ(batch.m, 2 * 2 * kEntries);
  EXPECT_EQ(batch.k, 32 * 64);
  const std::int64_t per_entry = batch.Macs() / kEntries;
  const Workload dec = Read(Block(1, 4095, "{kind: nsa}"));
  EXPECT_EQ(16 * Find(dec, "s.compress").Macs(), per_entry);
}

TEST(NsaWorkload, BadKeysAreReportedAtTheirLine) {
  EXPECT_EQ(ErrorOf(Block(1, 4096, "{kind: nsa, keep: 2}")),
            "w.yaml:6:29: 'sparsity.keep': keeps 2 blocks but always keeps 1 initial + 2 local "
            "blocks");
  EXPECT_EQ(ErrorOf(Block(1, 4096, "{kind: nsa, compress_block: 32, compress_stride: 12}")),
            "w.yaml:6:60: 'sparsity.compress_stride': must divide compress_block (32), got 12");
  EXPECT_EQ(ErrorOf(Block(1, 4096, "{kind: nsa, block: 40, compress_stride: 16}")),
            "w.yaml:6:51: 'sparsity.compress_stride': must divide block (40, the selection "
            "block), got 16");
  EXPECT_EQ(ErrorOf(Block(1, 4096, "{kind: nsa, compress_stride: 64}")),
            "w.yaml:6:40: 'sparsity.compress_stride': must be <= 32, got 64");
  EXPECT_EQ(ErrorOf(Block(1, 16, "{kind: nsa}")),
            "w.yaml:6:11: 'sparsity.compress_block': layer 's': a cache of 16 tokens holds no "
            "whole compression block of 32");
  EXPECT_EQ(ErrorOf(Block(1, 4096, "{kind: nsa, summary_dim: 8}")),
            "w.yaml:6:36: 'sparsity.summary_dim': nsa scores its blocks from the compressed "
            "attention, not from summaries");
  EXPECT_EQ(ErrorOf(Block(1, 4096, "{kind: nsa, local_blocks: 0}")),
            "w.yaml:6:37: 'sparsity.local_blocks': must be >= 1, got 0");
  // The branches' outputs are mixed into the context's: a scores op alone cannot be NSA.
  EXPECT_EQ(ErrorOf("name: w\ndtype: int8\nsparsity: {kind: nsa}\nlayers:\n  - {name: s, op: "
                    "attention_scores, heads: 8, head_dim: 64, q_len: 1, kv_len: 4096}\n"),
            "w.yaml:5:5: NSA scores 's' needs an attention_context that reads its probabilities "
            "(through one softmax): the branches' outputs are mixed");
  EXPECT_EQ(ErrorOf(Block(1, 4096, "{kind: nsa, colour: red}")),
            "w.yaml:6:23: unknown key 'sparsity.colour'");
}

}  // namespace
}  // namespace pjsim
