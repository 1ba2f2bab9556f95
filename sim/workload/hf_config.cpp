#include "sim/workload/hf_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "sim/config/config_error.h"
#include "sim/config/file_text.h"
#include "sim/config/json_reader.h"
#include "sim/config/yaml_reader.h"
#include "sim/workload/param_count.h"

namespace pjsim {
namespace {

// Ceiling for every size-like key: far above any real model, low enough that the products
// CountParams forms stay well inside int64 for realistic shapes.
constexpr std::int64_t kMaxValue = std::int64_t{1} << 24;
// Decoder layers: 8x the deepest published model (Llama-3.1-405B: 126). A workload holds about 20
// ops per layer, so this keeps an import to a few MB of YAML (16,777,216 layers would be ~30 GB).
constexpr std::int64_t kMaxLayers = 1024;

struct FamilyName {
  const char* model_type;
  HfFamily family;
};
constexpr FamilyName kFamilies[] = {
    {"llama", HfFamily::kLlama},
    {"mistral", HfFamily::kMistral},
    {"mixtral", HfFamily::kMixtral},
    {"olmoe", HfFamily::kOlmoe},
    {"qwen2", HfFamily::kQwen2},
    {"qwen2_moe", HfFamily::kQwen2Moe},
    {"qwen3", HfFamily::kQwen3},
    {"qwen3_moe", HfFamily::kQwen3Moe},
    {"phi3", HfFamily::kPhi3},
    {"gemma", HfFamily::kGemma},
    {"gemma2", HfFamily::kGemma2},
    {"gemma3_text", HfFamily::kGemma3},
    {"deepseek", HfFamily::kDeepseek},
    {"deepseek_v2", HfFamily::kDeepseekV2},
    {"deepseek_v3", HfFamily::kDeepseekV3},
    {"bitnet", HfFamily::kBitnet},
    {"mamba", HfFamily::kMamba},
    {"falcon_mamba", HfFamily::kFalconMamba},
    {"mamba2", HfFamily::kMamba2},
    {"jamba", HfFamily::kJamba},
    {"gpt2", HfFamily::kGpt2},
    {"opt", HfFamily::kOpt},
    {"gpt_neox", HfFamily::kGptNeox},
    {"phi", HfFamily::kPhi},
    {"falcon", HfFamily::kFalcon},
    {"starcoder2", HfFamily::kStarcoder2},
    {"olmo2", HfFamily::kOlmo2},
};

// Common model types whose computation differs from every supported family in ways that change the
// cost; importing them as the nearest family would be silently wrong, so each is refused with why.
struct RefusedType {
  const char* model_type;
  const char* why;
};
constexpr RefusedType kRefused[] = {
    {"phimoe", "Phi-3.5-MoE's LayerNorms and sparsemixer router are not modelled"},
    {"phi3small", "Phi-3-small's block-sparse attention and GEGELU MLP are not modelled"},
    {"llama4",
     "Llama 4's interleaved MoE/dense layers, chunked attention and NoPE layers are "
     "not modelled"},
    {"qwen3_next", "gated DeltaNet linear-attention layers are not modelled"},
    {"nemotron_h", "Mamba-2/attention/MLP hybrid pattern strings are not modelled"},
    {"zamba2", "shared attention blocks with LoRA adapters are not modelled"},
};

SourceLocation Locate(const std::string& file, const YAML::Mark& mark) {
  if (mark.line < 0) return SourceLocation{file, 0, 0};
  return SourceLocation{file, mark.line + 1, mark.column + 1};
}

// yaml-cpp tags quoted scalars "!" and plain ones "?"; in JSON only strings are quoted.
bool IsJsonString(const YAML::Node& n) { return n.IsScalar() && n.Tag() == "!"; }

std::string Describe(const YAML::Node& n) {
  if (n.IsNull()) return "null";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "an object";
  if (IsJsonString(n)) return "the string \"" + n.Scalar() + "\"";
  return n.Scalar();
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Typed, located access to one JSON object. A key whose value is null counts as absent.
class JsonObject {
 public:
  JsonObject(std::string file, YAML::Node node) : file_(std::move(file)), node_(std::move(node)) {}

  bool Has(const std::string& key) const {
    const YAML::Node n = node_[key];
    return n.IsDefined() && !n.IsNull();
  }

  std::int64_t Int(const std::string& key, std::int64_t min) const {
    const YAML::Node n = node_[key];
    if (!n.IsDefined()) FailMissing(key);
    return ToInt(key, n, min);
  }

  std::int64_t IntOr(const std::string& key, std::int64_t fallback, std::int64_t min) const {
    return Has(key) ? ToInt(key, node_[key], min) : fallback;
  }

  // The key must be present (its meaning differs between versions of the family's config
  // class, so no default is safe), but null is a legitimate value meaning "none".
  std::optional<std::int64_t> NullableInt(const std::string& key, std::int64_t min) const {
    const YAML::Node n = node_[key];
    if (!n.IsDefined()) FailMissing(key);
    if (n.IsNull()) return std::nullopt;
    return ToInt(key, n, min);
  }

  bool BoolOr(const std::string& key, bool fallback) const {
    if (!Has(key)) return fallback;
    const YAML::Node n = node_[key];
    if (n.IsScalar() && !IsJsonString(n)) {
      if (n.Scalar() == "true") return true;
      if (n.Scalar() == "false") return false;
    }
    Fail(key, "'" + key + "' must be true or false, got " + Describe(n));
  }

  double NumberOr(const std::string& key, double fallback) const {
    if (!Has(key)) return fallback;
    const YAML::Node n = node_[key];
    if (n.IsScalar() && !IsJsonString(n)) {
      const std::string& text = n.Scalar();
      double value = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      // from_chars also reads "inf" and "nan", which are not JSON numbers.
      if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(value)) {
        return value;
      }
    }
    Fail(key, "'" + key + "' must be a number, got " + Describe(n));
  }

  std::string String(const std::string& key) const {
    const YAML::Node n = node_[key];
    if (!n.IsDefined()) FailMissing(key);
    return ToString(key, n);
  }

  bool IsString(const std::string& key) const { return Has(key) && IsJsonString(node_[key]); }

  std::string StringOr(const std::string& key, const std::string& fallback) const {
    return Has(key) ? ToString(key, node_[key]) : fallback;
  }

  std::vector<std::int64_t> IntListOr(const std::string& key, std::int64_t min,
                                      std::int64_t max) const {
    std::vector<std::int64_t> out;
    if (!Has(key)) return out;
    const YAML::Node n = node_[key];
    if (!n.IsSequence()) Fail(key, "'" + key + "' must be a list of integers, got " + Describe(n));
    for (const auto& item : n) {
      const std::int64_t v = ToInt(key, item, min);
      if (v > max) {
        FailAt(item, "'" + key + "' entry " + std::to_string(v) + " is out of range [" +
                         std::to_string(min) + ", " + std::to_string(max) + "]");
      }
      out.push_back(v);
    }
    return out;
  }

  // A list of strings each one of `allowed`, failing at the first entry that is not.
  std::vector<std::string> StringListOr(const std::string& key,
                                        const std::vector<std::string>& allowed) const {
    std::vector<std::string> out;
    if (!Has(key)) return out;
    const YAML::Node n = node_[key];
    if (!n.IsSequence()) Fail(key, "'" + key + "' must be a list of strings, got " + Describe(n));
    for (const auto& item : n) {
      const std::string v = ToString(key, item);
      if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
        FailAt(item,
               "'" + key + "' entry '" + v + "' is not supported; supported: " + Join(allowed));
      }
      out.push_back(v);
    }
    return out;
  }

  std::optional<JsonObject> ObjectIf(const std::string& key) const {
    if (!Has(key)) return std::nullopt;
    const YAML::Node n = node_[key];
    if (!n.IsMap()) Fail(key, "'" + key + "' must be an object, got " + Describe(n));
    return JsonObject(file_, n);
  }

  // True where the key is written, even as null (Has() treats null as absent).
  bool Written(const std::string& key) const { return node_[key].IsDefined(); }

  // Points at the key's value.
  [[noreturn]] void Fail(const std::string& key, const std::string& message) const {
    FailAt(node_[key], message);
  }

  // A duplicate key would make the file mean whatever the parser happens to keep.
  void RejectDuplicateKeys() const {
    std::set<std::string> seen;
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (!seen.insert(key).second) {
        throw ConfigError(Locate(file_, it->first.Mark()), "duplicate key '" + key + "'");
      }
    }
  }

 private:
  [[noreturn]] void FailAt(const YAML::Node& n, const std::string& message) const {
    throw ConfigError(Locate(file_, n.IsDefined() ? n.Mark() : node_.Mark()), message);
  }

  // A missing key has no position of its own: point at the object that should hold it.
  [[noreturn]] void FailMissing(const std::string& key) const {
    throw ConfigError(Locate(file_, node_.Mark()), "missing required key '" + key + "'");
  }

  std::int64_t ToInt(const std::string& key, const YAML::Node& n, std::int64_t min) const {
    const std::string what = min >= 1 ? "a positive integer" : "a non-negative integer";
    if (!n.IsScalar() || IsJsonString(n) || n.IsNull()) {
      FailAt(n, "'" + key + "' must be " + what + ", got " + Describe(n));
    }
    const std::string& text = n.Scalar();
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
      FailAt(n, "'" + key + "' must be " + what + ", got " + Describe(n));
    }
    if (value < min) FailAt(n, "'" + key + "' must be " + what + ", got " + text);
    if (value > kMaxValue) {
      FailAt(n, "'" + key + "' = " + text + " exceeds the supported maximum " +
                    std::to_string(kMaxValue));
    }
    return value;
  }

  std::string ToString(const std::string& key, const YAML::Node& n) const {
    if (!IsJsonString(n)) FailAt(n, "'" + key + "' must be a string, got " + Describe(n));
    return n.Scalar();
  }

  std::string file_;
  YAML::Node node_;
};

HfFamily ParseFamily(const JsonObject& cfg, const std::string& model_type) {
  for (const auto& f : kFamilies) {
    if (model_type == f.model_type) return f.family;
  }
  for (const auto& r : kRefused) {
    if (model_type == r.model_type) {
      cfg.Fail("model_type", "model_type '" + model_type + "' is not supported: " + r.why);
    }
  }
  cfg.Fail("model_type", "unsupported model_type '" + model_type +
                             "'; supported model_type values: " + Join(SupportedHfModelTypes()));
}

bool IsGemma(HfFamily f) {
  return f == HfFamily::kGemma || f == HfFamily::kGemma2 || f == HfFamily::kGemma3;
}

// The activation named by `key` (`fallback` when absent).
HfActivation ActivationNamed(const JsonObject& cfg, const std::string& key,
                             const std::string& fallback) {
  const std::string act = cfg.StringOr(key, fallback);
  if (act == "silu" || act == "swish") return HfActivation::kSilu;
  if (act == "gelu") return HfActivation::kGelu;
  if (act == "gelu_new" || act == "gelu_pytorch_tanh" || act == "gelu_fast") {
    return HfActivation::kGeluTanh;
  }
  if (act == "relu") return HfActivation::kRelu;
  if (act == "relu2") return HfActivation::kRelu2;
  cfg.Fail(key, "unsupported " + key + " '" + act +
                    "'; supported: silu, swish, gelu, gelu_new, gelu_pytorch_tanh, "
                    "gelu_fast, relu, relu2");
}

HfActivation ParseActivation(const JsonObject& cfg, HfFamily family) {
  const std::string fallback = family == HfFamily::kBitnet ? "relu2"
                               : IsGemma(family)           ? "gelu_pytorch_tanh"
                                                           : "silu";
  // GemmaMLP uses hidden_activation; hidden_act is a legacy key that said "gelu" for the tanh
  // approximation.
  const bool gemma_key = IsGemma(family) && cfg.Has("hidden_activation");
  return ActivationNamed(cfg, gemma_key ? "hidden_activation" : "hidden_act", fallback);
}

bool UsesMla(HfFamily f) { return f == HfFamily::kDeepseekV2 || f == HfFamily::kDeepseekV3; }

bool IsDeepseek(HfFamily f) { return f == HfFamily::kDeepseek || UsesMla(f); }

void ParseAttention(const JsonObject& cfg, HfModelSpec& s) {
  if (UsesMla(s.family)) {
    s.attention = HfAttentionKind::kMultiLatent;
    s.mla.q_lora_rank = cfg.NullableInt("q_lora_rank", 1).value_or(0);
    s.mla.kv_lora_rank = cfg.Int("kv_lora_rank", 1);
    s.mla.qk_nope_head_dim = cfg.Int("qk_nope_head_dim", 1);
    s.mla.qk_rope_head_dim = cfg.Int("qk_rope_head_dim", 1);
    s.mla.v_head_dim = cfg.Int("v_head_dim", 1);
    s.head_dim = s.mla.qk_nope_head_dim + s.mla.qk_rope_head_dim;
    // Checked for type only: MLA decompresses a key and value for every head.
    cfg.IntOr("num_key_value_heads", s.num_attention_heads, 1);
    s.num_kv_heads = s.num_attention_heads;
    s.qkv_bias = s.o_bias = cfg.BoolOr("attention_bias", false);
    return;
  }

  // Gemma2Config and Gemma3TextConfig default to 4 KV heads, the others to one per head.
  const bool gemma23 = s.family == HfFamily::kGemma2 || s.family == HfFamily::kGemma3;
  s.num_kv_heads = cfg.IntOr("num_key_value_heads", gemma23 ? 4 : s.num_attention_heads, 1);
  if (s.num_attention_heads % s.num_kv_heads != 0) {
    cfg.Fail("num_key_value_heads", "'num_key_value_heads' (" + std::to_string(s.num_kv_heads) +
                                        ") must divide 'num_attention_heads' (" +
                                        std::to_string(s.num_attention_heads) + ")");
  }
  // Qwen3Config and GemmaConfig default head_dim to 128 and 256, whatever hidden / heads is.
  const bool qwen3 = s.family == HfFamily::kQwen3 || s.family == HfFamily::kQwen3Moe;
  if (cfg.Has("head_dim")) {
    s.head_dim = cfg.Int("head_dim", 1);
  } else if (qwen3 || IsGemma(s.family)) {
    s.head_dim = qwen3 ? 128 : 256;
  } else {
    if (s.hidden_size % s.num_attention_heads != 0) {
      cfg.Fail("num_attention_heads", "'hidden_size' (" + std::to_string(s.hidden_size) +
                                          ") is not a multiple of 'num_attention_heads' (" +
                                          std::to_string(s.num_attention_heads) +
                                          ") and no 'head_dim' is given");
    }
    s.head_dim = s.hidden_size / s.num_attention_heads;
  }

  // Which projections carry biases is fixed in each family's modeling code; only some expose it.
  switch (s.family) {
    case HfFamily::kLlama:
    case HfFamily::kOlmoe:
    case HfFamily::kBitnet:
    case HfFamily::kDeepseek:
    case HfFamily::kQwen3:
    case HfFamily::kQwen3Moe:
    case HfFamily::kGemma:
    case HfFamily::kGemma2:
    case HfFamily::kGemma3:
    case HfFamily::kOlmo2:
      s.qkv_bias = s.o_bias = cfg.BoolOr("attention_bias", false);
      break;
    case HfFamily::kQwen2:
      s.qkv_bias = true;
      break;
    case HfFamily::kQwen2Moe:
      s.qkv_bias = cfg.BoolOr("qkv_bias", true);
      break;
    default:  // mistral, mixtral, phi3 (qkv_proj without bias): no attention biases
      break;
  }
  s.qk_norm_per_head = qwen3 || s.family == HfFamily::kGemma3;  // Gemma3Attention's q/k_norm
  if (s.family == HfFamily::kLlama) s.ffn_bias = cfg.BoolOr("mlp_bias", false);
}

void ParseDeepseekMoe(const JsonObject& cfg, HfModelSpec& s) {
  HfMoeSpec& m = s.moe;
  // null n_routed_experts is how DeepSeek configs describe a dense model.
  const auto routed = cfg.NullableInt("n_routed_experts", 1);
  if (!routed) return;
  const bool v3 = s.family == HfFamily::kDeepseekV3;
  m.num_experts = *routed;
  m.top_k = cfg.Int("num_experts_per_tok", 1);
  m.expert_intermediate_size = cfg.Int("moe_intermediate_size", 1);
  m.num_shared_experts = cfg.NullableInt("n_shared_experts", 0).value_or(0);
  m.shared_expert_intermediate_size = m.num_shared_experts > 0 ? m.expert_intermediate_size : 0;
  m.first_k_dense_replace = cfg.Int("first_k_dense_replace", 0);
  m.moe_layer_freq = cfg.IntOr("moe_layer_freq", 1, 1);
  m.norm_topk_prob = cfg.BoolOr("norm_topk_prob", v3);
  m.routed_scaling_factor = cfg.NumberOr("routed_scaling_factor", v3 ? 2.5 : 1.0);

  const std::string scoring = cfg.StringOr("scoring_func", v3 ? "sigmoid" : "softmax");
  if (scoring == "softmax") {
    m.scoring = HfRouterScoring::kSoftmax;
  } else if (scoring == "sigmoid") {
    m.scoring = HfRouterScoring::kSigmoid;
  } else {
    cfg.Fail("scoring_func",
             "unsupported scoring_func '" + scoring + "'; supported: softmax, sigmoid");
  }
  const std::string method = cfg.StringOr("topk_method", v3 ? "noaux_tc" : "greedy");
  if (method != "greedy" && method != "group_limited_greedy" && method != "noaux_tc") {
    cfg.Fail("topk_method", "unsupported topk_method '" + method +
                                "'; supported: greedy, group_limited_greedy, noaux_tc");
  }
  m.router_bias = method == "noaux_tc";

  for (std::int64_t i = 0; i < s.num_layers; ++i) {
    s.moe_layer[static_cast<size_t>(i)] = i >= m.first_k_dense_replace && i % m.moe_layer_freq == 0;
  }
}

void ParseMoe(const JsonObject& cfg, HfModelSpec& s) {
  s.moe_layer.assign(static_cast<size_t>(s.num_layers), false);
  HfMoeSpec& m = s.moe;
  switch (s.family) {
    case HfFamily::kMixtral:
      m.num_experts = cfg.Int("num_local_experts", 1);
      m.top_k = cfg.Int("num_experts_per_tok", 1);
      m.expert_intermediate_size = s.intermediate_size;
      m.norm_topk_prob = true;  // Mixtral always renormalises the top-k softmax weights
      s.moe_layer.assign(s.moe_layer.size(), true);
      break;
    case HfFamily::kOlmoe:
      m.num_experts = cfg.Int("num_experts", 1);
      m.top_k = cfg.Int("num_experts_per_tok", 1);
      m.expert_intermediate_size = s.intermediate_size;
      m.norm_topk_prob = cfg.BoolOr("norm_topk_prob", false);
      s.moe_layer.assign(s.moe_layer.size(), true);
      break;
    case HfFamily::kQwen2Moe:
    case HfFamily::kQwen3Moe: {
      m.num_experts = cfg.Int("num_experts", 1);
      m.top_k = cfg.Int("num_experts_per_tok", 1);
      m.expert_intermediate_size = cfg.Int("moe_intermediate_size", 1);
      // Qwen3-MoE has no shared expert (Qwen3MoeSparseMoeBlock); the key is refused, not ignored.
      if (s.family == HfFamily::kQwen3Moe && cfg.Has("shared_expert_intermediate_size")) {
        cfg.Fail("shared_expert_intermediate_size",
                 "'shared_expert_intermediate_size': qwen3_moe has no shared expert");
      }
      m.shared_expert_intermediate_size =
          s.family == HfFamily::kQwen2Moe ? cfg.Int("shared_expert_intermediate_size", 0) : 0;
      m.num_shared_experts = m.shared_expert_intermediate_size > 0 ? 1 : 0;
      m.shared_expert_gate = m.num_shared_experts > 0;
      m.norm_topk_prob = cfg.BoolOr("norm_topk_prob", false);
      m.decoder_sparse_step = cfg.IntOr("decoder_sparse_step", 1, 1);
      m.mlp_only_layers = cfg.IntListOr("mlp_only_layers", 0, s.num_layers - 1);
      for (std::int64_t i = 0; i < s.num_layers; ++i) {
        const bool forced_dense = std::find(m.mlp_only_layers.begin(), m.mlp_only_layers.end(),
                                            i) != m.mlp_only_layers.end();
        s.moe_layer[static_cast<size_t>(i)] = !forced_dense && (i + 1) % m.decoder_sparse_step == 0;
      }
      break;
    }
    case HfFamily::kDeepseek:
    case HfFamily::kDeepseekV2:
    case HfFamily::kDeepseekV3:
      ParseDeepseekMoe(cfg, s);
      break;
    default:
      return;  // dense families
  }
  if (m.num_experts > 0 && m.top_k > m.num_experts) {
    cfg.Fail("num_experts_per_tok", "'num_experts_per_tok' (" + std::to_string(m.top_k) +
                                        ") exceeds the number of routed experts (" +
                                        std::to_string(m.num_experts) + ")");
  }
}

// Sliding-window attention where the family's modeling code applies it: MistralAttention,
// MixtralAttention, Phi3Attention and JambaAttention pass `sliding_window` to every layer
// (MistralConfig defaults it to 4096, the others to none); Qwen2/Qwen3 only with
// use_sliding_window, and then only in layers from max_window_layers on. Configs saved by newer
// transformers spell the layers out in `layer_types`, which then decides.
void ParseSlidingWindow(const JsonObject& cfg, HfModelSpec& s) {
  s.sliding_layer.assign(static_cast<size_t>(s.num_layers), true);
  switch (s.family) {
    case HfFamily::kMistral:
      s.sliding_window = cfg.Written("sliding_window") ? cfg.IntOr("sliding_window", 0, 1) : 4096;
      break;
    case HfFamily::kMixtral:
    case HfFamily::kPhi3:
    case HfFamily::kJamba:
      s.sliding_window = cfg.IntOr("sliding_window", 0, 1);
      break;
    case HfFamily::kQwen2:
    case HfFamily::kQwen2Moe:
    case HfFamily::kQwen3:
    case HfFamily::kQwen3Moe: {
      if (!cfg.BoolOr("use_sliding_window", false)) break;
      // Qwen2Config defaults sliding_window to 4096; a written null means none.
      s.sliding_window = cfg.Written("sliding_window") ? cfg.IntOr("sliding_window", 0, 1) : 4096;
      const std::int64_t first = cfg.IntOr("max_window_layers", 28, 0);
      for (std::int64_t i = 0; i < std::min(first, s.num_layers); ++i) {
        s.sliding_layer[static_cast<size_t>(i)] = false;
      }
      break;
    }
    case HfFamily::kGemma2:
    case HfFamily::kGemma3: {
      // Gemma2Config / Gemma3TextConfig default sliding_window to 4096; without layer_types,
      // Gemma 2 slides in every other layer (0, 2, ..) and Gemma 3 in all but every
      // sliding_window_pattern-th (5 of 6: layer i slides where (i + 1) % pattern != 0).
      s.sliding_window = cfg.Written("sliding_window") ? cfg.IntOr("sliding_window", 0, 1) : 4096;
      const std::int64_t pattern =
          s.family == HfFamily::kGemma2 ? 2 : cfg.IntOr("sliding_window_pattern", 6, 1);
      for (std::int64_t i = 0; i < s.num_layers; ++i) {
        s.sliding_layer[static_cast<size_t>(i)] = (i + 1) % pattern != 0;
      }
      break;
    }
    default:
      return;  // no sliding window in these families' attention; layer_types is not read
  }
  if (s.family == HfFamily::kJamba) return;  // its layers are placed by attn_layer_period
  const auto types = cfg.StringListOr("layer_types", {"full_attention", "sliding_attention"});
  if (types.empty()) return;
  if (static_cast<std::int64_t>(types.size()) != s.num_layers) {
    cfg.Fail("layer_types", "'layer_types' has " + std::to_string(types.size()) + " entries for " +
                                std::to_string(s.num_layers) + " layers (num_hidden_layers)");
  }
  for (size_t i = 0; i < types.size(); ++i) s.sliding_layer[i] = types[i] == "sliding_attention";
}

// `layers` (num_hidden_layers), refused above kMaxLayers at the key.
std::int64_t LayerCount(const JsonObject& cfg, std::int64_t layers) {
  if (layers > kMaxLayers) {
    cfg.Fail("num_hidden_layers", "'num_hidden_layers' = " + std::to_string(layers) +
                                      " exceeds the supported maximum " +
                                      std::to_string(kMaxLayers));
  }
  return layers;
}

// Mamba's dt rank under `key`: a positive integer, or "auto" (also when absent) = ceil(hidden /
// 16).
std::int64_t TimeStepRank(const JsonObject& cfg, const std::string& key, std::int64_t hidden) {
  const std::int64_t automatic = (hidden + 15) / 16;
  if (!cfg.IsString(key)) return cfg.IntOr(key, automatic, 1);
  if (cfg.String(key) != "auto") {
    cfg.Fail(key, "'" + key + "' must be a positive integer or \"auto\"");
  }
  return automatic;
}

// transformers' MambaConfig: defaults as its constructor's, intermediate_size = expand x hidden
// when absent, time_step_rank "auto" = ceil(hidden_size / 16); the embedding is tied unless the
// file says otherwise (PretrainedConfig's default; MambaForCausalLM ties lm_head).
HfModelSpec BuildMamba(const JsonObject& cfg, HfModelSpec s) {
  s.hidden_size = cfg.IntOr("hidden_size", 768, 1);
  s.num_layers = LayerCount(cfg, cfg.IntOr("num_hidden_layers", 32, 1));
  s.vocab_size = cfg.IntOr("vocab_size", 50280, 1);
  const std::int64_t expand = cfg.IntOr("expand", 2, 1);
  s.intermediate_size = cfg.IntOr("intermediate_size", expand * s.hidden_size, 1);
  s.ssm.d_inner = s.intermediate_size;
  s.tie_word_embeddings = cfg.BoolOr("tie_word_embeddings", true);
  s.norm = HfNormKind::kRmsNorm;
  s.norm_eps = cfg.NumberOr("layer_norm_epsilon", 1e-5);
  HfSsmSpec& m = s.ssm;
  m.state_size = cfg.IntOr("state_size", 16, 1);
  m.conv_kernel = cfg.IntOr("conv_kernel", 4, 1);
  m.time_step_rank = TimeStepRank(cfg, "time_step_rank", s.hidden_size);
  m.use_bias = cfg.BoolOr("use_bias", false);
  m.use_conv_bias = cfg.BoolOr("use_conv_bias", true);
  const std::string act = cfg.StringOr("hidden_act", "silu");
  if (act != "silu" && act != "swish") {
    cfg.Fail("hidden_act", "unsupported hidden_act '" + act + "' for mamba; supported: silu");
  }
  s.activation = HfActivation::kSilu;
  s.gated_ffn = false;
  return s;
}

// transformers' Mamba2Config: defaults as its constructor's (those of Mamba-Codestral-7B), the
// mixer's inner width expand x hidden_size split into num_heads heads of head_dim channels, the
// embedding untied unless the file says otherwise. time_step_rank is accepted but unused: Mamba-2
// projects one dt per head directly from in_proj.
HfModelSpec BuildMamba2(const JsonObject& cfg, HfModelSpec s) {
  s.hidden_size = cfg.IntOr("hidden_size", 4096, 1);
  s.num_layers = LayerCount(cfg, cfg.IntOr("num_hidden_layers", 64, 1));
  s.vocab_size = cfg.IntOr("vocab_size", 32768, 1);
  const std::int64_t expand = cfg.IntOr("expand", 2, 1);
  s.tie_word_embeddings = cfg.BoolOr("tie_word_embeddings", false);
  s.norm = HfNormKind::kRmsNorm;
  s.norm_eps = cfg.NumberOr("layer_norm_epsilon", 1e-5);
  HfSsmSpec& m = s.ssm;
  m.d_inner = expand * s.hidden_size;
  s.intermediate_size = m.d_inner;
  m.state_size = cfg.IntOr("state_size", 128, 1);
  m.conv_kernel = cfg.IntOr("conv_kernel", 4, 1);
  m.num_heads = cfg.IntOr("num_heads", 128, 1);
  m.head_dim = cfg.IntOr("head_dim", 64, 1);
  m.n_groups = cfg.IntOr("n_groups", 8, 1);
  m.chunk_size = cfg.IntOr("chunk_size", 256, 1);
  m.use_bias = cfg.BoolOr("use_bias", false);
  m.use_conv_bias = cfg.BoolOr("use_conv_bias", true);
  m.norm_before_gate = cfg.BoolOr("norm_before_gate", false);
  TimeStepRank(cfg, "time_step_rank", s.hidden_size);  // checked, not used
  if (m.num_heads * m.head_dim != m.d_inner) {
    cfg.Fail(cfg.Has("num_heads") ? "num_heads" : "head_dim",
             "'num_heads' (" + std::to_string(m.num_heads) + ") x 'head_dim' (" +
                 std::to_string(m.head_dim) + ") must equal 'expand' x 'hidden_size' (" +
                 std::to_string(m.d_inner) + ")");
  }
  if (m.num_heads % m.n_groups != 0) {
    cfg.Fail(cfg.Has("n_groups") ? "n_groups" : "num_heads",
             "'n_groups' (" + std::to_string(m.n_groups) + ") must divide 'num_heads' (" +
                 std::to_string(m.num_heads) + ")");
  }
  const std::string act = cfg.StringOr("hidden_act", "silu");
  if (act != "silu" && act != "swish") {
    cfg.Fail("hidden_act", "unsupported hidden_act '" + act + "' for mamba2; supported: silu");
  }
  s.activation = HfActivation::kSilu;
  s.gated_ffn = false;
  return s;
}

// JambaConfig's own keys (Lieber et al., arXiv:2403.19887, section 2; transformers' JambaConfig
// defaults): layer i is attention where i % attn_layer_period == attn_layer_offset, else a Mamba-1
// mixer with RMSNorms on dt, B and C; its FFN is an MoE block of num_experts experts where
// i % expert_layer_period == expert_layer_offset (and num_experts > 1), else a dense MLP.
void ParseJamba(const JsonObject& cfg, HfModelSpec& s) {
  const auto period = [&](const char* period_key, std::int64_t period_default,
                          const char* offset_key, std::int64_t offset_default) {
    const std::int64_t p = cfg.IntOr(period_key, period_default, 1);
    const std::int64_t o = cfg.IntOr(offset_key, offset_default, 0);
    if (o >= p) {
      cfg.Fail(offset_key, "'" + std::string(offset_key) + "' (" + std::to_string(o) +
                               ") must be smaller than '" + period_key + "' (" + std::to_string(p) +
                               ")");
    }
    return std::pair{p, o};
  };
  const auto [attn_period, attn_offset] = period("attn_layer_period", 8, "attn_layer_offset", 4);
  const auto [expert_period, expert_offset] =
      period("expert_layer_period", 2, "expert_layer_offset", 1);
  HfMoeSpec& e = s.moe;
  const std::int64_t experts = cfg.IntOr("num_experts", 16, 1);
  const std::int64_t top_k = cfg.IntOr("num_experts_per_tok", 2, 1);
  if (top_k > experts) {
    cfg.Fail("num_experts_per_tok", "'num_experts_per_tok' (" + std::to_string(top_k) +
                                        ") exceeds 'num_experts' (" + std::to_string(experts) +
                                        ")");
  }
  s.attention_layer.assign(static_cast<size_t>(s.num_layers), false);
  s.moe_layer.assign(static_cast<size_t>(s.num_layers), false);
  for (std::int64_t i = 0; i < s.num_layers; ++i) {
    s.attention_layer[static_cast<size_t>(i)] = i % attn_period == attn_offset;
    // JambaDecoderLayer builds a plain MLP where the layer's expert count is 1.
    s.moe_layer[static_cast<size_t>(i)] = experts > 1 && i % expert_period == expert_offset;
  }
  if (experts > 1) {
    e.num_experts = experts;
    e.top_k = top_k;
    e.expert_intermediate_size = s.intermediate_size;
    e.norm_topk_prob = false;  // JambaSparseMoeBlock keeps the top-k softmax weights as they are
  }

  HfSsmSpec& m = s.ssm;
  m.d_inner = cfg.IntOr("mamba_expand", 2, 1) * s.hidden_size;
  m.state_size = cfg.IntOr("mamba_d_state", 16, 1);
  m.conv_kernel = cfg.IntOr("mamba_d_conv", 4, 1);
  m.time_step_rank = TimeStepRank(cfg, "mamba_dt_rank", s.hidden_size);
  m.use_conv_bias = cfg.BoolOr("mamba_conv_bias", true);
  m.use_bias = cfg.BoolOr("mamba_proj_bias", false);
  m.dt_bc_norms = true;
  s.ssm_ffn = true;
}

// Heads of hidden / heads values each, failing at `heads_key` when they do not divide it.
std::int64_t HeadWidth(const JsonObject& cfg, std::int64_t hidden, std::int64_t heads,
                       const std::string& heads_key) {
  if (hidden % heads != 0) {
    cfg.Fail(heads_key, "the hidden size (" + std::to_string(hidden) + ") is not a multiple of '" +
                            heads_key + "' (" + std::to_string(heads) + ")");
  }
  return hidden / heads;
}

bool IsClassic(HfFamily f) {
  return f == HfFamily::kGpt2 || f == HfFamily::kOpt || f == HfFamily::kGptNeox ||
         f == HfFamily::kPhi || f == HfFamily::kFalcon || f == HfFamily::kStarcoder2;
}

// Pre-LayerNorm transformers with biased projections and an ungated MLP, each read with its own
// config class's key names and defaults (transformers' GPT2Config, OPTConfig, GPTNeoXConfig,
// PhiConfig, FalconConfig, Starcoder2Config) and built as its modeling code computes it.
HfModelSpec BuildClassic(const JsonObject& cfg, HfModelSpec s) {
  s.norm = HfNormKind::kLayerNorm;
  s.gated_ffn = false;
  switch (s.family) {
    case HfFamily::kGpt2: {
      // GPT2Block: ln_1, attention (c_attn fused qkv and c_proj, biased), ln_2, MLP c_fc / c_proj
      // of n_inner (default 4 x n_embd), wte + wpe, tied head.
      s.hidden_size = cfg.IntOr("n_embd", 768, 1);
      s.num_layers = LayerCount(cfg, cfg.IntOr("n_layer", 12, 1));
      s.num_attention_heads = cfg.IntOr("n_head", 12, 1);
      s.intermediate_size = cfg.IntOr("n_inner", 4 * s.hidden_size, 1);
      s.vocab_size = cfg.IntOr("vocab_size", 50257, 1);
      s.position_embeddings = cfg.IntOr("n_positions", 1024, 1);
      s.max_position_embeddings = s.position_embeddings;
      s.activation = ActivationNamed(cfg, "activation_function", "gelu_new");
      s.norm_eps = cfg.NumberOr("layer_norm_epsilon", 1e-5);
      s.tie_word_embeddings = cfg.BoolOr("tie_word_embeddings", true);
      s.head_dim = HeadWidth(cfg, s.hidden_size, s.num_attention_heads, "n_head");
      s.qkv_bias = s.o_bias = s.ffn_bias = true;
      if (cfg.BoolOr("add_cross_attention", false)) {
        cfg.Fail("add_cross_attention",
                 "cross-attention (an encoder-decoder GPT-2) is not "
                 "modelled; pjsim builds decoder-only models");
      }
      break;
    }
    case HfFamily::kOpt: {
      // OPTDecoderLayer with do_layer_norm_before: LayerNorm, attention (biased q, k, v,
      // out_proj), residual, LayerNorm, fc1 / fc2 of ffn_dim, residual; learned positions with
      // an offset of 2 rows (OPTLearnedPositionalEmbedding), tied head.
      s.hidden_size = cfg.IntOr("hidden_size", 768, 1);
      s.num_layers = LayerCount(cfg, cfg.IntOr("num_hidden_layers", 12, 1));
      s.num_attention_heads = cfg.IntOr("num_attention_heads", 12, 1);
      s.intermediate_size = cfg.IntOr("ffn_dim", 3072, 1);
      s.vocab_size = cfg.IntOr("vocab_size", 50272, 1);
      s.max_position_embeddings = cfg.IntOr("max_position_embeddings", 2048, 1);
      s.position_embeddings = s.max_position_embeddings + 2;
      s.activation = ActivationNamed(cfg, "activation_function", "relu");
      s.tie_word_embeddings = cfg.BoolOr("tie_word_embeddings", true);
      s.head_dim = HeadWidth(cfg, s.hidden_size, s.num_attention_heads, "num_attention_heads");
      s.qkv_bias = s.o_bias = s.ffn_bias = cfg.BoolOr("enable_bias", true);
      if (!cfg.BoolOr("do_layer_norm_before", true)) {
        cfg.Fail("do_layer_norm_before", "post-LayerNorm OPT blocks (OPT-350m) are not modelled");
      }
      if (cfg.IntOr("word_embed_proj_dim", s.hidden_size, 1) != s.hidden_size) {
        cfg.Fail("word_embed_proj_dim",
                 "an embedding projected in and out of the hidden size "
                 "(OPT-350m's project_in / project_out) is not modelled");
      }
      if (!cfg.BoolOr("layer_norm_elementwise_affine", true)) {
        cfg.Fail("layer_norm_elementwise_affine", "LayerNorms without weights are not modelled");
      }
      break;
    }
    case HfFamily::kGptNeox: {
      // GPTNeoXLayer: input_layernorm and post_attention_layernorm, both on the block's input
      // when use_parallel_residual (the default), biased query_key_value / dense and
      // dense_h_to_4h / dense_4h_to_h, rotary (no parameters), untied embed_out.
      s.hidden_size = cfg.IntOr("hidden_size", 6144, 1);
      s.num_layers = LayerCount(cfg, cfg.IntOr("num_hidden_layers", 44, 1));
      s.num_attention_heads = cfg.IntOr("num_attention_heads", 64, 1);
      s.intermediate_size = cfg.IntOr("intermediate_size", 24576, 1);
      s.vocab_size = cfg.IntOr("vocab_size", 50432, 1);
      s.max_position_embeddings = cfg.IntOr("max_position_embeddings", 2048, 1);
      s.activation = ActivationNamed(cfg, "hidden_act", "gelu");
      s.norm_eps = cfg.NumberOr("layer_norm_eps", 1e-5);
      s.tie_word_embeddings = cfg.BoolOr("tie_word_embeddings", false);
      s.head_dim = HeadWidth(cfg, s.hidden_size, s.num_attention_heads, "num_attention_heads");
      s.qkv_bias = s.o_bias = cfg.BoolOr("attention_bias", true);
      s.ffn_bias = true;
      s.parallel_block = cfg.BoolOr("use_parallel_residual", true);
      break;
    }
    case HfFamily::kPhi: {
      // PhiDecoderLayer: one input_layernorm; attention (biased q, k, v, dense; optional per-head
      // q/k LayerNorms) and MLP (fc1 / fc2) both from it, added to the input; lm_head biased.
      s.hidden_size = cfg.IntOr("hidden_size", 2048, 1);
      s.num_layers = LayerCount(cfg, cfg.IntOr("num_hidden_layers", 24, 1));
      s.num_attention_heads = cfg.IntOr("num_attention_heads", 32, 1);
      s.intermediate_size = cfg.IntOr("intermediate_size", 8192, 1);
      s.vocab_size = cfg.IntOr("vocab_size", 51200, 1);
      s.max_position_embeddings = cfg.IntOr("max_position_embeddings", 2048, 1);
      s.activation = ActivationNamed(cfg, "hidden_act", "gelu_new");
      s.norm_eps = cfg.NumberOr("layer_norm_eps", 1e-5);
      s.tie_word_embeddings = cfg.BoolOr("tie_word_embeddings", false);
      s.head_dim = HeadWidth(cfg, s.hidden_size, s.num_attention_heads, "num_attention_heads");
      s.num_kv_heads = cfg.IntOr("num_key_value_heads", s.num_attention_heads, 1);
      s.qkv_bias = s.o_bias = s.ffn_bias = s.lm_head_bias = true;
      s.qk_norm_per_head = cfg.BoolOr("qk_layernorm", false);
      s.parallel_block = s.shared_block_norm = true;
      break;
    }
    case HfFamily::kFalcon: {
      // FalconDecoderLayer: query_key_value holds heads + 2 x KV heads of head_dim (KV heads:
      // num_kv_heads with new_decoder_architecture, else 1 with multi_query, else one per head);
      // parallel_attn blocks read one input_layernorm (the new architecture: ln_attn and ln_mlp
      // unless num_ln_in_parallel_attn is 1); the MLP is ffn_hidden_size (4 x hidden) wide.
      s.hidden_size = cfg.IntOr("hidden_size", 4544, 1);
      s.num_layers = LayerCount(cfg, cfg.IntOr("num_hidden_layers", 32, 1));
      s.num_attention_heads = cfg.IntOr("num_attention_heads", 71, 1);
      s.vocab_size = cfg.IntOr("vocab_size", 65024, 1);
      s.intermediate_size = cfg.IntOr("ffn_hidden_size", 4 * s.hidden_size, 1);
      s.max_position_embeddings = cfg.IntOr("max_position_embeddings", 2048, 1);
      s.activation = ActivationNamed(cfg, "activation", "gelu");
      s.norm_eps = cfg.NumberOr("layer_norm_epsilon", 1e-5);
      s.tie_word_embeddings = cfg.BoolOr("tie_word_embeddings", true);
      s.head_dim = HeadWidth(cfg, s.hidden_size, s.num_attention_heads, "num_attention_heads");
      const bool new_arch = cfg.BoolOr("new_decoder_architecture", false);
      s.num_kv_heads = new_arch ? cfg.IntOr("num_kv_heads", s.num_attention_heads, 1)
                       : cfg.BoolOr("multi_query", true) ? 1
                                                         : s.num_attention_heads;
      if (s.num_attention_heads % s.num_kv_heads != 0) {
        cfg.Fail("num_kv_heads", "'num_kv_heads' (" + std::to_string(s.num_kv_heads) +
                                     ") must divide 'num_attention_heads' (" +
                                     std::to_string(s.num_attention_heads) + ")");
      }
      s.qkv_bias = s.o_bias = s.ffn_bias = cfg.BoolOr("bias", false);
      s.parallel_block = new_arch || cfg.BoolOr("parallel_attn", true);
      s.shared_block_norm =
          s.parallel_block && (new_arch ? cfg.IntOr("num_ln_in_parallel_attn", 2, 1) == 1 : true);
      if (cfg.BoolOr("alibi", false)) {
        cfg.Fail("alibi", "ALiBi position biases on the attention scores are not modelled");
      }
      break;
    }
    case HfFamily::kStarcoder2: {
      // Starcoder2DecoderLayer: LayerNorm, attention (q, k, v, o biased with use_bias), residual,
      // LayerNorm, MLP c_fc / c_proj, residual; sliding_window (none by default) in every layer.
      s.hidden_size = cfg.IntOr("hidden_size", 3072, 1);
      s.num_layers = LayerCount(cfg, cfg.IntOr("num_hidden_layers", 30, 1));
      s.num_attention_heads = cfg.IntOr("num_attention_heads", 24, 1);
      s.intermediate_size = cfg.IntOr("intermediate_size", 12288, 1);
      s.vocab_size = cfg.IntOr("vocab_size", 49152, 1);
      s.max_position_embeddings = cfg.IntOr("max_position_embeddings", 4096, 1);
      s.activation = ActivationNamed(cfg, "hidden_act", "gelu_pytorch_tanh");
      s.norm_eps = cfg.NumberOr("norm_epsilon", 1e-5);
      s.tie_word_embeddings = cfg.BoolOr("tie_word_embeddings", true);
      s.head_dim = HeadWidth(cfg, s.hidden_size, s.num_attention_heads, "num_attention_heads");
      s.num_kv_heads = cfg.IntOr("num_key_value_heads", 2, 1);
      if (s.num_attention_heads % s.num_kv_heads != 0) {
        cfg.Fail("num_key_value_heads", "'num_key_value_heads' (" + std::to_string(s.num_kv_heads) +
                                            ") must divide 'num_attention_heads' (" +
                                            std::to_string(s.num_attention_heads) + ")");
      }
      s.qkv_bias = s.o_bias = s.ffn_bias = cfg.BoolOr("use_bias", true);
      s.sliding_window = cfg.IntOr("sliding_window", 0, 1);
      break;
    }
    default:
      break;
  }
  if (s.num_kv_heads == 0) s.num_kv_heads = s.num_attention_heads;
  s.sliding_layer.assign(static_cast<size_t>(s.num_layers), s.sliding_window > 0);
  s.moe_layer.assign(static_cast<size_t>(s.num_layers), false);
  return s;
}

// The model `cfg` describes, read as a config of `model_type`.
HfModelSpec BuildAs(const JsonObject& cfg, const std::string& file, const std::string& model_type) {
  HfModelSpec s;
  s.source = file;
  s.model_type = model_type;
  s.family = ParseFamily(cfg, s.model_type);
  if (s.family == HfFamily::kMamba) return BuildMamba(cfg, s);
  if (s.family == HfFamily::kFalconMamba) {
    // FalconMambaMixer: MambaMixer with rms_forward (no scale) on dt, B and C.
    s = BuildMamba(cfg, s);
    s.ssm.dt_bc_norms = true;
    s.ssm.dt_bc_norm_weights = false;
    return s;
  }
  if (s.family == HfFamily::kMamba2) return BuildMamba2(cfg, s);
  if (IsClassic(s.family)) return BuildClassic(cfg, s);

  if (s.family == HfFamily::kGemma2 || s.family == HfFamily::kGemma3) {
    // Gemma2Config and Gemma3TextConfig default every size (Gemma 3's multimodal configs give
    // only some in their text_config), so absent keys take those defaults.
    s.hidden_size = cfg.IntOr("hidden_size", 2304, 1);
    s.intermediate_size = cfg.IntOr("intermediate_size", 9216, 1);
    s.num_layers = LayerCount(cfg, cfg.IntOr("num_hidden_layers", 26, 1));
    s.num_attention_heads = cfg.IntOr("num_attention_heads", 8, 1);
    s.vocab_size = cfg.IntOr("vocab_size", s.family == HfFamily::kGemma2 ? 256000 : 262208, 1);
    s.sandwich_norms = true;
    // Gemma2Config soft-caps at 50 (scores) and 30 (logits) unless told otherwise (a written
    // null turns it off); Gemma3TextConfig defaults both to none.
    const bool gemma2 = s.family == HfFamily::kGemma2;
    s.attn_logit_softcapping = cfg.Written("attn_logit_softcapping")
                                   ? cfg.NumberOr("attn_logit_softcapping", 0)
                                   : (gemma2 ? 50.0 : 0.0);
    s.final_logit_softcapping = cfg.Written("final_logit_softcapping")
                                    ? cfg.NumberOr("final_logit_softcapping", 0)
                                    : (gemma2 ? 30.0 : 0.0);
    for (const char* key : {"attn_logit_softcapping", "final_logit_softcapping"}) {
      if (cfg.NumberOr(key, 1) <= 0) cfg.Fail(key, std::string("'") + key + "' must be positive");
    }
  } else {
    s.hidden_size = cfg.Int("hidden_size", 1);
    s.intermediate_size = cfg.Int("intermediate_size", 1);
    s.num_layers = LayerCount(cfg, cfg.Int("num_hidden_layers", 1));
    s.num_attention_heads = cfg.Int("num_attention_heads", 1);
    s.vocab_size = cfg.Int("vocab_size", 1);
  }
  s.max_position_embeddings = cfg.IntOr("max_position_embeddings", 0, 1);
  // Every supported family's config class defaults to untied (PretrainedConfig's own default
  // is tied, but each class overrides it).
  // The Gemma config classes tie it by default.
  s.tie_word_embeddings = cfg.BoolOr("tie_word_embeddings", IsGemma(s.family));

  s.activation = ParseActivation(cfg, s.family);
  const bool eps_1e5 = s.family == HfFamily::kBitnet || s.family == HfFamily::kOlmoe ||
                       s.family == HfFamily::kMixtral || s.family == HfFamily::kOlmo2;
  s.norm_eps = cfg.NumberOr("rms_norm_eps", eps_1e5 ? 1e-5 : 1e-6);
  s.extra_sub_norms = s.family == HfFamily::kBitnet;
  // OLMoE and OLMo 2: an RMSNorm over the whole q and k projections.
  s.qk_norm = s.family == HfFamily::kOlmoe || s.family == HfFamily::kOlmo2;
  if (s.family == HfFamily::kOlmo2) {
    // Olmo2DecoderLayer: x + post_attention_layernorm(attn(x)), then h + post_feedforward_
    // layernorm(mlp(h)); nothing normalises the blocks' inputs.
    s.pre_norms = false;
    s.sandwich_norms = true;
  }

  ParseAttention(cfg, s);
  ParseSlidingWindow(cfg, s);
  ParseMoe(cfg, s);
  if (s.family == HfFamily::kJamba) ParseJamba(cfg, s);
  if (IsDeepseek(s.family)) s.mtp_layers = cfg.IntOr("num_nextn_predict_layers", 0, 0);
  if (const auto quant = cfg.ObjectIf("quantization_config")) {
    s.quant_method = quant->StringOr("quant_method", "");
  }
  return s;
}

HfModelSpec Build(const JsonObject& cfg, const std::string& file) {
  const std::string model_type = cfg.String("model_type");
  if (model_type != "gemma3") return BuildAs(cfg, file, model_type);
  // Gemma3ForConditionalGeneration: a SigLIP vision tower (not imported: pjsim models the
  // language model's layers) beside a Gemma 3 text model described by text_config.
  const std::optional<JsonObject> text = cfg.ObjectIf("text_config");
  if (!text) {
    cfg.Fail("model_type",
             "a gemma3 (multimodal) config describes its language model in 'text_config', "
             "which is missing");
  }
  text->RejectDuplicateKeys();
  if (text->Has("model_type") && text->String("model_type") != "gemma3_text") {
    text->Fail("model_type", "a gemma3 config's text_config must be model_type gemma3_text");
  }
  return BuildAs(*text, file, "gemma3_text");
}

// The parser reports an unclosed object at its opening brace; say why when the text simply stops.
bool LooksTruncated(const std::string& text) {
  const auto last = text.find_last_not_of(" \t\r\n");
  return last == std::string::npos || text[last] != '}';
}

}  // namespace

std::int64_t HfModelSpec::NumMoeLayers() const {
  return std::count(moe_layer.begin(), moe_layer.end(), true);
}

void MakeHybrid(HfModelSpec& s, std::int64_t every, std::int64_t num_attention_heads) {
  const SourceLocation where{s.source, 0, 0};
  if (!s.IsSsm()) {
    throw ConfigError(where,
                      "a hybrid attention/SSM stack needs a state-space model (model_type "
                      "mamba or mamba2), not '" +
                          s.model_type + "'");
  }
  if (s.family == HfFamily::kJamba) {
    throw ConfigError(where,
                      "a jamba config places its attention layers itself (attn_layer_period, "
                      "attn_layer_offset); --attention-every applies to mamba and mamba2 configs");
  }
  if (every < 1) throw ConfigError(where, "the attention period must be at least 1");
  const std::int64_t heads = num_attention_heads > 0 ? num_attention_heads : s.hidden_size / 64;
  if (heads < 1 || s.hidden_size % heads != 0) {
    throw ConfigError(where, "hidden_size " + std::to_string(s.hidden_size) +
                                 " does not split into " + std::to_string(heads) +
                                 " attention heads");
  }
  s.num_attention_heads = s.num_kv_heads = heads;
  s.head_dim = s.hidden_size / heads;
  s.attention_layer.assign(static_cast<size_t>(s.num_layers), false);
  for (std::int64_t i = every - 1; i < s.num_layers; i += every) {
    s.attention_layer[static_cast<size_t>(i)] = true;
  }
}

const std::vector<std::string>& SupportedHfModelTypes() {
  static const std::vector<std::string> kTypes = [] {
    std::vector<std::string> v;
    for (const auto& f : kFamilies) {
      v.emplace_back(f.model_type);
      // The multimodal Gemma 3 config, whose text_config is read (Build).
      if (f.family == HfFamily::kGemma3) v.emplace_back("gemma3");
    }
    return v;
  }();
  return kTypes;
}

HfModelSpec ParseHfConfig(const std::string& json_text, const std::string& name) {
  if (json_text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw ConfigError({name, 1, 1}, "file is empty (expected a JSON object)");
  }
  YAML::Node root;
  try {
    root = LoadJson(json_text, name);
  } catch (const ConfigError& e) {
    // LoadJson says "not valid JSON: <why>"; here it is the config's syntax that is wrong.
    const std::string& what = e.message();
    const std::size_t colon = what.find(": ");
    std::string message =
        "JSON syntax error: " + (colon == std::string::npos ? what : what.substr(colon + 2));
    if (LooksTruncated(json_text)) {
      message += " (the file ends before the top-level object is closed; is it truncated?)";
    }
    throw ConfigError(e.where(), message);
  }
  if (!root.IsMap()) {
    throw ConfigError(Locate(name, root.Mark()), root.IsNull()
                                                     ? "file is empty (expected a JSON object)"
                                                     : "expected a JSON object at the top level");
  }
  const JsonObject cfg(name, root);
  cfg.RejectDuplicateKeys();
  HfModelSpec spec = Build(cfg, name);
  try {
    CountParams(spec);
  } catch (const std::overflow_error& e) {
    throw ConfigError(Locate(name, root.Mark()), std::string(e.what()) +
                                                     ": the sizes (hidden_size, intermediate_size, "
                                                     "vocab_size, experts, layers) are too large");
  }
  return spec;
}

HfModelSpec LoadHfConfig(const std::string& path) {
  return ParseHfConfig(ReadInputFile(path), path);
}

std::string_view ToString(HfFamily family) {
  for (const auto& f : kFamilies) {
    if (f.family == family) return f.model_type;
  }
  return "unknown";
}

std::string_view ToString(HfActivation activation) {
  switch (activation) {
    case HfActivation::kSilu:
      return "silu";
    case HfActivation::kGelu:
      return "gelu";
    case HfActivation::kGeluTanh:
      return "gelu_tanh";
    case HfActivation::kRelu:
      return "relu";
    case HfActivation::kRelu2:
      return "relu2";
  }
  return "unknown";
}

std::string_view ToString(HfRouterScoring scoring) {
  return scoring == HfRouterScoring::kSigmoid ? "sigmoid" : "softmax";
}

}  // namespace pjsim
