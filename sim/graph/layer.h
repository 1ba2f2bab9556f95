#pragma once
// One op of a workload. GEMM-family ops (linear, attention scores, attention context) are
// `batch` independent M x K x N matrix products; vector-family ops (elementwise functions,
// softmax, norms, embedding lookup) run on the tiles' vector units over a rows x cols tensor.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/graph/arithmetic.h"
#include "sim/graph/attention_sparsity.h"
#include "sim/graph/dtype.h"
#include "sim/graph/spiking.h"

namespace pjsim {

enum class OpKind {
  kLinear,            // out[m x n] = in[m x k] * W[k x n], W in DRAM; `batch` independent
                      // weight matrices (e.g. active experts) each on its own m rows
  kAttentionScores,   // per (sequence, KV head): Q_group[q_len*g x d] * K^T[d x kv_len]
  kAttentionContext,  // per (sequence, KV head): P[q_len*g x kv_len] * V[kv_len x d]
  kElementwise,       // out[m x n] = f(in...)
  kSoftmax,           // row softmax over m x n
  kNorm,              // RMSNorm / LayerNorm over rows of m x n, with a gain vector of n
  kEmbedding,         // gather m rows of n from a table of k rows
};

const std::vector<std::string>& OpKindNames();  // YAML names, in OpKind order
std::string OpKindName(OpKind kind);

struct TensorShape {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  bool operator==(const TensorShape&) const = default;
  std::string ToString() const { return std::to_string(rows) + "x" + std::to_string(cols); }
};

// Grouped-query attention dimensions (attention ops only).
struct AttentionDims {
  std::int64_t sequences = 1;  // batch of independent sequences
  std::int64_t heads = 0;
  std::int64_t kv_heads = 0;
  std::int64_t head_dim = 0;
  std::int64_t q_len = 0;   // query tokens per sequence in this pass
  std::int64_t kv_len = 0;  // keys/values attended to (KV cache length including this pass)
  // attention_context of absorbed multi-head latent attention: the values are the leading
  // head_dim columns of the keys' cache (the shared latent), which the scores op already reads;
  // a fused kernel uses each cached block for both products, so this op reads no cache of its own.
  bool values_in_keys = false;
  std::int64_t group() const { return heads / kv_heads; }
};

// An op of an MoE block's experts (linear: the block's `experts` weight matrices; elementwise:
// the activation between them). Its m rows are the dispatch buffer of tokens x top_k slots;
// each pass the workload's router decides how many tokens each expert takes (`rows`, set by the
// planner), the expert runs on its own tiles, and tokens beyond an expert's capacity are dropped.
struct ExpertOp {
  std::int64_t experts = 0;  // 0: not an expert op
  std::int64_t top_k = 0;
  std::int64_t block = 0;      // MoE block: the ops of one block share routing decisions
  double capacity_factor = 0;  // > 0: an expert takes at most ceil(cf x tokens x top_k / experts)
  std::vector<std::int64_t> rows;  // tokens per expert in the current pass (planner)
  std::int64_t dropped = 0;        // token slots over capacity in the current pass (planner)
  bool enabled() const { return experts > 0; }
};

struct Layer {
  std::string name;
  OpKind kind = OpKind::kLinear;
  // GEMM family: `batch` products of m x k x n (derived from `attention` for attention ops).
  // Vector family: an m x n tensor (embedding: k = table rows).
  std::int64_t batch = 1;
  std::int64_t m = 0;
  std::int64_t k = 0;
  std::int64_t n = 0;
  AttentionDims attention;
  DType dtype = DType::kInt8;  // activations (inputs, outputs, KV cache)
  ArithmeticRef arithmetic;    // GEMM family (attention: the dtype's; default int8)
  std::string weight_packing = "dense";
  double weight_sparsity = 0;  // fraction of zero weights
  SpikingConfig spiking;       // GEMM family: spike-driven execution (sim/graph/spiking.h)
  // GEMM family, int8 dtype: quantized-ANN activations of b bits (1..8), stored and moved packed
  // (DRAM, NoC, SRAM) and multiplied as b x 8-bit products; 0 = the dtype's width.
  std::int64_t activation_bits = 0;
  // GEMM family, not spiking: fraction of operand A's elements that are zero (e.g. after ReLU or
  // quantization); a MAC array with tile.zero_gating skips their products. Traffic is dense.
  double activation_sparsity = 0;
  // Linear over the KV cache of this many sequences (MLA's naive execution decompresses every
  // cached latent each pass): m = kv_sequences x KV length, growing with the cache. 0: not.
  std::int64_t kv_sequences = 0;
  // Elementwise functions with an inner loop (ElementwiseFunction::inner_ops): its length per
  // output element, e.g. a causal conv's kernel taps or a selective scan's states; 0 otherwise.
  std::int64_t inner = 0;
  // Dynamic sparse attention (attention ops, and the softmax and top-k between a sparse op's
  // router and its attention): the op runs over the kept tokens only. Vector ops hold the dense
  // cache length in attention.kv_len and the pass's queries in attention.q_len.
  AttentionSparsity sparsity;
  ExpertOp expert;                  // linear / elementwise: MoE expert op
  std::string function;             // vector family: entry of elementwise_function.h
  std::vector<std::string> inputs;  // producer layer names; missing inputs are read from DRAM
  std::vector<std::string> after;   // layers to wait for without reading them (ordering only)
  SourceLocation where;             // for graph errors

  bool IsGemm() const {
    return kind == OpKind::kLinear || kind == OpKind::kAttentionScores ||
           kind == OpKind::kAttentionContext;
  }
  // Number of activation tensors the op reads, and the shape of each.
  int Arity() const;
  TensorShape InputShape(int i) const;
  TensorShape OutputShape() const;
  std::int64_t OutputElements() const { return OutputShape().rows * OutputShape().cols; }
  std::int64_t Macs() const { return IsGemm() ? batch * m * k * n : 0; }
  // Bits of one activation element (GEMM inputs, outputs and KV cache): activation_bits when
  // set, else the dtype's width.
  // (Inline, as ActivationBytes and OperandBBytes' common case: the mapping search asks them
  // millions of times per ranking.)
  std::int64_t ActivationBits() const {
    return activation_bits > 0 ? activation_bits : DTypeBits(dtype);
  }
  // Bytes of `count` activation elements packed at ActivationBits() (rounded up to a byte).
  std::int64_t ActivationBytes(std::int64_t count) const {
    return (count * ActivationBits() + 7) / 8;
  }
  // Bytes of `count` elements of the GEMM's second operand as stored: packed weights for linear
  // layers, KV-cache entries (activation dtype) for attention.
  std::int64_t OperandBBytes(std::int64_t count) const {
    if (kind != OpKind::kLinear && !attention.values_in_keys && !spiking.enabled())
      return ActivationBytes(count);
    return StoredOperandBBytes(count);
  }
  // OperandBBytes of linear layers (packed weights), MLA's values and spiking attention.
  std::int64_t StoredOperandBBytes(std::int64_t count) const;
  // Derives batch/m/k/n of attention ops from `attention` (and `sparsity`).
  void DeriveAttentionGemm();
  // Sparse softmax and router top-k: n from the cache length in `attention`; NSA's compressor
  // (a linear op): its shape from the entries the pass completes.
  void DeriveSparseVector();
  // Keys/values (or router summaries) an attention op's query block attends to: kv_len when
  // dense.
  std::int64_t AttendedLength() const;
  // Whether sparse attention reads only part of its KV cache (gathered, sim/mapping/kv_gather.h).
  bool GathersKv() const;
  // Bytes of operand B as stored in DRAM: batch x k x n, or for sparse attention the whole cache
  // it selects from.
  std::int64_t OperandBStoredBytes() const;
  // The op at decode step `step` (0-based): the KV length grows by one token per step, and so
  // does every dimension that spans it.
  Layer AtDecodeStep(std::int64_t step) const;
  // Whether AtDecodeStep changes the op (it spans the KV cache).
  bool GrowsPerDecodeStep() const;
};

}  // namespace pjsim
