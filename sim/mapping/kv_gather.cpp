#include "sim/mapping/kv_gather.h"

#include <algorithm>
#include <stdexcept>

namespace pjsim {

void FitToGather(const Layer& layer, GemmMapping& mapping) {
  if (!layer.GathersKv()) return;
  const AttentionDims& a = layer.attention;
  const std::int64_t run = layer.sparsity.GatherRun(a.q_len, a.kv_len);
  std::int64_t& tokens =
      layer.kind == OpKind::kAttentionScores ? mapping.blocks.n : mapping.blocks.k;
  // A run as long as the whole kept range (a window) holds any block.
  if (run >= layer.AttendedLength()) return;
  std::int64_t fit = std::min(tokens, run);
  while (run % fit != 0) --fit;
  tokens = fit;
}

KvGather::KvGather(const Layer& layer)
    : layer_(layer),
      query_blocks_(layer.sparsity.QueryBlocks(layer.attention.q_len, layer.attention.kv_len)),
      slice_bytes_(layer.OperandBBytes(layer.attention.kv_len * layer.attention.head_dim)) {
  if (!layer.GathersKv()) throw std::logic_error("layer '" + layer.name + "' gathers no KV");
}

const KvSelection& KvGather::SelectionOf(std::int64_t batch) {
  if (batch != selected_batch_) {
    const AttentionDims& a = layer_.attention;
    selection_ =
        layer_.sparsity.Select(a.q_len, a.kv_len, batch / query_blocks_, batch % query_blocks_);
    selected_batch_ = batch;
  }
  return selection_;
}

std::uint64_t KvGather::Offset(std::int64_t batch, std::int64_t kc, std::int64_t kt,
                               std::int64_t bj, const GemmBlocks& blocks) {
  const KvSelection& s = SelectionOf(batch);
  const std::int64_t slice = batch / query_blocks_;
  const std::int64_t kv_len = layer_.attention.kv_len;
  const auto bytes = [this](std::int64_t count) { return layer_.OperandBBytes(count); };
  std::int64_t offset = slice * slice_bytes_;
  if (layer_.kind == OpKind::kAttentionScores) {
    // K^T: head_dim rows by the cache's tokens; the chunk's first token is column bj * Nb.
    offset += bytes(kc * blocks.k * kv_len) + bytes(kt * s.Position(bj * blocks.n));
  } else {
    // V: the cache's tokens by head_dim; the chunk's first token is row kc * Kb.
    offset += bytes(s.Position(kc * blocks.k) * layer_.n) + bytes(kt * bj * blocks.n);
  }
  return static_cast<std::uint64_t>(offset);
}

}  // namespace pjsim
