#include "sim/workload/transformer_builder.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "sim/config/config_error.h"
#include "sim/graph/arithmetic.h"
#include "sim/graph/layer.h"
#include "sim/workload/param_count.h"

namespace pjsim {
namespace {

// Emits layers as flow mappings, one per line, in the order given.
class LayerEmitter {
 public:
  LayerEmitter(YAML::Emitter& out, std::string dtype, std::int64_t spiking_timesteps,
               double spiking_rate)
      : out_(out), dtype_(std::move(dtype)), timesteps_(spiking_timesteps), rate_(spiking_rate) {}

  void Linear(const std::string& name, std::int64_t m, std::int64_t k, std::int64_t n,
              const std::string& weights, std::vector<std::string> inputs, std::int64_t batch = 1) {
    Begin(name, "linear");
    if (batch > 1) Kv("batch", batch);
    Kv("m", m);
    Kv("k", k);
    Kv("n", n);
    Kv("dtype", dtype_);
    Kv("arithmetic", weights);
    Spiking();
    Experts();
    if (kv_sequences_ > 0) Kv("kv_sequences", kv_sequences_);
    kv_sequences_ = 0;
    End(std::move(inputs));
  }
  // `batch` products of two activation tensors (m x k by k x n, the second read from DRAM) at
  // the activation dtype's arithmetic: the SSD layer's matmuls. Spiking variants drive them with
  // spikes, as attention's products.
  void Matmul(const std::string& name, std::int64_t batch, std::int64_t m, std::int64_t k,
              std::int64_t n, std::vector<std::string> inputs) {
    Begin(name, "linear");
    if (batch > 1) Kv("batch", batch);
    Kv("m", m);
    Kv("k", k);
    Kv("n", n);
    Kv("dtype", dtype_);
    Kv("arithmetic", dtype_);
    Spiking();
    End(std::move(inputs));
  }
  // The next linear runs over the KV cache of `sequences` sequences (its m grows with it).
  void OverKvCache(std::int64_t sequences) { kv_sequences_ = sequences; }
  // Marks the next layers as expert ops of MoE block `block` (count 0: plain layers again).
  void SetExperts(std::int64_t count, std::int64_t top_k, std::int64_t block) {
    experts_ = count;
    top_k_ = top_k;
    block_ = block;
  }
  // The attention ops that follow keep only the last `window` tokens (0: all), prefill in query
  // blocks of `block` (0: the reader's default).
  void SetWindow(std::int64_t window, std::int64_t block) {
    window_ = window;
    window_block_ = block;
  }
  // The next layer waits for `layers` without reading them (e.g. the experts for the router).
  void After(std::vector<std::string> layers) { after_ = std::move(layers); }
  void Vector(const std::string& name, const std::string& op, const std::string& function,
              std::int64_t m, std::int64_t n, std::vector<std::string> inputs,
              std::int64_t inner = 0) {
    Begin(name, op);
    if (!function.empty()) Kv("function", function);
    Kv("m", m);
    Kv("n", n);
    if (inner > 0) Kv("inner", inner);
    Kv("dtype", dtype_);
    if (op == "elementwise") Experts();
    End(std::move(inputs));
  }
  void Attention(const std::string& name, const std::string& op, std::int64_t sequences,
                 const HfModelSpec& s, std::int64_t q_len, std::int64_t kv_len,
                 std::vector<std::string> inputs) {
    Attention(name, op,
              {sequences, s.num_attention_heads, s.num_kv_heads, s.head_dim, q_len, kv_len},
              std::move(inputs));
  }
  void Attention(const std::string& name, const std::string& op, const AttentionDims& a,
                 std::vector<std::string> inputs) {
    Begin(name, op);
    Kv("sequences", a.sequences);
    Kv("heads", a.heads);
    Kv("kv_heads", a.kv_heads);
    Kv("head_dim", a.head_dim);
    Kv("q_len", a.q_len);
    Kv("kv_len", a.kv_len);
    if (a.values_in_keys) Kv("values_in_keys", true);
    Kv("dtype", dtype_);
    Spiking();
    if (window_ > 0) {
      out_ << YAML::Key << "sparsity" << YAML::Value << YAML::Flow << YAML::BeginMap;
      Kv("kind", "sliding_window");
      Kv("window", window_);
      if (window_block_ > 0) Kv("block", window_block_);
      out_ << YAML::EndMap;
    }
    End(std::move(inputs));
  }
  void Embedding(const std::string& name, std::int64_t tokens, std::int64_t hidden,
                 std::int64_t vocab) {
    Begin(name, "embedding");
    Kv("m", tokens);
    Kv("n", hidden);
    Kv("vocab", vocab);
    Kv("dtype", dtype_);
    End({});
  }

 private:
  void Begin(const std::string& name, const std::string& op) {
    out_ << YAML::Flow << YAML::BeginMap;
    Kv("name", name);
    Kv("op", op);
  }
  void Experts() {
    if (experts_ == 0) return;
    out_ << YAML::Key << "experts" << YAML::Value << YAML::Flow << YAML::BeginMap;
    Kv("count", experts_);
    Kv("top_k", top_k_);
    Kv("block", block_);
    out_ << YAML::EndMap;
  }
  void Spiking() {
    if (timesteps_ == 0) return;
    out_ << YAML::Key << "spiking" << YAML::Value << YAML::Flow << YAML::BeginMap;
    Kv("timesteps", timesteps_);
    Kv("input_rate", rate_);
    Kv("output_rate", rate_);
    out_ << YAML::EndMap;
  }
  template <typename T>
  void Kv(const std::string& k, const T& v) {
    out_ << YAML::Key << k << YAML::Value << v;
  }
  void End(std::vector<std::string> inputs) {
    out_ << YAML::Key << "inputs" << YAML::Value << YAML::Flow << inputs;
    if (!after_.empty()) out_ << YAML::Key << "after" << YAML::Value << YAML::Flow << after_;
    after_.clear();
    out_ << YAML::EndMap;
  }
  YAML::Emitter& out_;
  std::string dtype_;
  std::int64_t timesteps_;
  std::int64_t experts_ = 0, top_k_ = 0, block_ = 0, kv_sequences_ = 0;
  std::int64_t window_ = 0, window_block_ = 0;
  double rate_;
  std::vector<std::string> after_;
};

std::string GatedFunction(HfActivation a) {
  switch (a) {
    case HfActivation::kSilu:
      return "silu_mul";
    case HfActivation::kGelu:
    case HfActivation::kGeluTanh:
      return "gelu_mul";
    case HfActivation::kRelu2:
      return "relu2_mul";
    case HfActivation::kRelu:
      return "relu2_mul";
  }
  return "silu_mul";
}

// Ternary and binary weights (the registered arithmetic of that name; unknown names are left to
// the workload reader to reject).
bool AddsOnly(const std::string& weights) {
  for (const Arithmetic& a : Arithmetics()) {
    if (a.name == weights) {
      return a.family == ArithmeticFamily::kTernary || a.family == ArithmeticFamily::kBinary;
    }
  }
  return false;
}

// The activation of an ungated MLP, one input per element.
std::string UngatedFunction(HfActivation a) {
  switch (a) {
    case HfActivation::kSilu:
      return "silu";
    case HfActivation::kGelu:
    case HfActivation::kGeluTanh:
      return "gelu";
    case HfActivation::kRelu:
      return "relu";
    case HfActivation::kRelu2:
      return "relu2";
  }
  return "gelu";
}

std::string NormFunction(HfNormKind k) {
  return k == HfNormKind::kRmsNorm ? "rmsnorm" : "layernorm";
}

// Shapes of one pass, shared by the attention emitters.
struct PassShape {
  std::int64_t batch;   // sequences
  std::int64_t q_len;   // query tokens per sequence
  std::int64_t kv_len;  // cached tokens per sequence, this pass's included
  std::int64_t tokens;  // batch x q_len
};

// Grouped-query attention (MHA, GQA, MQA): q/k/v projections of `x`, scores / softmax / context
// over the K and V caches, o projection.
void EmitGroupedAttention(LayerEmitter& e, const HfModelSpec& s, const ImportOptions& o,
                          const PassShape& ps, const std::string& p, const std::string& x,
                          const std::string& weights) {
  const std::int64_t tokens = ps.tokens, hidden = s.hidden_size;
  const std::int64_t q_width = s.num_attention_heads * s.head_dim;
  const std::int64_t kv_width = s.num_kv_heads * s.head_dim;
  e.Linear(p + "q", tokens, hidden, q_width, weights, {x});
  e.Linear(p + "k", tokens, hidden, kv_width, weights, {x});
  e.Linear(p + "v", tokens, hidden, kv_width, weights, {x});
  std::string q = p + "q", k = p + "k";
  if (s.qk_norm) {  // OLMoE: RMSNorm over the whole q and k projections
    e.Vector(p + "q_norm", "norm", "rmsnorm", tokens, q_width, {q});
    e.Vector(p + "k_norm", "norm", "rmsnorm", tokens, kv_width, {k});
    q = p + "q_norm";
    k = p + "k_norm";
  }
  std::vector<std::string> qk = {q, k};
  if (s.qk_norm_per_head) {
    // Qwen3: RMSNorm over each head's values, one row per (token, head); the norms and the scores
    // read the projections' bytes in that per-head view from DRAM.
    e.After({q});
    e.Vector(p + "q_norm", "norm", NormFunction(s.norm), tokens * s.num_attention_heads, s.head_dim,
             {});
    e.After({k});
    e.Vector(p + "k_norm", "norm", NormFunction(s.norm), tokens * s.num_kv_heads, s.head_dim, {});
    e.After({p + "q_norm", p + "k_norm"});
    qk.clear();
  }
  e.Attention(p + "scores", "attention_scores", ps.batch, s, ps.q_len, ps.kv_len, std::move(qk));
  std::string probabilities = p + "scores";
  if (o.spiking_timesteps == 0) {  // spike-driven attention has no softmax
    // Gemma 2 soft-caps the scores, cap x tanh(x / cap), on their way into the softmax.
    e.Vector(p + "softmax", "softmax", s.attn_logit_softcapping > 0 ? "softcap_softmax" : "",
             ps.batch * s.num_attention_heads * ps.q_len, ps.kv_len, {p + "scores"});
    probabilities = p + "softmax";
  }
  e.Attention(p + "context", "attention_context", ps.batch, s, ps.q_len, ps.kv_len,
              {probabilities, p + "v"});
  std::string attn_out = p + "context";
  if (s.extra_sub_norms) {  // BitNet: RMSNorm before o_proj
    e.Vector(p + "attn_sub_norm", "norm", "rmsnorm", tokens, q_width, {attn_out});
    attn_out = p + "attn_sub_norm";
  }
  e.Linear(p + "o", tokens, q_width, hidden, weights, {attn_out});
}

// Multi-head latent attention (DeepSeek-V2, arXiv:2405.04434, section 2.1; tensor names and
// shapes of transformers' DeepseekV2Attention), from the attention norm's output to o_proj. Where
// a consumer reads a producer's output in another layout (per-head slices, the q_nope / q_pe
// split) it waits with `after` and reads the same bytes from DRAM, as it would read the
// producer's output.
void EmitMla(LayerEmitter& e, const HfModelSpec& s, const ImportOptions& o, const PassShape& ps,
             const std::string& p, const std::string& weights) {
  const std::string x = p + "attn_norm";
  const HfMlaSpec& m = s.mla;
  const std::int64_t heads = s.num_attention_heads;
  const std::int64_t hidden = s.hidden_size;
  const std::int64_t q_head = m.qk_nope_head_dim + m.qk_rope_head_dim;
  // Queries: hidden -> (q_lora_rank -> RMSNorm ->) heads x (nope + rope).
  std::string q = p + "q";
  if (m.q_lora_rank > 0) {
    e.Linear(p + "q_a", ps.tokens, hidden, m.q_lora_rank, weights, {x});
    e.Vector(p + "q_a_norm", "norm", "rmsnorm", ps.tokens, m.q_lora_rank, {p + "q_a"});
    q = p + "q_b";
    e.Linear(q, ps.tokens, m.q_lora_rank, heads * q_head, weights, {p + "q_a_norm"});
  } else {
    e.Linear(q, ps.tokens, hidden, heads * q_head, weights, {x});
  }
  // kv_a_proj_with_mqa: this pass's latent c_KV and the RoPE key k_pe shared by every head, which
  // are all the KV cache holds; kv_a_layernorm normalises the latent part.
  e.Linear(p + "kv_a", ps.tokens, hidden, m.kv_lora_rank + m.qk_rope_head_dim, weights, {x});
  e.After({p + "kv_a"});
  e.Vector(p + "kv_a_norm", "norm", "rmsnorm", ps.tokens, m.kv_lora_rank, {});
  AttentionDims a{ps.batch, heads, heads, q_head, ps.q_len, ps.kv_len};
  if (o.mla == MlaExecution::kNaive) {
    // kv_b_proj over every cached latent, each pass: per head a no-RoPE key and a value.
    e.OverKvCache(ps.batch);
    e.After({p + "kv_a_norm"});
    e.Linear(p + "kv_b", ps.batch * ps.kv_len, m.kv_lora_rank,
             heads * (m.qk_nope_head_dim + m.v_head_dim), weights, {});
    // Ordinary multi-head attention over the decompressed keys [k_nope, k_pe] and values.
    e.After({p + "kv_b"});
    e.Attention(p + "scores", "attention_scores", a, {q});
  } else {
    // W_UK absorbed into the query: per head q_nope (nope) x W_UK^T (nope x kv_lora_rank).
    e.After({q});
    e.Linear(p + "q_absorb", ps.tokens, m.qk_nope_head_dim, m.kv_lora_rank, weights, {}, heads);
    // Scores of every head against the cached [c_KV, k_pe]: one KV head of kv_lora + rope dims.
    a.kv_heads = 1;
    a.head_dim = m.kv_lora_rank + m.qk_rope_head_dim;
    e.After({p + "q_absorb", p + "kv_a_norm"});
    e.Attention(p + "scores", "attention_scores", a, {});
  }
  std::string probabilities = p + "scores";
  if (o.spiking_timesteps == 0) {
    e.Vector(p + "softmax", "softmax", "", ps.batch * heads * ps.q_len, ps.kv_len, {p + "scores"});
    probabilities = p + "softmax";
  }
  if (o.mla == MlaExecution::kNaive) {
    a.head_dim = m.v_head_dim;
    e.After({p + "kv_b"});
    e.Attention(p + "context", "attention_context", a, {probabilities});
    e.Linear(p + "o", ps.tokens, heads * m.v_head_dim, hidden, weights, {p + "context"});
    return;
  }
  // Context over the latent itself (the values are the cached c_KV the scores op read), then
  // W_UV absorbed on the way out: per head kv_lora_rank -> v_head_dim.
  a.head_dim = m.kv_lora_rank;
  a.values_in_keys = true;
  e.Attention(p + "context", "attention_context", a, {probabilities, p + "kv_a_norm"});
  e.After({p + "context"});
  e.Linear(p + "v_absorb", ps.tokens, m.kv_lora_rank, m.v_head_dim, weights, {}, heads);
  e.After({p + "v_absorb"});  // its output is per head: heads x tokens rows
  e.Linear(p + "o", ps.tokens, heads * m.v_head_dim, hidden, weights, {});
}

// A Mamba-1 mixer (Gu & Dao, arXiv:2312.00752, Figure 3 and Algorithm 2; shapes of
// transformers' MambaMixer) from the block's norm `x` to out_proj. in_proj's 2 x inner outputs
// run as its two halves, x and the gate z. Prefill scans the prompt with every channel's state
// held in a tile (causal_conv1d, selective_scan); decode reads the conv window and the recurrent
// state from DRAM and writes them back every token (conv1d_step, selective_scan_step), so a
// decode pass costs the same at any position.
void EmitMamba(LayerEmitter& e, const HfModelSpec& s, const ImportOptions& o, const PassShape& ps,
               const std::string& p, const std::string& x, const std::string& weights) {
  const HfSsmSpec& m = s.ssm;
  const std::int64_t tokens = ps.tokens, hidden = s.hidden_size, inner = m.d_inner;
  e.Linear(p + "in_proj_x", tokens, hidden, inner, weights, {x});
  e.Linear(p + "in_proj_z", tokens, hidden, inner, weights, {x});
  if (o.decode) {
    // The window (conv state of conv_kernel - 1 tokens plus the new x) and the taps, from DRAM.
    e.After({p + "in_proj_x"});
    e.Vector(p + "conv", "elementwise", "conv1d_step", ps.batch * inner, m.conv_kernel, {});
  } else {
    e.Vector(p + "conv", "elementwise", "causal_conv1d", tokens, inner, {p + "in_proj_x"},
             m.conv_kernel);
  }
  // Decode: the conv's output is its window's last column, read back from DRAM.
  if (o.decode) e.After({p + "conv"});
  e.Vector(p + "conv_act", "elementwise", "silu", tokens, inner,
           o.decode ? std::vector<std::string>{} : std::vector<std::string>{p + "conv"});
  e.Linear(p + "x_proj", tokens, inner, m.time_step_rank + 2 * m.state_size, weights,
           {p + "conv_act"});
  // dt_proj reads the leading time_step_rank columns of x_proj's output (B and C follow).
  std::vector<std::string> bc = {p + "x_proj"};
  if (m.dt_bc_norms) {
    // Jamba: dt, B and C each RMS-normalised first (their columns read back from DRAM).
    for (const auto& [norm, width] :
         {std::pair{"dt_norm", m.time_step_rank}, std::pair{"b_norm", m.state_size},
          std::pair{"c_norm", m.state_size}}) {
      e.After({p + "x_proj"});
      e.Vector(p + norm, "norm", "rmsnorm", tokens, width, {});
    }
    e.Linear(p + "dt_proj", tokens, m.time_step_rank, inner, weights, {p + "dt_norm"});
    bc = {p + "b_norm", p + "c_norm"};
  } else {
    e.After({p + "x_proj"});
    e.Linear(p + "dt_proj", tokens, m.time_step_rank, inner, weights, {});
  }
  e.Vector(p + "dt", "elementwise", "softplus", tokens, inner, {p + "dt_proj"});
  if (o.decode) {
    // The state h and A from DRAM, the new state back; x, dt, B and C are this token's.
    std::vector<std::string> after = {p + "conv_act"};
    after.insert(after.end(), bc.begin(), bc.end());
    after.push_back(p + "dt");
    e.After(std::move(after));
    e.Vector(p + "scan", "elementwise", "selective_scan_step", ps.batch * inner, m.state_size, {});
  } else {
    e.After(bc);  // B and C
    e.Vector(p + "scan", "elementwise", "selective_scan", tokens, inner, {p + "conv_act", p + "dt"},
             m.state_size);
  }
  // y * SiLU(z); in decode y is the scan step's per-channel sum, read back from DRAM. (Jamba's
  // layers have an FFN whose gate_proj is "gate".)
  const std::string gate = p + (s.ssm_ffn ? "y_gate" : "gate");
  if (o.decode) e.After({p + "scan"});
  e.Vector(gate, "elementwise", "silu_mul", tokens, inner,
           o.decode ? std::vector<std::string>{p + "in_proj_z"}
                    : std::vector<std::string>{p + "in_proj_z", p + "scan"});
  e.Linear(p + "out_proj", tokens, inner, hidden, weights, {gate});
}

// Feeds `producer` to the next op as an input when its output has the shape the op reads;
// otherwise (a transposed or regrouped view of the same elements) the op waits for it and reads
// those bytes from DRAM itself.
std::vector<std::string> Feed(LayerEmitter& e, const std::string& producer, bool same_shape) {
  if (same_shape) return {producer};
  e.After({producer});
  return {};
}

// Mamba-2's SSD layer in prefill: the chunked algorithm of Dao & Gu (arXiv:2405.21060, section 6,
// Listing 1) with chunks of Q tokens, its four steps as batched matmuls (linear ops at the
// activation dtype) and the decays between them as vector ops. Per chunk and group, C and B are
// Q x N; per chunk and head, X is Q x P (P = head_dim). Returns the op holding y (rows
// (token, head), columns P). A prompt that is not a multiple of Q is padded to one, as
// transformers' torch path does.
std::string EmitSsdChunks(LayerEmitter& e, const HfModelSpec& s, const PassShape& ps,
                          const std::string& p) {
  const HfSsmSpec& m = s.ssm;
  const std::int64_t heads = m.num_heads, hd = m.head_dim, n = m.state_size, g = m.n_groups;
  const std::int64_t q = std::min(m.chunk_size, ps.q_len);
  const std::int64_t chunks = ps.batch * ((ps.q_len + q - 1) / q);
  const std::int64_t rows = chunks * q * heads;   // (padded token, head) pairs
  const std::int64_t per_group = heads / g * hd;  // rows of a group's stacked heads
  // X = x * dt, and dA = dt * A summed along the chunk.
  e.After({p + "conv_act", p + "dt"});
  e.Vector(p + "ssd_discretize", "elementwise", "ssd_discretize", rows, hd, {});
  // Step 1, the diagonal blocks: C * B^T per chunk and group, the decay mask per head, then the
  // masked matrix times X.
  e.After({p + "conv_act"});
  e.Matmul(p + "ssd_cb", chunks * g, q, n, q, {});
  // With fewer groups than heads every head reads its group's C * B^T from DRAM; the decays
  // are differences of ssd_discretize's running sums.
  e.After({p + "ssd_cb", p + "ssd_discretize"});
  e.Vector(p + "ssd_mask", "elementwise", "ssd_decay_mask", chunks * heads * q, q,
           g == heads ? std::vector<std::string>{p + "ssd_cb"} : std::vector<std::string>{});
  e.After({p + "ssd_discretize"});
  e.Matmul(p + "ssd_diag", chunks * heads, q, q, hd, {p + "ssd_mask"});
  // Step 2, the chunk states: (X decayed to the chunk's end)^T * B, per chunk and group with its
  // heads stacked: (heads/g x P) x Q by Q x N.
  e.Vector(p + "ssd_state_decay", "elementwise", "ssd_row_decay", rows, hd, {p + "ssd_discretize"});
  e.After({p + "ssd_state_decay"});
  e.Matmul(p + "ssd_states", chunks * g, per_group, q, n, {});
  // Step 3, the states passed across chunks.
  e.After({p + "ssd_states"});
  e.Vector(p + "ssd_state_pass", "elementwise", "ssd_state_pass", chunks * heads, hd * n, {});
  // Step 4, state to output: the entering state times C^T, per chunk and group (transposed
  // y_off), then y = y_diag + exp(cum) * y_off; the skip term D * x is added after the SSD, as
  // in the reference implementations.
  e.After({p + "ssd_state_pass"});
  e.Matmul(p + "ssd_off", chunks * g, per_group, n, q, {});
  e.After({p + "ssd_off"});
  e.Vector(p + "ssd_out", "elementwise", "ssd_combine", rows, hd, {p + "ssd_diag"});
  e.After({p + "conv_act"});
  e.Vector(p + "ssd_skip", "elementwise", "ssd_skip", rows, hd, {p + "ssd_out"});
  return p + "ssd_skip";
}

// A Mamba-2 mixer (Dao & Gu, arXiv:2405.21060, section 7.1 and Figure 6; shapes of transformers'
// Mamba2Mixer) from the block's norm `x` to out_proj. in_proj's outputs run as three ops: the
// gate z, the conv's input x|B|C and one dt per head. Prefill runs the chunked SSD algorithm
// (EmitSsdChunks); decode reads the conv window and the heads x head_dim x state recurrent state
// from DRAM and writes them back every token (conv1d_step, ssd_step), so a decode pass costs the
// same at any position.
void EmitMamba2(LayerEmitter& e, const HfModelSpec& s, const ImportOptions& o, const PassShape& ps,
                const std::string& p, const std::string& x, const std::string& weights) {
  const HfSsmSpec& m = s.ssm;
  const std::int64_t tokens = ps.tokens, hidden = s.hidden_size, inner = m.d_inner;
  const std::int64_t heads = m.num_heads, g = m.n_groups;
  const std::int64_t conv_dim = inner + 2 * g * m.state_size;
  e.Linear(p + "in_proj_z", tokens, hidden, inner, weights, {x});
  e.Linear(p + "in_proj_xbc", tokens, hidden, conv_dim, weights, {x});
  e.Linear(p + "in_proj_dt", tokens, hidden, heads, weights, {x});
  if (o.decode) {
    // The window (conv state of conv_kernel - 1 tokens plus the new x|B|C) and the taps.
    e.After({p + "in_proj_xbc"});
    e.Vector(p + "conv", "elementwise", "conv1d_step", ps.batch * conv_dim, m.conv_kernel, {});
    e.After({p + "conv"});
  } else {
    e.Vector(p + "conv", "elementwise", "causal_conv1d", tokens, conv_dim, {p + "in_proj_xbc"},
             m.conv_kernel);
  }
  e.Vector(p + "conv_act", "elementwise", "silu", tokens, conv_dim,
           o.decode ? std::vector<std::string>{} : std::vector<std::string>{p + "conv"});
  e.Vector(p + "dt", "elementwise", "softplus", tokens, heads, {p + "in_proj_dt"});
  // The gate reads y back from DRAM: prefill's has rows of (token, head) pairs, padded to whole
  // chunks; decode's is the step's side output.
  std::string y;
  if (o.decode) {
    e.Vector(p + "decay", "elementwise", "ssd_decay", tokens, heads, {p + "dt"});
    // The state from DRAM, the new state back; x, dt, B and C are this token's.
    e.After({p + "conv_act", p + "decay"});
    e.Vector(p + "scan", "elementwise", "ssd_step", ps.batch * heads * m.head_dim, m.state_size,
             {});
    y = p + "scan";
  } else {
    y = EmitSsdChunks(e, s, ps, p);
  }
  // Gated RMSNorm over groups of d_inner / n_groups channels (transformers' MambaRMSNormGated):
  // norm(y * silu(z)), or norm(y) * silu(z) with norm_before_gate.
  const bool whole = g == 1;  // one norm group: the norm's rows are the tokens
  if (m.norm_before_gate) {
    e.After({y});
    e.Vector(p + "gated_norm", "norm", "rmsnorm", tokens * g, inner / g, {});
    std::vector<std::string> in = {p + "in_proj_z"};
    if (whole) {
      in.push_back(p + "gated_norm");
    } else {
      e.After({p + "gated_norm"});
    }
    e.Vector(p + "gate", "elementwise", "silu_mul", tokens, inner, std::move(in));
    e.Linear(p + "out_proj", tokens, inner, hidden, weights, {p + "gate"});
    return;
  }
  e.After({y});
  e.Vector(p + "gate", "elementwise", "silu_mul", tokens, inner, {p + "in_proj_z"});
  e.Vector(p + "gated_norm", "norm", "rmsnorm", tokens * g, inner / g, Feed(e, p + "gate", whole));
  e.Linear(p + "out_proj", tokens, inner, hidden, weights, Feed(e, p + "gated_norm", whole));
}

}  // namespace

std::string_view ToString(MlaExecution execution) {
  return execution == MlaExecution::kNaive ? "naive" : "absorbed";
}

std::optional<MlaExecution> ParseMlaExecution(std::string_view text) {
  if (text == "absorbed") return MlaExecution::kAbsorbed;
  if (text == "naive") return MlaExecution::kNaive;
  return std::nullopt;
}

bool SlidingWindowApplies(const HfModelSpec& s, const ImportOptions& o) {
  const std::int64_t layers = o.layers > 0 ? o.layers : s.num_layers;
  const std::int64_t context = o.decode ? o.seq + o.decode_tokens : o.seq;
  if (s.sliding_window == 0 || context <= s.sliding_window) return false;
  for (std::int64_t i = 0; i < layers; ++i) {
    if (s.SlidesWindow(i)) return true;
  }
  return false;
}

std::string DefaultWeights(const HfModelSpec& spec) {
  const auto names = ArithmeticNames();
  if (spec.family == HfFamily::kBitnet &&
      std::find(names.begin(), names.end(), "ternary") != names.end()) {
    return "ternary";
  }
  return "int8";
}

std::string BuildTransformerWorkload(const HfModelSpec& s, const ImportOptions& o,
                                     const std::string& name) {
  const std::string weights = o.weights.empty() ? DefaultWeights(s) : o.weights;
  if (o.layers > s.num_layers) {
    throw ConfigError({s.source, 0, 0}, "--layers " + std::to_string(o.layers) +
                                            ": the model has only " + std::to_string(s.num_layers) +
                                            " decoder layers (num_hidden_layers)");
  }
  const std::int64_t layers = o.layers > 0 ? o.layers : s.num_layers;
  const std::int64_t q_len = o.decode ? 1 : o.seq;
  const std::int64_t kv_len = o.decode ? o.seq + 1 : o.seq;  // decode: prompt + this token
  const std::int64_t tokens = o.batch * q_len;               // rows of every activation
  const std::int64_t hidden = s.hidden_size;
  const ParamBreakdown params = CountParams(s);
  const bool windowed = SlidingWindowApplies(s, o);
  if (windowed && !o.sparse_attention.empty()) {
    throw ConfigError({s.source, 0, 0},
                      "--sparse-attention: the model already attends through a sliding window of " +
                          std::to_string(s.sliding_window) +
                          " tokens (sliding_window) at this context; an attention op has one "
                          "sparsity");
  }
  if (windowed && o.spiking_timesteps > 0) {
    throw ConfigError(
        {s.source, 0, 0},
        "--spiking: spike-driven attention cannot keep the model's sliding window of " +
            std::to_string(s.sliding_window) + " tokens (sliding_window)");
  }
  // A prefill pass attends in query blocks that must divide the prompt: the largest up to the
  // reader's default of 64.
  std::int64_t window_block = 0;
  if (windowed && q_len > 1 && q_len % 64 != 0) {
    window_block = 1;
    for (std::int64_t b = 64; b > 1; --b) {
      if (q_len % b == 0) {
        window_block = b;
        break;
      }
    }
  }

  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << name;
  out << YAML::Key << "phase" << YAML::Value << (o.decode ? "decode" : "prefill");
  if (o.decode) out << YAML::Key << "decode_tokens" << YAML::Value << o.decode_tokens;
  out << YAML::Key << "tokens_per_pass" << YAML::Value << tokens;
  out << YAML::Key << "total_params" << YAML::Value << params.total;
  out << YAML::Key << "active_params" << YAML::Value << params.active;
  if (o.activation_bits > 0)
    out << YAML::Key << "activation_bits" << YAML::Value << o.activation_bits;
  if (!o.sparse_attention.empty()) {
    out << YAML::Key << "sparsity" << YAML::Value << YAML::Flow << YAML::BeginMap;
    for (const auto& [key, value] : o.sparse_attention)
      out << YAML::Key << key << YAML::Value << value;
    out << YAML::EndMap;
  }
  out << YAML::Key << "layers" << YAML::Value << YAML::BeginSeq;
  LayerEmitter e(out, o.dtype, o.spiking_timesteps, o.spiking_rate);

  e.Embedding("embed", tokens, hidden, s.vocab_size);
  std::string residual = "embed";
  if (s.position_embeddings > 0) {  // GPT-2, OPT: a learned position's row added to each token's
    e.Embedding("pos_embed", tokens, hidden, s.position_embeddings);
    e.Vector("embed_add", "elementwise", "add", tokens, hidden, {"embed", "pos_embed"});
    residual = "embed_add";
  }
  for (std::int64_t i = 0; i < layers; ++i) {
    const std::string p = "L" + std::to_string(i) + ".";
    const PassShape shape{o.batch, q_len, kv_len, tokens};
    e.SetWindow(windowed && s.SlidesWindow(i) ? s.sliding_window : 0, window_block);
    const bool attention = i < static_cast<std::int64_t>(s.attention_layer.size()) &&
                           s.attention_layer[static_cast<size_t>(i)];
    if (s.IsSsm() && !s.ssm_ffn) {
      // Mamba (or a hybrid's attention) layer: norm, mixer, residual add; no FFN.
      e.Vector(p + "attn_norm", "norm", NormFunction(s.norm), tokens, hidden, {residual});
      if (attention) {
        EmitGroupedAttention(e, s, o, shape, p, p + "attn_norm", weights);
      } else if (s.IsSsd()) {
        EmitMamba2(e, s, o, shape, p, p + "attn_norm", weights);
      } else {
        EmitMamba(e, s, o, shape, p, p + "attn_norm", weights);
      }
      const std::string mixer = attention ? p + "o" : p + "out_proj";
      e.Vector(p + "residual", "elementwise", "add", tokens, hidden, {mixer, residual});
      residual = p + "residual";
      continue;
    }
    // Jamba: a Mamba mixer where the layer is not attention, then the FFN as below.
    const bool mamba = s.IsSsm() && !attention;
    std::string attn_in = residual;  // OLMo 2 feeds the block's input to the attention as it is
    if (s.pre_norms) {
      e.Vector(p + "attn_norm", "norm", NormFunction(s.norm), tokens, hidden, {residual});
      attn_in = p + "attn_norm";
    }
    if (mamba) {
      EmitMamba(e, s, o, shape, p, attn_in, weights);
    } else if (s.attention == HfAttentionKind::kMultiLatent) {
      EmitMla(e, s, o, shape, p, weights);
    } else {
      EmitGroupedAttention(e, s, o, shape, p, attn_in, weights);
    }
    std::string attn_out = mamba ? p + "out_proj" : p + "o";
    if (s.sandwich_norms) {  // Gemma 2/3, OLMo 2: the attention output is normalised before the add
      e.Vector(p + "attn_post_norm", "norm", NormFunction(s.norm), tokens, hidden, {attn_out});
      attn_out = p + "attn_post_norm";
    }
    e.Vector(p + "attn_residual", "elementwise", "add", tokens, hidden, {attn_out, residual});
    // A parallel block's FFN reads the block's input (through the attention's norm when they
    // share it), a sequential one the attention's residual sum.
    std::string ffn_in = p + "ffn_norm";
    if (!s.pre_norms) {
      ffn_in = p + "attn_residual";
    } else if (s.parallel_block && s.shared_block_norm) {
      ffn_in = p + "attn_norm";
    } else {
      e.Vector(p + "ffn_norm", "norm", NormFunction(s.norm), tokens, hidden,
               {s.parallel_block ? residual : p + "attn_residual"});
    }
    const bool moe =
        i < static_cast<std::int64_t>(s.moe_layer.size()) && s.moe_layer[static_cast<size_t>(i)];
    std::string ffn_out;
    if (!moe) {
      const std::int64_t width = s.intermediate_size;
      if (s.gated_ffn) {
        e.Linear(p + "gate", tokens, hidden, width, weights, {ffn_in});
        e.Linear(p + "up", tokens, hidden, width, weights, {ffn_in});
        e.Vector(p + "act", "elementwise", GatedFunction(s.activation), tokens, width,
                 {p + "gate", p + "up"});
      } else {  // GPT-2-style MLP: up (fc1, c_fc), the activation, down (fc2, c_proj)
        e.Linear(p + "up", tokens, hidden, width, weights, {ffn_in});
        e.Vector(p + "act", "elementwise", UngatedFunction(s.activation), tokens, width,
                 {p + "up"});
      }
      std::string act = p + "act";
      if (s.extra_sub_norms) {  // BitNet: RMSNorm before down_proj
        e.Vector(p + "ffn_sub_norm", "norm", "rmsnorm", tokens, width, {act});
        act = p + "ffn_sub_norm";
      }
      e.Linear(p + "down", tokens, width, hidden, weights, {act});
      ffn_out = p + "down";
    } else {
      // MoE: router scores, then expert ops over the dispatch buffer (tokens x top-k rows, read
      // from DRAM); which expert takes which token is decided each pass by the workload's
      // `routing:` (see sim/workload/moe_routing.h), each expert on its own tiles.
      const HfMoeSpec& m = s.moe;
      e.Linear(p + "router", tokens, hidden, m.num_experts, weights, {ffn_in});
      if (m.scoring == HfRouterScoring::kSigmoid) {
        e.Vector(p + "router_scores", "elementwise", "sigmoid", tokens, m.num_experts,
                 {p + "router"});
      } else {
        e.Vector(p + "router_scores", "softmax", "", tokens, m.num_experts, {p + "router"});
      }
      e.Vector(p + "router_topk", "elementwise", m.norm_topk_prob ? "topk_norm" : "topk", tokens,
               m.num_experts, {p + "router_scores"});
      const std::int64_t slots = tokens * m.top_k;
      const std::int64_t w = m.expert_intermediate_size;
      e.SetExperts(m.num_experts, m.top_k, i);
      // The dispatch buffer is filled once the router has decided.
      e.After({p + "router_topk"});
      e.Linear(p + "experts_gate", slots, hidden, w, weights, {});
      e.After({p + "router_topk"});
      e.Linear(p + "experts_up", slots, hidden, w, weights, {});
      e.Vector(p + "experts_act", "elementwise", GatedFunction(s.activation), slots, w,
               {p + "experts_gate", p + "experts_up"});
      e.Linear(p + "experts_down", slots, w, hidden, weights, {p + "experts_act"});
      e.SetExperts(0, 0, 0);
      if (m.num_shared_experts > 0) {
        const std::int64_t sw = m.num_shared_experts * m.shared_expert_intermediate_size;
        e.Linear(p + "shared_gate", tokens, hidden, sw, weights, {ffn_in});
        e.Linear(p + "shared_up", tokens, hidden, sw, weights, {ffn_in});
        e.Vector(p + "shared_act", "elementwise", GatedFunction(s.activation), tokens, sw,
                 {p + "shared_gate", p + "shared_up"});
        e.Linear(p + "shared_down", tokens, sw, hidden, weights, {p + "shared_act"});
      }
      // Weighted sum of the expert outputs back into token order (read from DRAM).
      std::vector<std::string> combine_inputs;
      if (m.num_shared_experts > 0) combine_inputs.push_back(p + "shared_down");
      e.After({p + "experts_down"});
      e.Vector(p + "moe_combine", "elementwise", "add", tokens, hidden, combine_inputs);
      ffn_out = p + "moe_combine";
    }
    if (s.sandwich_norms) {  // Gemma 2/3, OLMo 2: and so is the FFN's
      e.Vector(p + "ffn_post_norm", "norm", NormFunction(s.norm), tokens, hidden, {ffn_out});
      ffn_out = p + "ffn_post_norm";
    }
    e.Vector(p + "ffn_residual", "elementwise", "add", tokens, hidden,
             {ffn_out, p + "attn_residual"});
    residual = p + "ffn_residual";
  }
  e.Vector("final_norm", "norm", NormFunction(s.norm), tokens, hidden, {residual});
  if (o.lm_head) {
    // BitNet-style low-bit models keep the LM head (tied embedding) in higher precision: it runs
    // at the activation dtype's arithmetic, not ternary/binary.
    const std::string head = AddsOnly(weights) ? o.dtype : weights;
    // Logits of the last position of each sequence: all a generated token needs (prefill reads
    // those rows of the final norm's output from DRAM, so it waits for the norm: without the
    // wait a dataflow schedule, e.g. pipelined groups, starts the head with the first layer).
    const std::int64_t rows = o.decode ? tokens : o.batch;
    if (o.decode) {
      e.Linear("lm_head", tokens, hidden, s.vocab_size, head, {"final_norm"});
    } else {
      e.After({"final_norm"});
      e.Linear("lm_head", o.batch, hidden, s.vocab_size, head, {});
    }
    if (s.final_logit_softcapping > 0) {  // Gemma 2: cap x tanh(logit / cap)
      e.Vector("logit_softcap", "elementwise", "softcap", rows, s.vocab_size, {"lm_head"});
    }
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace pjsim
