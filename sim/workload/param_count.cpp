#include "sim/workload/param_count.h"

#include <algorithm>
#include <stdexcept>

#include "sim/numerics/checked.h"

namespace pjsim {
namespace {

// Checked int64 arithmetic: a config with absurd sizes must fail loudly, not wrap.
std::int64_t Mul(std::int64_t a, std::int64_t b) {
  if (const auto r = numerics::CheckedMul(a, b)) return *r;
  throw std::overflow_error("parameter count overflows int64");
}
std::int64_t Mul(std::int64_t a, std::int64_t b, std::int64_t c) { return Mul(Mul(a, b), c); }
std::int64_t Add(std::int64_t a, std::int64_t b) {
  if (const auto r = numerics::CheckedAdd(a, b)) return *r;
  throw std::overflow_error("parameter count overflows int64");
}

// A norm over `dim` features: RMSNorm has a scale, LayerNorm a scale and a shift.
std::int64_t Norm(const HfModelSpec& s, std::int64_t dim) {
  return s.norm == HfNormKind::kLayerNorm ? Mul(2, dim) : dim;
}

// Gated FFN hidden -> width -> hidden: gate, up and down matrices (up and down when ungated).
std::int64_t FfnWeights(const HfModelSpec& s, std::int64_t width) {
  return Mul(s.gated_ffn ? 3 : 2, s.hidden_size, width);
}
std::int64_t FfnBiases(const HfModelSpec& s, std::int64_t width) {
  if (!s.ffn_bias) return 0;
  return Add(Mul(s.gated_ffn ? 2 : 1, width), s.hidden_size);
}

struct AttentionParams {
  std::int64_t weights = 0;
  std::int64_t biases = 0;
  std::int64_t norms = 0;  // q/k norms, MLA latent norms, BitNet's pre-o_proj sub-norm
};

AttentionParams Attention(const HfModelSpec& s) {
  AttentionParams p;
  const std::int64_t h = s.hidden_size;
  const std::int64_t heads = s.num_attention_heads;
  if (s.attention == HfAttentionKind::kMultiLatent) {
    const HfMlaSpec& m = s.mla;
    const std::int64_t q_out = Mul(heads, m.qk_nope_head_dim + m.qk_rope_head_dim);
    if (m.q_lora_rank > 0) {
      p.weights = Add(Mul(h, m.q_lora_rank), Mul(m.q_lora_rank, q_out));  // q_a_proj, q_b_proj
      p.norms = Norm(s, m.q_lora_rank);                                   // q_a_layernorm
      if (s.qkv_bias) p.biases = m.q_lora_rank;
    } else {
      p.weights = Mul(h, q_out);  // q_proj, never biased
    }
    const std::int64_t kv_a_out = m.kv_lora_rank + m.qk_rope_head_dim;
    p.weights = Add(p.weights, Mul(h, kv_a_out));  // kv_a_proj_with_mqa
    p.weights = Add(p.weights, Mul(m.kv_lora_rank, heads, m.qk_nope_head_dim + m.v_head_dim));
    p.weights = Add(p.weights, Mul(heads, m.v_head_dim, h));  // o_proj
    p.norms = Add(p.norms, Norm(s, m.kv_lora_rank));          // kv_a_layernorm
    if (s.qkv_bias) p.biases = Add(p.biases, kv_a_out);
    if (s.o_bias) p.biases = Add(p.biases, h);
    return p;
  }
  const std::int64_t q_dim = Mul(heads, s.head_dim);
  const std::int64_t kv_dim = Mul(s.num_kv_heads, s.head_dim);
  p.weights = Add(Mul(2, h, q_dim), Mul(2, h, kv_dim));  // q, o and k, v
  if (s.qkv_bias) p.biases = Add(q_dim, Mul(2, kv_dim));
  if (s.o_bias) p.biases = Add(p.biases, h);
  if (s.qk_norm) p.norms = Add(Norm(s, q_dim), Norm(s, kv_dim));
  if (s.qk_norm_per_head) p.norms = Mul(2, Norm(s, s.head_dim));  // Qwen3's q_norm, k_norm
  if (s.extra_sub_norms) p.norms = Add(p.norms, Norm(s, q_dim));
  return p;
}

// A Mamba mixer as transformers' MambaMixer (Mamba2Mixer, JambaMambaMixer) holds it: its weights
// and the rest (biases, the conv kernel, A_log, D, norms inside the mixer).
struct SsmParams {
  std::int64_t linear = 0;
  std::int64_t other = 0;
};

// Mamba2Mixer: in_proj to z (d_inner), x (d_inner), B and C (n_groups x N each) and dt (one per
// head); depthwise conv1d over x, B and C; dt_bias, A_log and D per head; the gated RMSNorm's
// weight (d_inner); out_proj.
SsmParams Ssd(const HfModelSpec& s) {
  const HfSsmSpec& m = s.ssm;
  const std::int64_t h = s.hidden_size, inner = m.d_inner;
  const std::int64_t conv_dim = Add(inner, Mul(2, m.n_groups, m.state_size));
  const std::int64_t in_proj_out = Add(Add(inner, conv_dim), m.num_heads);
  SsmParams p;
  p.linear = Add(Mul(h, in_proj_out), Mul(inner, h));  // in_proj, out_proj
  p.other = Mul(conv_dim, m.conv_kernel);
  if (m.use_conv_bias) p.other = Add(p.other, conv_dim);
  p.other = Add(p.other, Add(Mul(3, m.num_heads), inner));  // dt_bias, A_log, D; gated norm
  if (m.use_bias) p.other = Add(p.other, Add(in_proj_out, h));
  return p;
}

SsmParams Ssm(const HfModelSpec& s) {
  if (s.IsSsd()) return Ssd(s);
  const HfSsmSpec& m = s.ssm;
  const std::int64_t h = s.hidden_size, inner = m.d_inner;
  SsmParams p;
  p.linear = Add(Add(Mul(h, 2 * inner), Mul(inner, m.time_step_rank + 2 * m.state_size)),
                 Add(Mul(m.time_step_rank, inner), Mul(inner, h)));  // in, x, dt, out proj
  p.other = Mul(inner, m.conv_kernel);                               // depthwise conv1d
  if (m.use_conv_bias) p.other = Add(p.other, inner);
  p.other = Add(p.other, inner);                                 // dt_proj bias
  p.other = Add(p.other, Add(Mul(inner, m.state_size), inner));  // A_log, D
  if (m.use_bias) p.other = Add(p.other, Add(2 * inner, h));     // in_proj, out_proj biases
  // Jamba: dt_layernorm, b_layernorm, c_layernorm (FalconMamba's have no weights).
  if (m.dt_bc_norms && m.dt_bc_norm_weights)
    p.other = Add(p.other, m.time_step_rank + 2 * m.state_size);
  return p;
}

// Mamba, Mamba-2 and their hybrids: one norm and one mixer (Mamba or attention) per layer, no
// FFN; Jamba adds a second norm and an FFN or MoE block to every layer.
ParamBreakdown CountSsmParams(const HfModelSpec& s) {
  ParamBreakdown b;
  const std::int64_t h = s.hidden_size;
  const std::int64_t attention_layers =
      std::count(s.attention_layer.begin(), s.attention_layer.end(), true);
  b.num_ssm_layers = s.num_layers - attention_layers;
  b.num_dense_layers = 0;  // no FFN
  const SsmParams ssm = Ssm(s);
  b.ssm_per_layer = Add(ssm.linear, ssm.other);
  std::int64_t attention_weights = 0;
  if (attention_layers > 0) {
    const AttentionParams attn = Attention(s);
    b.attention_per_layer = Add(attn.weights, attn.biases);
    attention_weights = Mul(attention_layers, attn.weights);
  }
  b.norms_per_layer = Norm(s, h);
  const std::int64_t tokens_table = Mul(s.vocab_size, h);
  // Learned positions (GPT-2's wpe, OPT's embed_positions) are embedding parameters too.
  b.embedding = Add(tokens_table, Mul(s.position_embeddings, h));
  b.lm_head = Add(s.tie_word_embeddings ? 0 : tokens_table, s.lm_head_bias ? s.vocab_size : 0);
  b.attention = Mul(attention_layers, b.attention_per_layer);
  b.ssm = Mul(b.num_ssm_layers, b.ssm_per_layer);
  b.linear = Add(Mul(b.num_ssm_layers, ssm.linear), attention_weights);
  std::int64_t idle_experts = 0;
  if (s.ssm_ffn) {
    const HfMoeSpec& m = s.moe;
    b.num_moe_layers = s.NumMoeLayers();
    b.num_dense_layers = s.num_layers - b.num_moe_layers;
    const std::int64_t dense_ffn_weights = FfnWeights(s, s.intermediate_size);
    b.dense_ffn_per_layer = Add(dense_ffn_weights, FfnBiases(s, s.intermediate_size));
    b.dense_ffn = Mul(b.num_dense_layers, b.dense_ffn_per_layer);
    if (s.IsMoe()) {
      b.expert = FfnWeights(s, m.expert_intermediate_size);
      b.router_per_layer = Mul(m.num_experts, h);
      b.routed_experts = Mul(b.num_moe_layers, m.num_experts, b.expert);
      b.router = Mul(b.num_moe_layers, b.router_per_layer);
      idle_experts = Mul(b.num_moe_layers, m.num_experts - m.top_k, b.expert);
    }
    b.norms_per_layer = Mul(2, Norm(s, h));  // input_layernorm, pre_ff_layernorm
    b.linear = Add(b.linear, Add(Mul(b.num_dense_layers, dense_ffn_weights), b.routed_experts));
  }
  b.norms = Add(Mul(s.num_layers, b.norms_per_layer), Norm(s, h));
  b.total = b.embedding;
  for (const std::int64_t part :
       {b.lm_head, b.attention, b.ssm, b.norms, b.dense_ffn, b.routed_experts, b.router}) {
    b.total = Add(b.total, part);
  }
  // Unselected routed experts are the only parameters a token does not touch.
  b.active = b.total - idle_experts;
  b.active_non_embedding = b.active - b.embedding - b.lm_head;
  b.active_linear = b.linear - idle_experts;
  return b;
}

}  // namespace

ParamBreakdown CountParams(const HfModelSpec& s) {
  if (s.IsSsm()) return CountSsmParams(s);
  ParamBreakdown b;
  const std::int64_t h = s.hidden_size;
  b.num_moe_layers = s.NumMoeLayers();
  b.num_dense_layers = s.num_layers - b.num_moe_layers;

  const AttentionParams attn = Attention(s);
  b.attention_per_layer = Add(attn.weights, attn.biases);
  const std::int64_t dense_ffn_weights = FfnWeights(s, s.intermediate_size);
  b.dense_ffn_per_layer = Add(dense_ffn_weights, FfnBiases(s, s.intermediate_size));

  const HfMoeSpec& m = s.moe;
  std::int64_t shared_weights = 0;
  if (s.IsMoe()) {
    b.expert = FfnWeights(s, m.expert_intermediate_size);
    shared_weights = FfnWeights(s, Mul(m.num_shared_experts, m.shared_expert_intermediate_size));
    b.shared_experts_per_layer = shared_weights;
    b.router_per_layer = Mul(m.num_experts, h);
    if (m.router_bias) b.router_per_layer = Add(b.router_per_layer, m.num_experts);
    if (m.shared_expert_gate) b.router_per_layer = Add(b.router_per_layer, h);
  }

  // Pre-attention and pre-FFN norms (one shared by a parallel block; none in OLMo 2), the two
  // after them (Gemma 2/3, OLMo 2), plus the attention-internal ones.
  const std::int64_t block_norms =
      (s.pre_norms ? (s.shared_block_norm ? 1 : 2) : 0) + (s.sandwich_norms ? 2 : 0);
  b.norms_per_layer = Add(Mul(block_norms, Norm(s, h)), attn.norms);
  // BitNet's sub-norm before down_proj; only dense FFNs have one (BitNet has no MoE variant).
  const std::int64_t ffn_sub_norm = s.extra_sub_norms ? Norm(s, s.intermediate_size) : 0;

  const std::int64_t dense = b.num_dense_layers;
  const std::int64_t moe = b.num_moe_layers;
  const std::int64_t tokens_table = Mul(s.vocab_size, h);
  // Learned positions (GPT-2's wpe, OPT's embed_positions) are embedding parameters too.
  b.embedding = Add(tokens_table, Mul(s.position_embeddings, h));
  b.lm_head = Add(s.tie_word_embeddings ? 0 : tokens_table, s.lm_head_bias ? s.vocab_size : 0);
  b.attention = Mul(s.num_layers, b.attention_per_layer);
  b.dense_ffn = Mul(dense, b.dense_ffn_per_layer);
  b.routed_experts = Mul(moe, m.num_experts, b.expert);
  b.shared_experts = Mul(moe, b.shared_experts_per_layer);
  b.router = Mul(moe, b.router_per_layer);
  b.norms = Add(Add(Mul(s.num_layers, b.norms_per_layer), Mul(dense, ffn_sub_norm)), Norm(s, h));
  b.linear = Add(Add(Mul(s.num_layers, attn.weights), Mul(dense, dense_ffn_weights)),
                 Add(b.routed_experts, b.shared_experts));

  b.total = b.embedding;
  for (const std::int64_t part : {b.lm_head, b.attention, b.dense_ffn, b.routed_experts,
                                  b.shared_experts, b.router, b.norms}) {
    b.total = Add(b.total, part);
  }
  // Unselected routed experts are the only parameters a token does not touch.
  const std::int64_t idle_experts = Mul(moe, m.num_experts - m.top_k, b.expert);
  b.active = b.total - idle_experts;
  b.active_non_embedding = b.active - b.embedding - b.lm_head;
  b.active_linear = b.linear - idle_experts;
  return b;
}

}  // namespace pjsim
