// Dynamic sparse attention's layer semantics (sim/graph/attention_sparsity.h): which cached
// tokens a query block keeps, the shapes of the sparse ops and of the router the workload reader
// emits, how they grow over decode steps, how the mapping keeps a task's gather contiguous, and
// the `sparsity:` key's checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>

#include "sim/config/yaml_reader.h"
#include "sim/graph/attention_sparsity.h"
#include "sim/mapping/kv_gather.h"
#include "sim/workload/workload.h"

namespace pjsim {
namespace {

AttentionSparsity TopkBlocks(std::int64_t block, std::int64_t keep) {
  AttentionSparsity s;
  s.kind = SparsityKind::kTopkBlocks;
  s.block = block;
  s.keep = keep;
  return s;
}

// The runs of a selection, as the kept tokens' cache positions.
std::vector<std::int64_t> Positions(const AttentionSparsity& s, std::int64_t q_len,
                                    std::int64_t kv_len, std::int64_t slice, std::int64_t qb) {
  const KvSelection sel = s.Select(q_len, kv_len, slice, qb);
  std::vector<std::int64_t> p;
  for (std::int64_t i = 0; i < s.KeptTokens(q_len, kv_len); ++i) p.push_back(sel.Position(i));
  return p;
}

TEST(SparseAttentionSelection, DecodeKeepsItsOwnBlockAndDistinctEarlierOnes) {
  const AttentionSparsity s = TopkBlocks(64, 8);
  constexpr std::int64_t kv = 4096 + 10;  // the own block holds 10 tokens
  const KvSelection sel = s.Select(1, kv, 3, 0);
  ASSERT_EQ(sel.starts.size(), 8u);
  EXPECT_EQ(sel.starts.back(), 4096);
  EXPECT_EQ(sel.last_run, 10);
  EXPECT_EQ(s.KeptTokens(1, kv), 7 * 64 + 10);
  EXPECT_TRUE(std::is_sorted(sel.starts.begin(), sel.starts.end()));
  EXPECT_EQ(std::set<std::int64_t>(sel.starts.begin(), sel.starts.end()).size(), 8u);
  for (std::int64_t start : sel.starts) EXPECT_EQ(start % 64, 0);
  const std::vector<std::int64_t> p = Positions(s, 1, kv, 3, 0);
  EXPECT_TRUE(std::all_of(p.begin(), p.end(), [&](std::int64_t x) { return x >= 0 && x < kv; }));
  EXPECT_EQ(std::set<std::int64_t>(p.begin(), p.end()).size(), p.size());
  // Deterministic, and different for another KV head or the next decode step.
  EXPECT_EQ(s.Select(1, kv, 3, 0).starts, sel.starts);
  EXPECT_NE(s.Select(1, kv, 4, 0).starts, sel.starts);
  EXPECT_NE(s.Select(1, kv + 1, 3, 0).starts, sel.starts);
}

TEST(SparseAttentionSelection, KeptBlocksSpreadOverTheWholeCache) {
  // Over many heads, the kept earlier blocks cover the cache uniformly: each half gets about
  // half of them.
  const AttentionSparsity s = TopkBlocks(64, 17);
  std::int64_t early = 0, total = 0;
  for (std::int64_t slice = 0; slice < 200; ++slice) {
    const KvSelection sel = s.Select(1, 65536, slice, 0);
    for (size_t i = 0; i + 1 < sel.starts.size(); ++i, ++total) early += sel.starts[i] < 32768;
  }
  EXPECT_NEAR(static_cast<double>(early) / static_cast<double>(total), 0.5, 0.05);
}

TEST(SparseAttentionSelection, PrefillQueryBlocksStayCausalOncePastTheBudget) {
  const AttentionSparsity s = TopkBlocks(64, 4);
  constexpr std::int64_t kSeq = 1024;  // 16 query blocks
  EXPECT_EQ(s.QueryBlocks(kSeq, kSeq), 16);
  EXPECT_EQ(s.KeptTokens(kSeq, kSeq), 4 * 64);
  for (std::int64_t qb = 0; qb < 16; ++qb) {
    const KvSelection sel = s.Select(kSeq, kSeq, 0, qb);
    ASSERT_EQ(sel.starts.size(), 4u);
    if (qb >= 3) {
      EXPECT_EQ(sel.starts.back(), qb * 64);  // its own block, and only earlier ones
    } else {
      // The first query blocks run the fixed budget over the first blocks (later ones masked).
      EXPECT_EQ(sel.starts, (std::vector<std::int64_t>{0, 64, 128, 192}));
    }
  }
}

TEST(SparseAttentionSelection, TokensAndWindows) {
  AttentionSparsity tokens;
  tokens.kind = SparsityKind::kTopkTokens;
  tokens.keep = 100;
  EXPECT_EQ(tokens.KeptTokens(1, 5000), 100);
  EXPECT_EQ(tokens.GatherRun(1, 5000), 1);
  EXPECT_EQ(tokens.SummaryVectors(5000), 5000);
  const std::vector<std::int64_t> p = Positions(tokens, 1, 5000, 0, 0);
  EXPECT_EQ(p.back(), 4999);
  EXPECT_EQ(std::set<std::int64_t>(p.begin(), p.end()).size(), 100u);
  AttentionSparsity window;
  window.kind = SparsityKind::kSlidingWindow;
  window.window = 1000;
  EXPECT_EQ(window.Select(1, 5000, 0, 0).starts, std::vector<std::int64_t>{4000});
  EXPECT_EQ(window.KeptTokens(1, 5000), 1000);
  // Prefill query block 2 of 64 queries (positions 128..191): the band 128 - 999 .. 191, from 0.
  EXPECT_EQ(window.KeptTokens(2048, 2048), 1000 + 64 - 1);
  EXPECT_EQ(window.Select(2048, 2048, 0, 2).starts, std::vector<std::int64_t>{0});
  EXPECT_EQ(window.Select(2048, 2048, 0, 31).starts,
            std::vector<std::int64_t>{2048 - (1000 + 64 - 1)});
  // Nothing dropped: dense.
  EXPECT_FALSE(window.Selects(1000));
  EXPECT_EQ(window.KeptTokens(1, 1000), 1000);
  EXPECT_FALSE(TopkBlocks(64, 16).Selects(1024));
  EXPECT_TRUE(TopkBlocks(64, 16).Selects(1025));
}

Workload Read(const std::string& yaml) {
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml")));
}

const Layer& Find(const Workload& w, const std::string& name) {
  for (const Layer& l : w.graph->layers()) {
    if (l.name == name) return l;
  }
  throw std::runtime_error("no layer " + name);
}

const std::string kDims =
    "sequences: 2, heads: 8, kv_heads: 2, head_dim: 64, q_len: 1, kv_len: 4096";

std::string Decode(const std::string& sparsity, const std::string& context_sparsity) {
  return "name: w\ndtype: int8\nphase: decode\ndecode_tokens: 3\ntokens_per_pass: 2\nlayers:\n"
         "  - {name: s, op: attention_scores, " +
         kDims + sparsity +
         ", inputs: []}\n"
         "  - {name: p, op: softmax, m: 16, n: 4096}\n"
         "  - {name: c, op: attention_context, " +
         kDims + context_sparsity + "}\n";
}

TEST(SparseAttentionWorkload, TheReaderEmitsTheRouterAndShrinksTheOps) {
  const std::string sp = ", sparsity: {kind: topk_blocks, block: 64, keep: 8}";
  const Workload w = Read(Decode(sp, sp));
  const auto& layers = w.graph->layers();
  ASSERT_EQ(layers.size(), 6u);
  EXPECT_EQ(layers[0].name, "s.summary");
  EXPECT_EQ(layers[1].name, "s.router");
  EXPECT_EQ(layers[2].name, "s.select");
  EXPECT_EQ(layers[3].after, std::vector<std::string>{"s.select"});
  // Router: the 8 query heads of each KV head against 2 x 64 summaries of 64 values.
  const Layer& router = Find(w, "s.router");
  EXPECT_EQ(router.batch, 4);
  EXPECT_EQ(router.m, 4);
  EXPECT_EQ(router.k, 64);
  EXPECT_EQ(router.n, 128);
  EXPECT_TRUE(router.inputs.empty());  // the test's scores op reads its queries from DRAM
  EXPECT_EQ(router.after, std::vector<std::string>{"s.summary"});
  EXPECT_EQ(Find(w, "s.select").n, 128);
  EXPECT_EQ(Find(w, "s.select").m, 16);
  EXPECT_EQ(Find(w, "s.summary").function, "block_minmax_step");
  EXPECT_EQ(Find(w, "s.summary").n, 2 * 2 * 64);
  // 4,096 cached tokens fill 64 blocks: the own block and 7 others, all full.
  EXPECT_EQ(Find(w, "s").n, 8 * 64);
  EXPECT_EQ(Find(w, "c").k, 8 * 64);
  EXPECT_EQ(Find(w, "p").n, 8 * 64);
  EXPECT_EQ(Find(w, "s").OutputShape().cols, 8 * 64);
  // The next decode step starts block 65 with one token; the router scores one more block.
  EXPECT_EQ(Find(w, "s").AtDecodeStep(1).n, 7 * 64 + 1);
  EXPECT_EQ(Find(w, "p").AtDecodeStep(1).n, 7 * 64 + 1);
  EXPECT_EQ(Find(w, "c").AtDecodeStep(2).k, 7 * 64 + 2);
  EXPECT_EQ(Find(w, "s.router").AtDecodeStep(1).n, 130);
  EXPECT_EQ(Find(w, "s.select").AtDecodeStep(1).n, 130);
  EXPECT_EQ(Find(w, "s.summary").AtDecodeStep(1).n, 256);
  // The cache the ops gather from is stored whole.
  EXPECT_EQ(Find(w, "s").OperandBStoredBytes(), 2 * 2 * 4096 * 64);
}

TEST(SparseAttentionWorkload, AnOpThatKeepsEveryTokenIsDenseAndHasNoRouter) {
  const std::string sp = ", sparsity: {kind: topk_blocks, block: 64, keep: 65}";
  const Workload sparse = Read(Decode(sp, sp));
  const Workload dense = Read(Decode("", ""));
  ASSERT_EQ(sparse.graph->layers().size(), 3u);
  for (size_t l = 0; l < 3; ++l) {
    const Layer& a = sparse.graph->layers()[l];
    const Layer& b = dense.graph->layers()[l];
    for (std::int64_t step = 0; step < 3; ++step) {
      EXPECT_EQ(a.AtDecodeStep(step).batch, b.AtDecodeStep(step).batch);
      EXPECT_EQ(a.AtDecodeStep(step).m, b.AtDecodeStep(step).m);
      EXPECT_EQ(a.AtDecodeStep(step).k, b.AtDecodeStep(step).k);
      EXPECT_EQ(a.AtDecodeStep(step).n, b.AtDecodeStep(step).n);
    }
    EXPECT_EQ(a.OperandBStoredBytes(), b.OperandBStoredBytes());
  }
}

TEST(SparseAttentionWorkload, PrefillRunsOneProductPerQueryBlock) {
  const Workload w = Read(
      "name: w\ndtype: int8\nphase: prefill\ntokens_per_pass: 1024\nlayers:\n"
      "  - {name: s, op: attention_scores, heads: 8, kv_heads: 2, head_dim: 64, q_len: 1024, "
      "kv_len: 1024, sparsity: {kind: topk_blocks, block: 64, keep: 4}, inputs: []}\n");
  const Layer& s = Find(w, "s");
  EXPECT_EQ(s.batch, 2 * 16);
  EXPECT_EQ(s.m, 64 * 4);
  EXPECT_EQ(s.n, 256);
  EXPECT_EQ(s.Macs() * 4, 2 * 1024 * 4 * 64 * 1024);  // a quarter of the dense products
  const Layer& summary = Find(w, "s.summary");
  EXPECT_EQ(summary.function, "block_minmax");
  EXPECT_EQ(summary.m, 16);
  EXPECT_EQ(summary.inner, 64);
}

TEST(SparseAttentionWorkload, ValuesInTheKeysCacheAreNotGatheredAgain) {
  // Absorbed multi-head latent attention: the context's values are the scores' cached latent.
  const std::string sp = ", sparsity: {kind: topk_tokens, keep: 256}";
  const Workload w = Read(Decode(sp, sp + ", values_in_keys: true"));
  EXPECT_TRUE(Find(w, "s").GathersKv());
  EXPECT_FALSE(Find(w, "c").GathersKv());
  EXPECT_EQ(Find(w, "c").k, 256);
  GemmMapping m;
  m.blocks = {4, 256, 64};
  FitToGather(Find(w, "c"), m);
  EXPECT_EQ(m.blocks.k, 256);  // not cut to one-token runs: nothing is read
}

TEST(SparseAttentionMapping, ATaskGathersFromOneRunOnly) {
  const Workload w = Read(Decode(", sparsity: {kind: topk_blocks, block: 48, keep: 8}",
                                 ", sparsity: {kind: topk_blocks, block: 48, keep: 8}"));
  GemmMapping m;
  m.blocks = {4, 64, 512};
  FitToGather(Find(w, "s"), m);
  EXPECT_EQ(m.blocks.n, 48);
  m.blocks = {4, 40, 64};
  FitToGather(Find(w, "c"), m);
  EXPECT_EQ(m.blocks.k, 24);  // the largest divisor of 48 not above 40
  m.blocks = {4, 64, 512};
  FitToGather(Find(w, "s.router"), m);  // the router's summaries are read whole
  EXPECT_EQ(m.blocks.n, 512);
}

std::string ErrorOf(const std::string& yaml) {
  try {
    Read(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(SparseAttentionWorkload, BadKeysAreReportedAtTheirLine) {
  const auto one = [](const std::string& sparsity) {
    return "name: w\ndtype: int8\nlayers:\n  - {name: s, op: attention_scores, " + kDims +
           ", sparsity: " + sparsity + ", inputs: []}\n";
  };
  EXPECT_EQ(ErrorOf(one("{kind: dense}")),
            "w.yaml:4:129: 'layers.0.sparsity.kind': unknown value 'dense'; expected one of: "
            "topk_blocks, sliding_window, topk_tokens, nsa");
  EXPECT_EQ(ErrorOf(one("{kind: topk_blocks, keep: 8}")),
            "w.yaml:4:122: 'layers.0.sparsity': missing required key 'block'");
  EXPECT_EQ(ErrorOf(one("{kind: topk_blocks, block: 0, keep: 8}")),
            "w.yaml:4:149: 'layers.0.sparsity.block': must be >= 1, got 0");
  EXPECT_EQ(ErrorOf(one("{kind: topk_blocks, block: 64, keep: 8, window: 9}")),
            "w.yaml:4:170: 'layers.0.sparsity.window': 'window' belongs to sliding_window, not "
            "topk_blocks");
  EXPECT_EQ(
      ErrorOf(one("{kind: sliding_window, window: 64, keep: 8}")),
      "w.yaml:4:163: 'layers.0.sparsity.keep': sliding_window keeps its 'window', not 'keep'");
  EXPECT_EQ(ErrorOf(one("{kind: sliding_window, window: 64, summary_dim: 8}")),
            "w.yaml:4:170: 'layers.0.sparsity.summary_dim': sliding_window has no router and no "
            "summaries");
  EXPECT_EQ(ErrorOf(one("{kind: topk_tokens, keep: 8, colour: red}")),
            "w.yaml:4:151: unknown key 'layers.0.sparsity.colour'");
  EXPECT_EQ(ErrorOf("name: w\ndtype: int8\nlayers:\n  - {name: l, op: linear, m: 1, k: 8, n: 8, "
                    "sparsity: {kind: topk_tokens, keep: 8}}\n"),
            "w.yaml:4:45: unknown key 'layers.0.sparsity'");
  EXPECT_EQ(ErrorOf("name: w\ndtype: int8\nlayers:\n  - {name: s, op: attention_scores, heads: 8, "
                    "kv_heads: 2, "
                    "head_dim: 64, q_len: 100, kv_len: 4096, sparsity: {kind: topk_blocks, "
                    "block: 64, keep: 8}, inputs: []}\n"),
            "w.yaml:4:137: 'layers.0.sparsity.block': layer 's': a pass of q_len 100 queries "
            "attends per query block: q_len must be a multiple of block (64)");
  // The context must attend over the tokens its probabilities cover.
  const std::string mismatch =
      "w.yaml:9:5: attention_context 'c' must have the same 'sparsity' as the scores its "
      "probabilities come from ('s')";
  EXPECT_EQ(ErrorOf(Decode(", sparsity: {kind: topk_blocks, block: 64, keep: 8}", "")), mismatch);
  EXPECT_EQ(ErrorOf(Decode("", ", sparsity: {kind: sliding_window, window: 8}")), mismatch);
  EXPECT_EQ(ErrorOf("name: w\ndtype: int8\nsparsity: {kind: topk_tokens, keep: 8}\nlayers:\n"
                    "  - {name: l, op: linear, m: 1, k: 8, n: 8}\n"),
            "w.yaml:3:11: 'sparsity': no attention op to make sparse");
}

TEST(SparseAttentionWorkload, AWorkloadWideKeyMakesEveryAttentionOpSparse) {
  const Workload w = Read(
      "name: w\ndtype: int8\nphase: decode\ndecode_tokens: 1\ntokens_per_pass: 2\n"
      "sparsity: {kind: sliding_window, window: 256}\nlayers:\n"
      "  - {name: s, op: attention_scores, " +
      kDims +
      ", inputs: []}\n"
      "  - {name: p, op: softmax, m: 16, n: 4096}\n"
      "  - {name: c, op: attention_context, " +
      kDims + "}\n");
  EXPECT_EQ(Find(w, "s").n, 256);
  EXPECT_EQ(Find(w, "p").n, 256);
  EXPECT_EQ(Find(w, "c").k, 256);
}

}  // namespace
}  // namespace pjsim
