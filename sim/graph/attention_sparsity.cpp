#include "sim/graph/attention_sparsity.h"

#include <algorithm>

namespace pjsim {
namespace {

std::int64_t CeilDivide(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): a fixed, portable stream, so a selection is
// the same on every platform and standard library.
std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// `count` distinct units of [0, candidates), in increasing order (Floyd's sampling algorithm,
// Bentley and Floyd, CACM 30(9), 1987: one draw per unit, no rejection loop).
std::vector<std::int64_t> Sample(std::int64_t candidates, std::int64_t count, std::uint64_t state) {
  std::vector<bool> taken(static_cast<size_t>(candidates), false);
  for (std::int64_t j = candidates - count; j < candidates; ++j) {
    const auto t = static_cast<std::int64_t>(SplitMix64(state) % static_cast<std::uint64_t>(j + 1));
    taken[static_cast<size_t>(taken[static_cast<size_t>(t)] ? j : t)] = true;
  }
  std::vector<std::int64_t> units;
  for (std::int64_t u = 0; u < candidates; ++u) {
    if (taken[static_cast<size_t>(u)]) units.push_back(u);
  }
  return units;
}

}  // namespace

const std::vector<std::string>& SparsityKindNames() {
  static const std::vector<std::string> names = {"topk_blocks", "sliding_window", "topk_tokens",
                                                 "nsa"};
  return names;
}

std::int64_t AttentionSparsity::CompressedEntries(std::int64_t tokens) const {
  return tokens < compress_block ? 0 : (tokens - compress_block) / compress_stride + 1;
}

bool AttentionSparsity::Selects(std::int64_t kv_len) const {
  if (IsNsaCompression()) return false;  // the whole compressed cache, read as one tensor
  if (SelectsBlocks()) return keep < CeilDivide(kv_len, block);
  if (IsWindow()) return window < kv_len;
  switch (kind) {
    case SparsityKind::kTopkTokens:
      return keep < kv_len;
    default:
      return false;
  }
}

std::int64_t AttentionSparsity::QueryBlocks(std::int64_t q_len, std::int64_t kv_len) const {
  return Selects(kv_len) && q_len > 1 ? q_len / block : 1;
}

std::int64_t AttentionSparsity::KeptTokens(std::int64_t q_len, std::int64_t kv_len) const {
  if (IsNsaCompression()) return CompressedEntries(kv_len);
  if (!Selects(kv_len)) return kv_len;
  if (SelectsBlocks()) {
    // Prefill's blocks are all full (the query blocks are aligned with the cache's); in decode
    // the query's own block is the cache's last, partly filled one.
    return q_len > 1 ? keep * block
                     : (keep - 1) * block + kv_len - (CeilDivide(kv_len, block) - 1) * block;
  }
  // A query block's windows together span window + block - 1 tokens.
  if (IsWindow()) return q_len > 1 ? std::min(kv_len, window + block - 1) : window;
  return keep;  // topk_tokens
}

std::int64_t AttentionSparsity::SummaryVectors(std::int64_t kv_len) const {
  if (kind == SparsityKind::kNsa) return CeilDivide(kv_len, block);
  return kind == SparsityKind::kTopkBlocks ? 2 * CeilDivide(kv_len, block) : kv_len;
}

std::int64_t AttentionSparsity::GatherRun(std::int64_t q_len, std::int64_t kv_len) const {
  if (!Selects(kv_len)) return KeptTokens(q_len, kv_len);
  if (SelectsBlocks()) return block;
  return kind == SparsityKind::kTopkTokens ? 1 : KeptTokens(q_len, kv_len);
}

KvSelection AttentionSparsity::Select(std::int64_t q_len, std::int64_t kv_len, std::int64_t slice,
                                      std::int64_t query_block) const {
  KvSelection s;
  const std::int64_t kept = KeptTokens(q_len, kv_len);
  s.run = GatherRun(q_len, kv_len);
  // The query block's causal end: every cached token in decode.
  const std::int64_t end = q_len > 1 ? kv_len - q_len + (query_block + 1) * block : kv_len;
  if (IsWindow() || !Selects(kv_len)) {
    s.starts = {std::max<std::int64_t>(0, end - kept)};
    s.last_run = kept;
    return s;
  }
  const std::int64_t units = SelectsBlocks() ? keep : kept;
  const std::int64_t own = (end - 1) / s.run;  // the unit holding the query block's last token
  if (own < units - 1) {
    // Fewer earlier units than the budget (the first query blocks of a prefill): the kernel runs
    // its fixed budget over the first units, the ones past the query masked.
    for (std::int64_t u = 0; u < units; ++u) s.starts.push_back(u * s.run);
  } else {
    std::uint64_t state = seed;
    for (const std::int64_t x : {slice, kv_len, query_block}) {
      state = SplitMix64(state) ^ static_cast<std::uint64_t>(x);
    }
    // NSA always keeps its initial blocks and the local ones before the own block; the rest are
    // drawn from the blocks between them (no block twice). Other kinds keep the own block only.
    const bool nsa = kind == SparsityKind::kNsa;
    const std::int64_t first = nsa ? initial_blocks : 0;
    const std::int64_t fixed_end =
        nsa ? own - local_blocks + 1 : own;  // first always-kept end block
    for (std::int64_t u = 0; u < first; ++u) s.starts.push_back(u * s.run);
    const std::int64_t drawn = units - first - (own - fixed_end + 1);
    for (const std::int64_t u : Sample(fixed_end - first, drawn, state)) {
      s.starts.push_back((first + u) * s.run);
    }
    for (std::int64_t u = fixed_end; u <= own; ++u) s.starts.push_back(u * s.run);
  }
  s.last_run = std::min(s.run, kv_len - s.starts.back());
  return s;
}

}  // namespace pjsim
