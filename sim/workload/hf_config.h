#pragma once
// A Hugging Face `config.json` read into a typed description of the model's shape. Only the keys
// that decide which tensors exist and how large they are are read; everything else (rope, dropout,
// token ids) is ignored. Absent optional keys take the defaults of the family's transformers
// configuration class; keys whose default differs between versions of that class (DeepSeek's
// first_k_dense_replace, n_routed_experts, q_lora_rank, ...) are required. A JSON null counts as
// absent, and every problem is a ConfigError naming the key and pointing at file:line:col.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pjsim {

// Model families whose tensor layout is known. DeepSeek-V2/V3 use multi-head latent attention.
enum class HfFamily {
  kLlama,
  kMistral,
  kMixtral,
  kOlmoe,
  kQwen2,
  kQwen2Moe,
  kQwen3,       // qwen2 without attention biases, with a per-head RMSNorm on q and k
  kQwen3Moe,    // qwen3 attention + qwen2_moe-style routed experts, no shared expert
  kPhi3,        // llama shapes with fused qkv and gate_up projections (same parameters)
  kGemma,       // llama shapes, GeGLU, tied embedding, head_dim 256 by default
  kGemma2,      // gemma + sandwich norms, tanh soft-capped scores and logits, local/global layers
  kGemma3,      // gemma2 without soft-capping, with per-head q/k norms and 5:1 local/global
  kDeepseek,    // DeepSeekMoE (model_type "deepseek"): llama attention + fine-grained MoE
  kDeepseekV2,  // MLA + DeepSeekMoE, softmax router
  kDeepseekV3,  // MLA + DeepSeekMoE, sigmoid router with a score-correction bias
  kBitnet,
  kMamba,        // Mamba-1: selective state-space blocks, no attention, no FFN
  kFalconMamba,  // Mamba-1 with weightless RMSNorms on dt, B and C
  kMamba2,       // Mamba-2: SSD blocks (multi-head scalar-decay state space), no attention, no FFN
  kJamba,        // Mamba-1 and attention layers, each followed by an FFN or MoE block
  // Pre-LayerNorm transformers with biased projections and an ungated MLP:
  kGpt2,        // learned absolute positions, sequential blocks, tied head
  kOpt,         // as GPT-2 with ReLU and an ffn_dim (positions offset by 2 rows)
  kGptNeox,     // rotary, parallel attention and MLP (use_parallel_residual), two norms, untied
  kPhi,         // Phi-1/1.5/2: parallel attention and MLP from one shared LayerNorm, lm_head bias
  kFalcon,      // parallel blocks, multi-query or grouped KV heads, no biases by default
  kStarcoder2,  // sequential blocks, grouped KV heads, biases, a sliding window in every layer
  kOlmo2,       // llama shapes, norms on the attention and FFN outputs only, q/k norms
};

enum class HfActivation { kSilu, kGelu, kGeluTanh, kRelu, kRelu2 };
enum class HfNormKind { kRmsNorm, kLayerNorm };
// kGrouped covers MHA, GQA and MQA; kMultiLatent is DeepSeek's low-rank (MLA) attention.
enum class HfAttentionKind { kGrouped, kMultiLatent };
enum class HfRouterScoring { kSoftmax, kSigmoid };

// DeepSeek multi-head latent attention: queries (optionally) and keys/values go through a
// low-rank latent; each head's q/k has a no-RoPE part and a RoPE part.
struct HfMlaSpec {
  std::int64_t q_lora_rank = 0;  // 0: queries are projected directly (DeepSeek-V2-Lite)
  std::int64_t kv_lora_rank = 0;
  std::int64_t qk_nope_head_dim = 0;
  std::int64_t qk_rope_head_dim = 0;
  std::int64_t v_head_dim = 0;
};

// Mamba-1 mixer (transformers' MambaMixer; Gu & Dao, arXiv:2312.00752, section 3.4): in_proj to
// x and the gate z (d_inner each), causal depthwise conv1d over tokens, x_proj to the time step's
// low-rank input and B, C; dt_proj back to d_inner; A_log and D per channel.
// Mamba-2 mixer (transformers' Mamba2Mixer; Dao & Gu, arXiv:2405.21060, section 7 and Figure 6):
// in_proj to z, x, B, C (n_groups x state_size each) and one dt per head; causal depthwise conv1d
// over x, B and C; the SSD layer with one scalar decay A per head; gated RMSNorm; out_proj.
struct HfSsmSpec {
  std::int64_t state_size = 0;  // N: recurrent states per channel (0: not an SSM model)
  std::int64_t conv_kernel = 0;
  std::int64_t time_step_rank = 0;  // Mamba-1: "auto" = ceil(hidden_size / 16)
  bool use_bias = false;            // in_proj and out_proj biases
  bool use_conv_bias = true;
  // Mixer inner width: expand x hidden_size (Mamba-1's intermediate_size).
  std::int64_t d_inner = 0;
  bool dt_bc_norms = false;        // Jamba, FalconMamba: RMSNorms on x_proj's dt, B and C outputs
  bool dt_bc_norm_weights = true;  // FalconMamba's have no scale (a plain RMS normalisation)
  // Mamba-2 only (num_heads 0: Mamba-1): d_inner = num_heads x head_dim channels in heads that
  // share one decay; B and C are shared by the heads of each of n_groups groups.
  std::int64_t num_heads = 0;
  std::int64_t head_dim = 0;
  std::int64_t n_groups = 0;
  std::int64_t chunk_size = 0;    // SSD prefill's chunk length Q
  bool norm_before_gate = false;  // gated norm: norm(y) * silu(z) instead of norm(y * silu(z))
};

struct HfMoeSpec {
  std::int64_t num_experts = 0;  // routed experts per MoE layer; 0 = dense model
  std::int64_t top_k = 0;        // routed experts per token
  std::int64_t expert_intermediate_size = 0;
  // Shared experts run on every token. DeepSeek fuses its n shared experts into one FFN of width
  // n x moe_intermediate_size; Qwen2-MoE has one of width shared_expert_intermediate_size.
  std::int64_t num_shared_experts = 0;
  std::int64_t shared_expert_intermediate_size = 0;  // width of ONE shared expert
  bool shared_expert_gate = false;  // Qwen2-MoE scales the shared output by sigmoid(Linear(h, 1))
  HfRouterScoring scoring = HfRouterScoring::kSoftmax;
  bool norm_topk_prob = false;  // renormalise the top-k weights to sum to one
  bool router_bias = false;     // DeepSeek-V3 "noaux_tc": per-expert score-correction bias
  double routed_scaling_factor = 1.0;
  // Layer-placement keys as given, kept for reporting; `HfModelSpec::moe_layer` is what counts.
  std::int64_t first_k_dense_replace = 0;     // DeepSeek: the first k layers are dense
  std::int64_t moe_layer_freq = 1;            // DeepSeek: MoE where layer % freq == 0
  std::int64_t decoder_sparse_step = 1;       // Qwen2-MoE: MoE where (layer + 1) % step == 0
  std::vector<std::int64_t> mlp_only_layers;  // Qwen2-MoE: forced-dense layers
};

struct HfModelSpec {
  std::string source;      // file the spec was read from
  std::string model_type;  // as written in the file
  HfFamily family = HfFamily::kLlama;

  std::int64_t hidden_size = 0;
  std::int64_t intermediate_size = 0;  // width of the dense FFN (dense layers only in MoE models)
  std::int64_t num_layers = 0;
  std::int64_t num_attention_heads = 0;
  // For MLA every head has its own decompressed key and value, so this equals the head count.
  std::int64_t num_kv_heads = 0;
  // Query/key head width: `head_dim` if given, else hidden/heads; for MLA nope + rope dims.
  std::int64_t head_dim = 0;
  std::int64_t vocab_size = 0;
  std::int64_t max_position_embeddings = 0;  // 0 = not given
  bool tie_word_embeddings = false;

  HfActivation activation = HfActivation::kSilu;
  bool gated_ffn = true;  // down(act(gate(x)) * up(x)); every supported family is gated
  HfNormKind norm = HfNormKind::kRmsNorm;
  double norm_eps = 1e-6;
  // BitNet: an extra RMSNorm on the attention output before o_proj and on the FFN hidden
  // activation before down_proj.
  bool extra_sub_norms = false;
  // OLMoE: RMSNorm over the whole q and k projections (not per head).
  bool qk_norm = false;
  // Qwen3: RMSNorm over each head's head_dim values of q and k (one scale of head_dim each).
  bool qk_norm_per_head = false;
  // Attention and FFN both read the block's input and both add into its residual (GPT-J,
  // GPT-NeoX, Phi, Falcon); with shared_block_norm one norm feeds both (Phi, Falcon-7B).
  bool parallel_block = false;
  bool shared_block_norm = false;
  // Learned absolute position embeddings (GPT-2, OPT): rows of the table, added to the token
  // embedding (0: none; rotary and ALiBi carry no parameters).
  std::int64_t position_embeddings = 0;
  bool lm_head_bias = false;  // Phi's lm_head
  // The norms before the attention and the FFN (every family but OLMo 2, which norms only their
  // outputs: sandwich_norms without these).
  bool pre_norms = true;
  // Gemma 2/3, OLMo 2: RMSNorms on the attention and FFN outputs before their residual adds (four
  // norms per layer in Gemma: Gemma2DecoderLayer's post_attention_layernorm and
  // post_feedforward_layernorm beside the two before).
  bool sandwich_norms = false;
  // Gemma 2: cap x tanh(x / cap) on every attention score before the softmax and on the logits
  // (attn_logit_softcapping, final_logit_softcapping; 0: none).
  double attn_logit_softcapping = 0;
  double final_logit_softcapping = 0;
  // Sliding-window attention: each query attends to at most this many most recent tokens, in
  // every attention layer (0: full causal attention). From `sliding_window` where the family's
  // modeling code applies it (Qwen2/Qwen3: only with use_sliding_window).
  std::int64_t sliding_window = 0;
  // One entry per layer: true where the layer's attention slides (with sliding_window > 0).
  std::vector<bool> sliding_layer;

  HfAttentionKind attention = HfAttentionKind::kGrouped;
  HfMlaSpec mla;
  bool qkv_bias = false;  // biases on q/k/v (MLA: on q_a_proj and kv_a_proj_with_mqa)
  bool o_bias = false;
  bool ffn_bias = false;  // llama `mlp_bias`

  HfMoeSpec moe;
  // Mamba: intermediate_size is the mixer's inner width (expand x hidden_size); Jamba: the FFN's.
  HfSsmSpec ssm;
  // Jamba: every layer, Mamba or attention, is followed by a norm and an FFN or MoE block
  // (moe_layer); Mamba and Mamba-2 layers have none.
  bool ssm_ffn = false;
  // SSM models: one entry per layer, true where the layer is attention instead of a Mamba
  // mixer (a hybrid stack, MakeHybrid); empty for pure Mamba.
  std::vector<bool> attention_layer;
  // One entry per layer: true where the FFN is a routed-expert block. All false for dense models.
  std::vector<bool> moe_layer;
  // DeepSeek-V3 multi-token-prediction modules stored beside the model; not part of the model
  // that transformers builds and not counted by CountParams.
  std::int64_t mtp_layers = 0;

  // `quantization_config.quant_method` ("bitnet", "fp8", ...); empty if none.
  std::string quant_method;

  bool IsMoe() const { return moe.num_experts > 0; }
  bool IsSsm() const { return ssm.state_size > 0; }
  bool IsSsd() const { return ssm.num_heads > 0; }  // Mamba-2
  // True where decoder layer `layer`'s attention is limited to the last sliding_window tokens.
  bool SlidesWindow(std::int64_t layer) const {
    return sliding_window > 0 && layer < static_cast<std::int64_t>(sliding_layer.size()) &&
           sliding_layer[static_cast<size_t>(layer)];
  }
  std::int64_t NumMoeLayers() const;
};

// Reads `path`. A missing or unreadable file, malformed JSON, an unsupported model_type, a
// missing required key, or a value of the wrong type or range throws ConfigError.
HfModelSpec LoadHfConfig(const std::string& path);
// Same, for JSON text already in memory; `name` labels error locations.
HfModelSpec ParseHfConfig(const std::string& json_text, const std::string& name);

// Turns a Mamba or Mamba-2 spec into a Jamba-style hybrid: every `every`-th layer (layers every-1,
// 2*every-1, ...) is grouped-query attention without biases instead of a Mamba mixer, with
// `num_attention_heads` heads (0: hidden_size / 64, heads of 64) and as many KV heads. Throws
// ConfigError when the spec is not an SSM, is a Jamba config (its own attn_layer_period places
// the attention layers), or the head split does not divide hidden_size.
void MakeHybrid(HfModelSpec& spec, std::int64_t every, std::int64_t num_attention_heads = 0);

// model_type strings accepted, in the order they are listed in error messages.
const std::vector<std::string>& SupportedHfModelTypes();

std::string_view ToString(HfFamily family);
std::string_view ToString(HfActivation activation);
std::string_view ToString(HfRouterScoring scoring);

}  // namespace pjsim
