#pragma once
// Parameter counts of an HfModelSpec, tensor by tensor as the family's transformers modeling code
// builds them (weights, biases, norm scales, router gates), so totals match the published sizes.
//
// Active parameters are those a single token touches: every dense part, the router, the shared
// experts and top_k routed experts per MoE layer. Following the convention behind the published
// "active" figures (Mixtral 12.9 B, OLMoE 1.3 B, Qwen1.5-MoE 2.7 B, DeepSeek-V3 37 B), the whole
// embedding table and lm_head count as active even though a token reads one embedding row;
// `active_non_embedding` leaves both out.
#include <cstdint>

#include "sim/workload/hf_config.h"

namespace pjsim {

struct ParamBreakdown {
  // Per layer.
  std::int64_t attention_per_layer = 0;       // q/k/v/o (or MLA) projection weights + biases
  std::int64_t dense_ffn_per_layer = 0;       // gate/up/down (+ biases) of a dense-FFN layer
  std::int64_t expert = 0;                    // one routed expert (gate/up/down)
  std::int64_t shared_experts_per_layer = 0;  // all shared experts of one MoE layer
  std::int64_t router_per_layer = 0;  // gate matrix (+ V3 score bias, + Qwen2-MoE shared gate)
  std::int64_t norms_per_layer = 0;   // pre-attention/pre-FFN norms, sub-norms, q/k, MLA norms
  // Mamba mixer: in_proj, conv1d (+ bias), x_proj, dt_proj (+ bias), A_log, D, out_proj (+
  // Jamba's dt/B/C norms); Mamba-2: in_proj, conv1d (+ bias), dt_bias, A_log, D, gated norm,
  // out_proj.
  std::int64_t ssm_per_layer = 0;
  std::int64_t num_ssm_layers = 0;

  std::int64_t num_dense_layers = 0;
  std::int64_t num_moe_layers = 0;

  // Whole model. total = embedding + lm_head + attention + dense_ffn + routed_experts
  //                      + shared_experts + router + norms + ssm.
  std::int64_t embedding = 0;  // vocab x hidden, plus learned positions x hidden
  std::int64_t lm_head = 0;    // hidden x vocab (+ its bias); 0 when tied to the embedding
  std::int64_t attention = 0;
  std::int64_t dense_ffn = 0;
  std::int64_t routed_experts = 0;
  std::int64_t shared_experts = 0;
  std::int64_t router = 0;
  std::int64_t norms = 0;  // includes the final norm
  std::int64_t ssm = 0;    // every Mamba mixer
  // Weight matrices of the attention and FFN/expert projections: the matmuls BitNet replaces with
  // ternary BitLinear (and Mamba's in/x/dt/out projections, Mamba-2's in/out projections).
  // Excludes embedding, lm_head, routers, norms, biases, the conv kernel, A_log, D and dt_bias.
  std::int64_t linear = 0;

  std::int64_t total = 0;
  std::int64_t active = 0;  // per token; includes embedding and lm_head (see above)
  std::int64_t active_non_embedding = 0;
  std::int64_t active_linear = 0;  // `linear` restricted to what one token touches
};

// Throws std::overflow_error if a count does not fit in int64 (only for absurd shapes).
ParamBreakdown CountParams(const HfModelSpec& spec);

}  // namespace pjsim
