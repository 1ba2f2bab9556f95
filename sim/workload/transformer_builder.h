#pragma once
// Builds a workload (as YAML text, the format of workloads/*.yaml) for a whole decoder-only
// transformer from a Hugging Face config: embedding, per decoder layer (norm, q/k/v projections,
// grouped-query attention split into scores / softmax / context with the KV cache in DRAM, or
// DeepSeek's multi-head latent attention, o projection, residual add, norm, gated FFN or router +
// experts, residual add), final norm and LM head; Mamba and Mamba-2 models get a norm, Mamba
// mixer (or, in a hybrid, attention) and residual add per layer, Jamba a Mamba mixer or attention
// followed by a dense or MoE FFN (docs/SSM.md). Prefill runs the prompt in one
// pass; decode runs one pass per generated token with the KV cache growing by one position per
// pass (a Mamba layer's state does not grow).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/workload/hf_config.h"

namespace pjsim {

// How multi-head latent attention (DeepSeek-V2/V3) runs; the KV cache holds the compressed latent
// and the shared RoPE key either way (docs/MLA.md).
enum class MlaExecution {
  // W_UK folded into the query and W_UV into the output: attention runs over the cached latent
  // as one KV head shared by every query head (DeepSeek-V2, arXiv:2405.04434, section 2.1.2).
  kAbsorbed,
  // Every pass decompresses the keys and values of all cached tokens through kv_b_proj, then
  // runs ordinary multi-head attention (the Hugging Face modeling code).
  kNaive,
};
std::string_view ToString(MlaExecution execution);
// "absorbed" or "naive"; anything else is nullopt.
std::optional<MlaExecution> ParseMlaExecution(std::string_view text);

struct ImportOptions {
  std::int64_t seq = 2048;  // prompt length (prefill) or context before decoding
  std::int64_t batch = 1;   // sequences processed together
  bool decode = false;      // phase
  std::int64_t decode_tokens = 128;
  std::string weights;         // arithmetic of the linear layers; "" = family default
  std::string dtype = "int8";  // activations and KV cache
  std::int64_t layers = 0;     // decoder layers to emit; 0 = all
  bool lm_head = true;
  // Spiking variant: every linear layer and the attention become spike-driven with T timesteps
  // and this firing rate (Spikformer-style attention: no softmax). 0 = not spiking.
  std::int64_t spiking_timesteps = 0;
  double spiking_rate = 0.1;
  // Quantized-ANN variant: activations of every GEMM layer at this many bits (workload-wide
  // `activation_bits`); 0 = the dtype's width.
  std::int64_t activation_bits = 0;
  MlaExecution mla = MlaExecution::kAbsorbed;  // models with multi-head latent attention only
  // Dynamic sparse attention on every attention op: the keys and values of the workload-wide
  // `sparsity:` map (kind, block, keep, window, summary_dim, seed), in order; empty = dense.
  std::vector<std::pair<std::string, std::string>> sparse_attention;
};

// Returns the workload YAML. Throws ConfigError for options the model cannot take.
std::string BuildTransformerWorkload(const HfModelSpec& spec, const ImportOptions& options,
                                     const std::string& name);

// True where the model's sliding window (HfModelSpec::sliding_window) limits what an emitted
// attention layer reads at these options' longest context; each such attention op then carries
// `sparsity: {kind: sliding_window, window: W}` (docs/SPARSE_ATTENTION.md). A shorter context
// attends to every token, exactly as dense attention.
bool SlidingWindowApplies(const HfModelSpec& spec, const ImportOptions& options);

// The arithmetic a family's linear layers default to (BitNet: ternary when available, else int8).
std::string DefaultWeights(const HfModelSpec& spec);

}  // namespace pjsim
