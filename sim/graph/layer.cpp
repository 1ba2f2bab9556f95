#include "sim/graph/layer.h"

#include <cmath>
#include <stdexcept>

#include "sim/graph/elementwise_function.h"

namespace pjsim {

const std::vector<std::string>& OpKindNames() {
  static const std::vector<std::string> names = {
      "linear", "attention_scores", "attention_context", "elementwise", "softmax",
      "norm",   "embedding"};
  return names;
}

std::string OpKindName(OpKind kind) { return OpKindNames()[static_cast<size_t>(kind)]; }

int Layer::Arity() const {
  switch (kind) {
    case OpKind::kLinear:
    case OpKind::kSoftmax:
    case OpKind::kNorm:
      return 1;
    case OpKind::kAttentionScores:
    case OpKind::kAttentionContext:
      return 2;
    case OpKind::kElementwise:
      return FindElementwiseFunction(function).inputs;
    case OpKind::kEmbedding:
      return 0;
  }
  return 0;
}

TensorShape Layer::InputShape(int i) const {
  const AttentionDims& a = attention;
  switch (kind) {
    case OpKind::kLinear:
      return {batch * m, k};
    case OpKind::kAttentionScores:
      // Q of all heads, then the new keys appended to the cache.
      return i == 0 ? TensorShape{a.sequences * a.q_len, a.heads * a.head_dim}
                    : TensorShape{a.sequences * a.q_len, a.kv_heads * a.head_dim};
    case OpKind::kAttentionContext:
      // Attention probabilities, then the new values appended to the cache.
      return i == 0 ? TensorShape{a.sequences * a.heads * a.q_len, AttendedLength()}
                    : TensorShape{a.sequences * a.q_len, a.kv_heads * a.head_dim};
    default:
      return {m, n};
  }
}

TensorShape Layer::OutputShape() const {
  const AttentionDims& a = attention;
  switch (kind) {
    case OpKind::kAttentionScores:
      return {a.sequences * a.heads * a.q_len, AttendedLength()};
    case OpKind::kAttentionContext:
      return {a.sequences * a.q_len, a.heads * a.head_dim};
    case OpKind::kLinear:
      return {batch * m, n};
    default:
      return {m, n};
  }
}

std::int64_t Layer::StoredOperandBBytes(std::int64_t count) const {
  if (kind == OpKind::kLinear) return arithmetic->weight_bytes(count, weight_packing);
  if (attention.values_in_keys) return 0;  // the scores op's cache read brought them on chip
  if (spiking.enabled()) {
    // Spike-driven attention keeps K and V as spike trains: `count` neurons over T timesteps
    // at the layer's input rate, in the cheaper encoding.
    const double spikes = static_cast<double>(count * spiking.timesteps) * spiking.input_rate;
    return static_cast<std::int64_t>(std::ceil(SpikeTensorBits(spiking, count, spikes) / 8));
  }
  return ActivationBytes(count);
}

void Layer::DeriveAttentionGemm() {
  const AttentionDims& a = attention;
  // Stacking a KV head's query group as rows reads each K/V block once per group (GQA reuse).
  // Sparse prefill: one product per query block, each over its own kept tokens.
  const std::int64_t query_blocks = sparsity.router ? 1 : sparsity.QueryBlocks(a.q_len, a.kv_len);
  batch = a.sequences * a.kv_heads * query_blocks;
  m = a.q_len / query_blocks * a.group();
  if (kind == OpKind::kAttentionScores) {
    k = sparsity.router && sparsity.summary_dim > 0 ? sparsity.summary_dim : a.head_dim;
    n = AttendedLength();
  } else {
    k = AttendedLength();
    n = a.head_dim;
  }
}

void Layer::DeriveSparseVector() {
  const AttentionDims& a = attention;
  if (kind == OpKind::kLinear) {
    // NSA's compressor, a linear map of an entry's compress_block keys (and one of its values).
    // Prefill: the entries this pass's tokens complete, per KV head, each block at once. Decode:
    // a block completes every compress_stride steps only, so the step folds its new token into
    // the partial sums of the compress_block / compress_stride entries it belongs to, one
    // head_dim x head_dim slice of the map for each (the token's position in that entry): the
    // same MACs and weight bytes per entry, spread evenly over the steps.
    const std::int64_t per_token = sparsity.compress_block / sparsity.compress_stride;
    const bool decode = a.q_len == 1;
    batch = 2 * (decode ? per_token : 1);
    m = a.sequences * a.kv_heads *
        (decode ? 1
                : sparsity.CompressedEntries(a.kv_len) -
                      sparsity.CompressedEntries(a.kv_len - a.q_len));
    k = (decode ? 1 : sparsity.compress_block) * a.head_dim;
    n = a.head_dim;
    return;
  }
  n = sparsity.router ? sparsity.SummaryVectors(a.kv_len) : sparsity.KeptTokens(a.q_len, a.kv_len);
}

std::int64_t Layer::AttendedLength() const {
  const AttentionDims& a = attention;
  if (sparsity.router) return sparsity.SummaryVectors(a.kv_len);
  return sparsity.KeptTokens(a.q_len, a.kv_len);
}

bool Layer::GathersKv() const {
  // Values in the keys' cache are on chip already: nothing to gather, no task to split.
  return (kind == OpKind::kAttentionScores || kind == OpKind::kAttentionContext) &&
         !sparsity.router && !attention.values_in_keys && sparsity.Selects(attention.kv_len);
}

std::int64_t Layer::OperandBStoredBytes() const {
  if (!GathersKv()) return batch * OperandBBytes(k * n);
  const AttentionDims& a = attention;
  return a.sequences * a.kv_heads * OperandBBytes(a.kv_len * a.head_dim);
}

Layer Layer::AtDecodeStep(std::int64_t step) const {
  Layer l = *this;
  if (step == 0) return l;
  if (kind == OpKind::kAttentionScores || kind == OpKind::kAttentionContext) {
    l.attention.kv_len += step;
    l.DeriveAttentionGemm();
  } else if (sparsity.enabled()) {
    l.attention.kv_len += step;
    l.DeriveSparseVector();
  } else if (kind == OpKind::kSoftmax) {
    l.n += step;
  } else if (kv_sequences > 0) {
    l.m += step * kv_sequences;
  }
  return l;
}

bool Layer::GrowsPerDecodeStep() const {
  return kind == OpKind::kAttentionScores || kind == OpKind::kAttentionContext ||
         kind == OpKind::kSoftmax || kv_sequences > 0 || sparsity.enabled();
}

}  // namespace pjsim
