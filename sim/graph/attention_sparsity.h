#pragma once
// Dynamic sparse attention: which cached tokens an attention op attends to
// (docs/SPARSE_ATTENTION.md).
//   topk_blocks     a router scores per-block key summaries against the query and keeps the `keep`
//                   best blocks of `block` tokens, the query's own block always (Quest,
//                   arXiv:2406.10774; the selection branch of Native Sparse Attention,
//                   arXiv:2502.11089);
//   topk_tokens     the same with single tokens, scored against one index key per token (the
//                   lightning indexer of DeepSeek Sparse Attention, DeepSeek-V3.2-Exp report);
//   sliding_window  the last `window` tokens, no router (Longformer, arXiv:2004.05150; Mistral 7B,
//                   arXiv:2310.06825);
//   nsa             Native Sparse Attention (arXiv:2502.11089): three branches, each its own ops
//                   (the workload reader emits them, docs/SPARSE_ATTENTION.md): attention over
//                   compressed block keys, a block selection scored from that attention's
//                   probabilities (the initial and local blocks always kept), and a sliding
//                   window; a gate mixes their outputs. `branch` says which one an op is.
// Prefill attends per query block of `block` queries, each to its own selection. An op whose
// selection would keep every cached token is dense: same shapes, same plan.
#include <cstdint>
#include <string>
#include <vector>

namespace pjsim {

enum class SparsityKind { kNone, kTopkBlocks, kSlidingWindow, kTopkTokens, kNsa };

// The branch of Native Sparse Attention an op with kind kNsa belongs to.
enum class NsaBranch {
  kSelection,    // the top-n blocks of `block` tokens: behaves as kTopkBlocks
  kCompression,  // attention over the compressed cache (CompressedEntries), dense; on a linear
                 // op: the compressor MLP of the entries a pass completes
  kWindow,       // the last `window` tokens: behaves as kSlidingWindow
};

const std::vector<std::string>& SparsityKindNames();  // YAML names, kTopkBlocks first

// The cached tokens one (sequence, KV head, query block) attends to, as runs contiguous in the
// cache: run i starts at cache position starts[i] and holds `run` tokens (the last may hold
// fewer: `last_run`). Runs are in cache order, which is the order the kernel gathers them in.
struct KvSelection {
  std::int64_t run = 0;
  std::int64_t last_run = 0;
  std::vector<std::int64_t> starts;
  // Cache position of the `index`-th kept token.
  std::int64_t Position(std::int64_t index) const {
    return starts[static_cast<size_t>(index / run)] + index % run;
  }
};

struct AttentionSparsity {
  SparsityKind kind = SparsityKind::kNone;
  std::int64_t block = 64;       // tokens per block (topk_blocks), queries per prefill query block
  std::int64_t keep = 0;         // blocks (topk_blocks) or tokens (topk_tokens) kept
  std::int64_t window = 0;       // sliding_window: tokens
  std::int64_t summary_dim = 0;  // router: values per summary vector (0: the op's head_dim)
  std::uint64_t seed = 1;        // spreads the selected blocks over the cache
  // nsa (defaults: the paper's section 4.1 pretraining setup).
  NsaBranch branch = NsaBranch::kSelection;
  std::int64_t compress_block = 32;   // l: tokens per compressed entry
  std::int64_t compress_stride = 16;  // d: tokens between consecutive entries
  std::int64_t initial_blocks = 1;    // selection blocks always kept at the cache's start
  std::int64_t local_blocks = 2;      // ... and at its end (the query's own included)
  std::int64_t gate_inputs = 0;       // features the gate reads (0: the q projection's inputs)
  // This op is the router's scoring of the summaries (or its top-k), not the attention itself.
  bool router = false;

  bool enabled() const { return kind != SparsityKind::kNone; }
  bool HasRouter() const {
    return kind == SparsityKind::kTopkBlocks || kind == SparsityKind::kTopkTokens;
  }
  // Selects whole blocks of the cache (topk_blocks, NSA's selection branch).
  bool SelectsBlocks() const {
    return kind == SparsityKind::kTopkBlocks ||
           (kind == SparsityKind::kNsa && branch == NsaBranch::kSelection);
  }
  // Keeps the last `window` tokens (sliding_window, NSA's window branch).
  bool IsWindow() const {
    return kind == SparsityKind::kSlidingWindow ||
           (kind == SparsityKind::kNsa && branch == NsaBranch::kWindow);
  }
  bool IsNsaCompression() const {
    return kind == SparsityKind::kNsa && branch == NsaBranch::kCompression;
  }
  // NSA: compressed entries of a cache of `tokens` tokens, one per block of compress_block tokens
  // starting every compress_stride tokens, counted once the block is complete (eq. 7).
  std::int64_t CompressedEntries(std::int64_t tokens) const;
  // Whether the selection drops any of kv_len cached tokens (otherwise the op is dense).
  bool Selects(std::int64_t kv_len) const;
  // Query blocks of a pass of q_len queries (1 in decode or when dense).
  std::int64_t QueryBlocks(std::int64_t q_len, std::int64_t kv_len) const;
  // Cached tokens each query block attends to.
  std::int64_t KeptTokens(std::int64_t q_len, std::int64_t kv_len) const;
  // Summary vectors the router scores per (sequence, KV head): two per block (the keys'
  // element-wise minimum and maximum, Quest) or one index key per token; for NSA the selection
  // blocks whose importance is scored.
  std::int64_t SummaryVectors(std::int64_t kv_len) const;
  // Contiguous tokens per gathered run: a block, a token, or the whole window.
  std::int64_t GatherRun(std::int64_t q_len, std::int64_t kv_len) const;
  // The selection of query block `query_block` of cache slice `slice` (sequence x KV head).
  // Deterministic in (seed, slice, kv_len, query block): the router's real choice depends on the
  // data, which pjsim does not have, so the kept blocks are spread uniformly over the candidates.
  KvSelection Select(std::int64_t q_len, std::int64_t kv_len, std::int64_t slice,
                     std::int64_t query_block) const;
  bool operator==(const AttentionSparsity&) const = default;
};

}  // namespace pjsim
