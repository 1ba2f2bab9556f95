#include "sim/workload/workload.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>

#include "sim/config/yaml_reader.h"
#include "sim/graph/arithmetic.h"
#include "sim/graph/elementwise_function.h"
#include "sim/graph/layer_limits.h"
#include "sim/workload/npy_file.h"
#include "sim/workload/routing_source.h"
#include "sim/workload/spike_trace.h"

namespace pjsim {
namespace {

// Activations multiplied at their dtype: a linear layer's default arithmetic, attention's only.
ArithmeticRef DTypeArithmetic(const ConfigMap& l, DType dtype) {
  const std::string name = DTypeName(dtype);
  const auto known = ArithmeticNames();
  if (std::find(known.begin(), known.end(), name) == known.end()) {
    l.Fail("dtype", "no arithmetic multiplies " + name + " activations");
  }
  return ArithmeticRef::Named(name);
}

// Refuses a layer whose largest count is beyond what pjsim represents (sim/graph/layer_limits.h),
// at the key of its largest factor. Called before any product of the sizes is formed.
void RequireRepresentable(ConfigMap& l, const Layer& layer) {
  const auto problem = CheckLayerSizes(layer);
  if (!problem) return;
  if (l.Has(problem->key)) l.Fail(problem->key, problem->message);
  l.FailHere(problem->message);
}

// Workload-wide settings (top-level keys). `spiking:` and `activation_bits:` override the layers'
// own, so one key of a sweep changes every GEMM layer of an imported model; `dtype:`,
// `arithmetic:` and `weight_packing:` are defaults that a layer's own key replaces.
struct WorkloadWide {
  std::optional<ConfigMap> spiking;
  std::int64_t activation_bits = 0;
  double activation_sparsity = -1;  // -1: not given
  std::optional<ConfigMap> root;    // where the defaults below are reported
  std::optional<DType> dtype;
  std::string arithmetic;
  std::string weight_packing;
  bool packing_taken = false;  // some layer's arithmetic offers `weight_packing`
  // `sparsity:` replaces every attention op's own (import-hf --sparse-attention).
  std::optional<ConfigMap> sparsity;
  bool sparsity_taken = false;
};

void ReadArithmetic(ConfigMap& l, Layer& layer, WorkloadWide& wide) {
  const bool own = l.Has("arithmetic");
  const bool from_wide = !own && !wide.arithmetic.empty();
  layer.arithmetic = own         ? ArithmeticRef::Named(l.Choice("arithmetic", ArithmeticNames()))
                     : from_wide ? ArithmeticRef::Named(wide.arithmetic)
                                 : DTypeArithmetic(l, layer.dtype);
  const Arithmetic& a = *layer.arithmetic;
  if (std::find(a.activations.begin(), a.activations.end(), layer.dtype) == a.activations.end()) {
    const std::string message =
        "arithmetic '" + a.name + "' does not take " + DTypeName(layer.dtype) + " activations";
    if (from_wide) {
      wide.root->Fail("arithmetic", message + " (layer '" + layer.name +
                                        "'; give it its own 'arithmetic' or 'dtype')");
    }
    if (!l.Has("dtype")) l.Fail("arithmetic", message + " (the workload's 'dtype')");
    l.Fail("dtype", message);
  }
  // The workload's packing goes to the layers whose arithmetic offers it (e.g. the ternary layers
  // of a model whose LM head stays int8); ReadWorkload fails if no layer takes it.
  const bool offered =
      std::find(a.packings.begin(), a.packings.end(), wide.weight_packing) != a.packings.end();
  if (!l.Has("weight_packing") && offered) {
    layer.weight_packing = wide.weight_packing;
    wide.packing_taken = true;
  } else {
    layer.weight_packing = l.ChoiceOr("weight_packing", a.packings.front(), a.packings);
  }
  layer.weight_sparsity = l.NumberOr("weight_sparsity", a.default_sparsity, 0.0, 1.0);
  if (a.family == ArithmeticFamily::kBinary && layer.weight_sparsity > 0) {
    l.Fail("weight_sparsity", "binary weights are +-1: they have no zeros to skip");
  }
}

const std::vector<std::string>& SpikeSourceKeys() {
  static const std::vector<std::string> keys = {"input_rate", "input_rates", "rate_coded_input",
                                                "trace"};
  return keys;
}

void ReadSpiking(ConfigMap& l, Layer& layer, WorkloadWide& wide) {
  std::optional<ConfigMap> own = l.MapIf("spiking");
  if (!own && !wide.spiking) return;
  // Each key comes from the workload-wide map when it gives it, else from the layer's own.
  // Has() marks a key as read in both maps, so an overridden layer key is not "unknown".
  const auto from = [&](const std::string& key) -> ConfigMap& {
    const bool in_own = own && own->Has(key);
    if (wide.spiking && (wide.spiking->Has(key) || !in_own)) return *wide.spiking;
    return *own;
  };
  const auto count_sources = [](ConfigMap& m) {
    int n = 0;
    for (const auto& key : SpikeSourceKeys()) n += m.Has(key);
    return n;
  };
  // The activity source: the workload-wide one replaces the layer's when given.
  const int wide_sources = wide.spiking ? count_sources(*wide.spiking) : 0;
  const int own_sources = own ? count_sources(*own) : 0;
  ConfigMap& src = wide_sources > 0 || !own ? *wide.spiking : *own;
  if ((wide_sources > 0 ? wide_sources : own_sources) != 1) {
    src.FailHere("give exactly one of 'input_rate', 'input_rates', 'rate_coded_input' or 'trace'");
  }
  ConfigMap* s = &src;
  SpikingConfig& c = layer.spiking;
  // Spike counts per neuron over all timesteps are held in 16 bits (SpikeTrace, .npy traces).
  c.timesteps = from("timesteps").Int("timesteps", 1, kMaxSpikeTimesteps);
  RequireRepresentable(l, layer);
  const std::int64_t rows = layer.batch * layer.m;
  const auto resolve = [&](const std::string& key) {
    return (std::filesystem::path(l.document().file()).parent_path() / s->String(key)).string();
  };
  // Errors inside a referenced file are reported at the key that names it.
  const auto located = [&](const std::string& key, const auto& load) {
    try {
      return load();
    } catch (const ConfigError& e) {
      s->Fail(key, e.message() + " (" + e.where().file + ")");
    }
  };
  c.seed = static_cast<std::uint64_t>(from("seed").IntOr("seed", 1, 0));
  if (s->Has("trace")) {
    c.trace = located("trace", [&] { return SpikeTrace::Load(resolve("trace")); });
    const SpikeTrace& t = *c.trace;
    if (t.timesteps() != c.timesteps || t.rows() != rows || t.cols() != layer.k) {
      s->Fail("trace", "shape (" + std::to_string(t.timesteps()) + ", " + std::to_string(t.rows()) +
                           ", " + std::to_string(t.cols()) +
                           ") does not match (timesteps, m, k) = (" + std::to_string(c.timesteps) +
                           ", " + std::to_string(rows) + ", " + std::to_string(layer.k) + ")");
    }
  } else if (s->Has("input_rates")) {
    // One firing rate per input neuron.
    const NpyArray rates = located("input_rates", [&] {
      return LoadNpy(resolve("input_rates"), {"<f4", "<f8"});
    });
    if (rates.shape != std::vector<std::int64_t>{layer.k}) {
      s->Fail("input_rates", "expected a vector of k = " + std::to_string(layer.k) + " rates");
    }
    for (std::int64_t i = 0; i < rates.size(); ++i) {
      if (!(rates.At(i) >= 0 && rates.At(i) <= 1)) {
        s->Fail("input_rates", "rate " + std::to_string(rates.At(i)) + " of input " +
                                   std::to_string(i) + " is not in [0, 1]");
      }
    }
    c.trace = SpikeTrace::FromRates(
        rates.path, c.timesteps, rows, layer.k,
        [&](std::int64_t, std::int64_t col) { return rates.At(col); }, c.seed);
  } else if (s->Has("rate_coded_input")) {
    // Rate coding of a real-valued input: rate = |x| / max |x| over the tensor.
    const NpyArray x = located("rate_coded_input", [&] {
      return LoadNpy(resolve("rate_coded_input"), {"<f4", "<f8"});
    });
    if (x.shape != std::vector<std::int64_t>{rows, layer.k}) {
      s->Fail("rate_coded_input", "expected an array of shape (m, k) = (" + std::to_string(rows) +
                                      ", " + std::to_string(layer.k) + ")");
    }
    double peak = 0;
    for (std::int64_t i = 0; i < x.size(); ++i) {
      if (!std::isfinite(x.At(i)))
        s->Fail("rate_coded_input", "element " + std::to_string(i) + " is not finite");
      peak = std::max(peak, std::fabs(x.At(i)));
    }
    c.trace = SpikeTrace::FromRates(
        x.path, c.timesteps, rows, layer.k,
        [&](std::int64_t r, std::int64_t col) {
          return peak > 0 ? std::fabs(x.At(r * layer.k + col)) / peak : 0.0;
        },
        c.seed);
  } else {
    c.input_rate = s->Number("input_rate", 0.0, 1.0);
  }
  c.correlation = from("correlation").NumberOr("correlation", 0.0, 0.0, 0.99);
  if (c.trace && c.correlation > 0) {
    from("correlation")
        .Fail("correlation",
              "applies to 'input_rate' (a trace or per-neuron rates carry their own)");
  }
  if (c.trace) {
    c.input_rate = static_cast<double>(c.trace->TotalSpikes()) /
                   static_cast<double>(c.timesteps * rows * layer.k);
  }
  // Source keys the wide map replaced are read (so not unknown) but ignored.
  if (own && wide_sources > 0) count_sources(*own);
  c.output_rate = from("output_rate").NumberOr("output_rate", c.input_rate, 0.0, 1.0);
  c.membrane_bits = from("membrane_bits").IntOr("membrane_bits", 16, 2);
  if (c.membrane_bits > 32) from("membrane_bits").Fail("membrane_bits", "at most 32");
  const std::string e = from("encoding").ChoiceOr("encoding", "auto", {"auto", "aer", "bitmap"});
  c.encoding = e == "aer"      ? SpikeEncoding::kAer
               : e == "bitmap" ? SpikeEncoding::kBitmap
                               : SpikeEncoding::kAuto;
  c.timestep_tag_bits = from("timestep_tag_bits").IntOr("timestep_tag_bits", 0, 0);
  c.spike_levels = from("spike_levels").IntOr("spike_levels", 1, 1, 127);
  c.signed_spikes = from("signed_spikes").BoolOr("signed_spikes", false);
  if (c.graded() && layer.kind != OpKind::kLinear) {
    ConfigMap& g = from(c.spike_levels > 1 ? "spike_levels" : "signed_spikes");
    g.Fail(c.spike_levels > 1 ? "spike_levels" : "signed_spikes",
           "graded and signed spikes are supported on linear layers only (layer '" + layer.name +
               "')");
  }
  if (c.graded() && c.trace) {
    from("spike_levels")
        .FailHere("graded and signed spikes take 'input_rate' (traces hold binary spikes)");
  }
  if (own) own->Finish();
}

// Quantized-ANN activations of a GEMM layer: the width (int8 dtype only) and the fraction of
// zeros, each the layer's own key overridden by the workload-wide one; spiking layers have none.
void ReadActivationBits(ConfigMap& l, Layer& layer, const WorkloadWide& wide) {
  const std::int64_t own = l.IntOr("activation_bits", 0, 1, 8);
  if (own > 0 && layer.spiking.enabled()) {
    l.Fail("activation_bits",
           "a spiking layer has spikes, not " + std::to_string(own) + "-bit activations");
  }
  if (l.Has("activation_sparsity") && layer.spiking.enabled()) {
    l.Fail("activation_sparsity", "a spiking layer's activity is its firing rate");
  }
  if (layer.spiking.enabled()) return;
  const double own_sparsity = l.NumberOr("activation_sparsity", 0, 0, 1);
  layer.activation_sparsity =
      wide.activation_sparsity >= 0 ? wide.activation_sparsity : own_sparsity;
  layer.activation_bits = wide.activation_bits > 0 ? wide.activation_bits : own;
  if (layer.activation_bits > 0 && layer.dtype != DType::kInt8) {
    l.Fail(own > 0 ? "activation_bits" : "dtype",
           "activation_bits needs int8 activations (layer '" + layer.name + "' is " +
               DTypeName(layer.dtype) + ")");
  }
}

// `experts: {count, top_k, block, capacity_factor}` of an MoE expert op. Its m is the dispatch
// buffer (tokens x top_k rows).
void ReadExpertOp(ConfigMap& l, Layer& layer) {
  std::optional<ConfigMap> e = l.MapIf("experts");
  if (!e) return;
  ExpertOp& x = layer.expert;
  x.experts = e->Int("count", 1, 1 << 16);
  x.top_k = e->Int("top_k", 1, x.experts);
  // Routing decisions are keyed by block as an int (the routers' and traces' layer number).
  x.block = e->IntOr("block", 0, 0, std::numeric_limits<int>::max());
  x.capacity_factor = e->NumberOr("capacity_factor", 0, 0.0, 1e6);
  if (layer.batch != 1) l.Fail("batch", "an expert op holds its experts in 'experts', not 'batch'");
  if (layer.m % x.top_k != 0) {
    l.Fail("m", "an expert op's m (" + std::to_string(layer.m) + ") is tokens x top_k (" +
                    std::to_string(x.top_k) + ")");
  }
  if (layer.spiking.trace) {
    l.Fail("experts", "a spike trace cannot drive an expert op (its rows change with routing)");
  }
  e->Finish();
}

// `kv_sequences: B` of a linear over the KV cache of B sequences (m = B x KV length).
void ReadKvSequences(ConfigMap& l, Layer& layer) {
  if (!l.Has("kv_sequences")) return;
  layer.kv_sequences = l.Int("kv_sequences", 1, layer.m);
  if (layer.m % layer.kv_sequences != 0) {
    l.Fail("kv_sequences", "a linear over the KV cache has m = kv_sequences x KV length; m (" +
                               std::to_string(layer.m) + ") is not a multiple of " +
                               std::to_string(layer.kv_sequences));
  }
  if (layer.expert.enabled()) l.Fail("kv_sequences", "an expert op does not run over a KV cache");
  if (layer.spiking.trace) {
    l.Fail("kv_sequences", "a spike trace cannot drive a linear over the KV cache (its rows grow)");
  }
}

void ReadAttention(ConfigMap& l, Layer& layer) {
  AttentionDims& a = layer.attention;
  a.sequences = l.IntOr("sequences", 1);
  a.heads = l.Int("heads");
  a.kv_heads = l.IntOr("kv_heads", a.heads);
  if (a.heads % a.kv_heads != 0) {
    l.Fail("kv_heads", "heads (" + std::to_string(a.heads) + ") must be a multiple of kv_heads (" +
                           std::to_string(a.kv_heads) + ")");
  }
  a.head_dim = l.Int("head_dim");
  a.q_len = l.Int("q_len");
  a.kv_len = l.Int("kv_len");
  if (l.Has("values_in_keys")) {
    a.values_in_keys = l.Bool("values_in_keys");
    if (a.values_in_keys && layer.kind != OpKind::kAttentionContext) {
      l.Fail("values_in_keys", "'values_in_keys' applies to attention_context only (values)");
    }
  }
  RequireRepresentable(l, layer);
  layer.DeriveAttentionGemm();
  layer.arithmetic = DTypeArithmetic(l, layer.dtype);  // activations x activations
}

// The keys of `kind: nsa` (defaults: Yuan et al., arXiv:2502.11089, section 4.1), checked
// against each other and against the op's cache.
void ReadNsa(ConfigMap& s, Layer& layer) {
  AttentionSparsity& p = layer.sparsity;
  constexpr std::int64_t kMaxTokens = std::int64_t{1} << 40;
  p.keep = s.IntOr("keep", 16, 1, kMaxTokens);
  p.window = s.IntOr("window", 512, 1, kMaxTokens);
  p.compress_block = s.IntOr("compress_block", 32, 1, kMaxTokens);
  p.compress_stride = s.IntOr("compress_stride", 16, 1, p.compress_block);
  p.initial_blocks = s.IntOr("initial_blocks", 1, 0, kMaxTokens);
  p.local_blocks = s.IntOr("local_blocks", 2, 1, kMaxTokens);
  const std::string d = std::to_string(p.compress_stride);
  // The selection's importance sums whole compressed entries (eq. 9 assumes d divides l and l').
  if (p.compress_block % p.compress_stride != 0) {
    s.Fail("compress_stride",
           "must divide compress_block (" + std::to_string(p.compress_block) + "), got " + d);
  }
  if (p.block % p.compress_stride != 0) {
    s.Fail("compress_stride",
           "must divide block (" + std::to_string(p.block) + ", the selection block), got " + d);
  }
  if (p.keep < p.initial_blocks + p.local_blocks) {
    s.Fail("keep", "keeps " + std::to_string(p.keep) + " blocks but always keeps " +
                       std::to_string(p.initial_blocks) + " initial + " +
                       std::to_string(p.local_blocks) + " local blocks");
  }
  if (layer.attention.kv_len < p.compress_block) {
    s.Fail("compress_block",
           "layer '" + layer.name + "': a cache of " + std::to_string(layer.attention.kv_len) +
               " tokens holds no whole compression block of " + std::to_string(p.compress_block));
  }
  p.gate_inputs = s.IntOr("gate_inputs", 0, 1, 1 << 24);
}

// `sparsity: {kind, block, keep, window, summary_dim, seed, ...}` of an attention op
// (sim/graph/attention_sparsity.h).
void ReadSparsity(ConfigMap& l, Layer& layer, WorkloadWide& wide) {
  std::optional<ConfigMap> own = l.MapIf("sparsity");
  if (wide.sparsity) wide.sparsity_taken = true;
  ConfigMap* s = wide.sparsity ? &*wide.sparsity : own ? &*own : nullptr;
  if (!s) return;
  AttentionSparsity& p = layer.sparsity;
  const std::string kind = s->Choice("kind", SparsityKindNames());
  p.kind = static_cast<SparsityKind>(
      1 + (std::find(SparsityKindNames().begin(), SparsityKindNames().end(), kind) -
           SparsityKindNames().begin()));
  constexpr std::int64_t kMaxTokens = std::int64_t{1} << 40;
  const bool nsa = p.kind == SparsityKind::kNsa;
  p.block = p.kind == SparsityKind::kTopkBlocks ? s->Int("block", 1, kMaxTokens)
                                                : s->IntOr("block", 64, 1, kMaxTokens);
  if (p.kind == SparsityKind::kSlidingWindow) {
    p.window = s->Int("window", 1, kMaxTokens);
    if (s->Has("keep")) s->Fail("keep", "sliding_window keeps its 'window', not 'keep'");
  } else if (nsa) {
    ReadNsa(*s, layer);
  } else {
    p.keep = s->Int("keep", 1, kMaxTokens);
    if (s->Has("window")) s->Fail("window", "'window' belongs to sliding_window, not " + kind);
  }
  const AttentionDims& a = layer.attention;
  if (p.HasRouter()) {
    p.summary_dim = s->IntOr("summary_dim", a.head_dim, 1, 1 << 20);
  } else if (s->Has("summary_dim")) {
    s->Fail("summary_dim", nsa ? "nsa scores its blocks from the compressed attention, not from "
                                 "summaries"
                               : kind + " has no router and no summaries");
  }
  p.seed = static_cast<std::uint64_t>(s->IntOr("seed", 1, 0));
  if (layer.spiking.enabled()) {
    s->FailHere("spike-driven attention cannot be sparse (layer '" + layer.name + "')");
  }
  // Prefill attends per query block, each aligned with the cache's blocks.
  if (a.q_len > 1 && a.q_len % p.block != 0) {
    s->Fail("block", "layer '" + layer.name + "': a pass of q_len " + std::to_string(a.q_len) +
                         " queries attends per query block: q_len must be a multiple of block (" +
                         std::to_string(p.block) + ")");
  }
  if (a.q_len > 1 && p.SelectsBlocks() && (a.kv_len - a.q_len) % p.block != 0) {
    s->Fail("block", "layer '" + layer.name +
                         "': the tokens cached before a multi-query pass (kv_len - q_len = " +
                         std::to_string(a.kv_len - a.q_len) + ") must fill whole blocks of " +
                         std::to_string(p.block));
  }
  if (!wide.sparsity) s->Finish();  // the wide map is finished once, after every layer
  layer.DeriveAttentionGemm();
}

// `inner`: the inner-loop length of functions that have one (conv taps, scan states).
void ReadInner(ConfigMap& l, Layer& layer) {
  const bool has_loop = !FindElementwiseFunction(layer.function).inner_ops.empty();
  if (has_loop) {
    layer.inner = l.Int("inner");
  } else if (l.Has("inner")) {
    l.Fail("inner", "function '" + layer.function + "' has no inner loop");
  }
}

Layer ReadLayer(ConfigMap l, WorkloadWide& wide) {
  Layer layer;
  layer.where = l.Where();
  layer.name = l.String("name");
  const std::string op = l.Choice("op", OpKindNames());
  layer.kind = static_cast<OpKind>(std::find(OpKindNames().begin(), OpKindNames().end(), op) -
                                   OpKindNames().begin());
  layer.dtype =
      l.Has("dtype") || !wide.dtype ? ParseDType(l.Choice("dtype", DTypeNames())) : *wide.dtype;
  switch (layer.kind) {
    case OpKind::kLinear:
      layer.batch = l.IntOr("batch", 1);
      layer.m = l.Int("m");
      layer.k = l.Int("k");
      layer.n = l.Int("n");
      RequireRepresentable(l, layer);
      ReadArithmetic(l, layer, wide);
      ReadSpiking(l, layer, wide);
      ReadActivationBits(l, layer, wide);
      ReadExpertOp(l, layer);
      ReadKvSequences(l, layer);
      break;
    case OpKind::kAttentionScores:
    case OpKind::kAttentionContext:
      ReadAttention(l, layer);
      ReadSpiking(l, layer, wide);
      ReadActivationBits(l, layer, wide);
      ReadSparsity(l, layer, wide);
      break;
    case OpKind::kElementwise:
      layer.m = l.Int("m");
      layer.n = l.Int("n");
      layer.function = l.Choice(
          "function", {"relu", "relu2", "silu", "gelu", "add", "mul", "silu_mul", "gelu_mul",
                       "relu2_mul", "sigmoid", "topk", "topk_norm", "softplus", "softcap",
                       "causal_conv1d", "conv1d_step", "selective_scan", "selective_scan_step",
                       // Mamba-2's SSD steps (docs/SSM.md)
                       "ssd_discretize", "ssd_decay_mask", "ssd_row_decay", "ssd_state_pass",
                       "ssd_combine", "ssd_skip", "ssd_decay", "ssd_step"});
      ReadInner(l, layer);
      ReadExpertOp(l, layer);
      break;
    case OpKind::kSoftmax:
      layer.m = l.Int("m");
      layer.n = l.Int("n");
      // softcap_softmax: Gemma 2's tanh soft-capping of the scores fused into the softmax.
      layer.function = l.ChoiceOr("function", "softmax", {"softmax", "softcap_softmax"});
      break;
    case OpKind::kNorm:
      layer.m = l.Int("m");
      layer.n = l.Int("n");
      layer.function = l.Choice("function", {"rmsnorm", "layernorm"});
      break;
    case OpKind::kEmbedding:
      layer.m = l.Int("m");
      layer.n = l.Int("n");
      layer.k = l.Int("vocab");
      layer.function = "copy";
      break;
  }
  return layer;
}

// Top-level `routing:` for the expert ops; every expert op must agree on experts and top_k.
void ReadRouting(ConfigMap& root, const std::vector<Layer>& layers, Workload& w) {
  const Layer* first = nullptr;
  for (const Layer& l : layers) {
    if (!l.expert.enabled()) continue;
    if (!first) first = &l;
    if (l.expert.experts != first->expert.experts || l.expert.top_k != first->expert.top_k) {
      throw ConfigError(l.where, "expert op '" + l.name + "' has " +
                                     std::to_string(l.expert.experts) + " experts, top " +
                                     std::to_string(l.expert.top_k) + "; '" + first->name +
                                     "' has " + std::to_string(first->expert.experts) + ", top " +
                                     std::to_string(first->expert.top_k));
    }
  }
  std::optional<ConfigMap> r = root.MapIf("routing");
  if (!first) {
    if (r) root.Fail("routing", "no layer has 'experts' to route");
    return;
  }
  RoutingConfig& c = w.routing;
  c.num_experts = first->expert.experts;
  c.top_k = first->expert.top_k;
  for (const Layer& l : layers) {
    if (l.expert.enabled())
      c.tokens_per_block[l.expert.block] = w.decode_tokens * (l.m / l.expert.top_k);
  }
  if (!r) return;  // uniform, seed 1
  const Registry<RoutingSourceEntry>& sources = RoutingSourceRegistry();
  c.source = r->ChoiceOr("source", "uniform", sources.Names());
  c.seed = static_cast<std::uint64_t>(r->IntOr("seed", 1, 0));
  // Parameters of other sources are accepted and unused, so a sweep can vary the source alone.
  c.params = ReadPluginKeys(*r, sources, c.source);
  c.reuse = r->NumberOr("reuse", 0.0, 0.0, 1.0);
  if (const std::string& key = sources.Get(c.source).file_key; !key.empty()) {
    c.trace_path =
        (std::filesystem::path(root.document().file()).parent_path() / r->String(key)).string();
  }
  r->Finish();
  MoeRouter check(c);  // reads and validates a trace file now, with its own file and line
}

// A context op whose values are the keys' cache needs a scores op that reads that cache: same
// sequences, KV heads and length, and keys at least as wide as the values.
void CheckValuesInKeys(const std::vector<Layer>& layers) {
  for (const Layer& c : layers) {
    if (!c.attention.values_in_keys) continue;
    const AttentionDims& v = c.attention;
    const bool found = std::any_of(layers.begin(), layers.end(), [&](const Layer& s) {
      const AttentionDims& k = s.attention;
      return s.kind == OpKind::kAttentionScores && k.sequences == v.sequences &&
             k.kv_heads == v.kv_heads && k.kv_len == v.kv_len && k.head_dim >= v.head_dim;
    });
    if (!found) {
      throw ConfigError(c.where, "'" + c.name +
                                     "' has values_in_keys but no attention_scores op reads a "
                                     "cache of the same sequences, kv_heads and kv_len with "
                                     "head_dim >= " +
                                     std::to_string(v.head_dim));
    }
  }
}

// The layers a sparse attention op's router runs before its scores op (docs/SPARSE_ATTENTION.md):
// the summaries of the new keys written to the summary cache, the query scored against every
// stored summary (a GEMM reading the summary cache from DRAM), and the top-k selection.
std::vector<Layer> RouterLayers(Layer& scores) {
  const AttentionDims& a = scores.attention;
  const AttentionSparsity& p = scores.sparsity;
  const std::string& name = scores.name;
  Layer summary;
  summary.name = name + ".summary";
  summary.kind = OpKind::kElementwise;
  summary.dtype = scores.dtype;
  summary.where = scores.where;
  // It runs after the new keys are written and reads them (and in decode the stored summary)
  // back from DRAM: their shapes differ from the summaries', so they are not a data input.
  if (scores.inputs.size() > 1) summary.after = {scores.inputs[1]};
  if (p.kind == SparsityKind::kTopkBlocks) {
    // Per KV head a minimum and a maximum vector per block the pass's keys fall in.
    summary.n = a.kv_heads * 2 * p.summary_dim;
    if (a.q_len > 1) {
      summary.function = "block_minmax";
      summary.m = a.sequences * (a.q_len / p.block);
      summary.inner = p.block;
    } else {
      summary.function = "block_minmax_step";
      summary.m = a.sequences;
    }
  } else {
    // One index key per token and KV head: the key's leading summary_dim values, written.
    summary.function = "copy";
    summary.m = a.sequences * a.q_len;
    summary.n = a.kv_heads * p.summary_dim;
  }
  Layer router = scores;
  router.name = name + ".router";
  router.sparsity.router = true;
  // The queries; the summaries are the router's operand B (their cache in DRAM), written first.
  router.inputs = {};
  if (!scores.inputs.empty()) router.inputs.push_back(scores.inputs[0]);
  router.after = {summary.name};
  router.DeriveAttentionGemm();
  Layer select;
  select.name = name + ".select";
  select.kind = OpKind::kElementwise;
  select.function = "topk";
  select.dtype = scores.dtype;
  select.where = scores.where;
  select.attention = a;
  select.sparsity = router.sparsity;
  select.m = a.sequences * a.heads * a.q_len;
  select.DeriveSparseVector();
  select.inputs = {router.name};
  scores.after.push_back(select.name);
  return {summary, router, select};
}

// The projection that makes the queries of `scores` (looking through the element-wise ops and
// norms between, e.g. RoPE), or nullptr.
const Layer* QueryProjection(const std::vector<Layer>& layers,
                             const std::map<std::string, int>& index, const Layer& scores) {
  const Layer* l = &scores;
  for (int hops = 0; hops < 8 && !l->inputs.empty(); ++hops) {
    const auto it = index.find(l->inputs[0]);
    if (it == index.end()) return nullptr;
    l = &layers[static_cast<size_t>(it->second)];
    if (l->kind == OpKind::kLinear) return l;
  }
  return nullptr;
}

// The branches of Native Sparse Attention beside its selection branch, which is the user's
// scores / softmax / context (Yuan et al., arXiv:2502.11089, section 3; docs/SPARSE_ATTENTION.md):
// `before` runs before the scores op, `combine` after the context op and replaces it as the
// input of its consumers.
struct NsaOps {
  std::vector<Layer> before;
  Layer combine;
};

NsaOps NsaLayers(Layer& scores, const Layer& context, const Layer* q_proj) {
  const AttentionDims& a = scores.attention;
  const AttentionSparsity& p = scores.sparsity;
  const std::string& name = scores.name;
  const auto vector_op = [&](const std::string& suffix, OpKind kind) {
    Layer l;
    l.name = name + suffix;
    l.kind = kind;
    l.dtype = scores.dtype;
    l.where = scores.where;
    l.attention = a;
    return l;
  };
  const auto branch_of = [&](const Layer& op, const std::string& suffix, NsaBranch branch) {
    Layer l = op;
    l.name = name + suffix;
    l.sparsity.branch = branch;
    l.inputs.clear();
    l.after.clear();
    l.DeriveAttentionGemm();
    return l;
  };
  // A branch's softmax over its scores: one row per query head and token.
  const auto softmax_of = [&](const Layer& branch_scores, const std::string& suffix) {
    Layer l = vector_op(suffix, OpKind::kSoftmax);
    l.function = "softmax";
    l.sparsity = branch_scores.sparsity;
    l.m = a.sequences * a.heads * a.q_len;
    l.DeriveSparseVector();
    l.inputs = {branch_scores.name};
    return l;
  };
  NsaOps ops;
  // (a) Compression: phi maps the compress_block keys of an entry to one key (and likewise for
  // values), here one linear map of the block's keys (l x head_dim) to head_dim per entry, with
  // its own weights for keys and for values (Layer::DeriveSparseVector). The intra-block
  // position encoding is a learned per-position vector added to the keys before phi: folded
  // into phi's bias, it costs nothing per entry. Reads the new keys from DRAM.
  Layer compress = vector_op(".compress", OpKind::kLinear);
  compress.sparsity = p;
  compress.sparsity.branch = NsaBranch::kCompression;
  compress.arithmetic = scores.arithmetic;
  compress.DeriveSparseVector();
  if (scores.inputs.size() > 1) compress.after = {scores.inputs[1]};
  Layer cmp_scores = branch_of(scores, ".cmp_scores", NsaBranch::kCompression);
  if (!scores.inputs.empty()) cmp_scores.inputs = {scores.inputs[0]};
  cmp_scores.after = {compress.name};
  Layer cmp_softmax = softmax_of(cmp_scores, ".cmp_softmax");
  Layer cmp_context = branch_of(context, ".cmp_context", NsaBranch::kCompression);
  cmp_context.inputs = {cmp_softmax.name};
  // (b) Selection: a block's importance sums the compressed probabilities of the entries that
  // overlap it, (block/d) x (l/d) of them per query head (eq. 9), over the GQA group's heads
  // (eq. 10); then the top-n of the blocks per query and KV head.
  Layer score = vector_op(".select_score", OpKind::kElementwise);
  score.function = "nsa_block_score";
  score.sparsity = p;
  score.sparsity.router = true;
  score.m = a.sequences * a.kv_heads * a.q_len;
  score.inner = a.group() * (p.block / p.compress_stride) * (p.compress_block / p.compress_stride);
  score.DeriveSparseVector();
  score.after = {cmp_softmax.name};  // rows per KV head, not per query head: read back
  Layer select = vector_op(".select", OpKind::kElementwise);
  select.function = "topk";
  select.sparsity = score.sparsity;
  select.m = score.m;
  select.DeriveSparseVector();
  select.inputs = {score.name};
  scores.after.push_back(select.name);
  // (c) The sliding window.
  Layer win_scores = branch_of(scores, ".win_scores", NsaBranch::kWindow);
  if (!scores.inputs.empty()) win_scores.inputs = {scores.inputs[0]};
  Layer win_softmax = softmax_of(win_scores, ".win_softmax");
  Layer win_context = branch_of(context, ".win_context", NsaBranch::kWindow);
  win_context.inputs = {win_softmax.name};
  // The gate: one linear map of the layer's input to a score per branch and query head, then a
  // sigmoid (section 3.2, eq. 5); the paper says MLP, one layer is assumed.
  Layer gate = vector_op(".gate", OpKind::kLinear);
  gate.arithmetic = q_proj ? q_proj->arithmetic : scores.arithmetic;
  gate.m = a.sequences * a.q_len;
  gate.k = p.gate_inputs > 0 ? p.gate_inputs : q_proj ? q_proj->k : a.heads * a.head_dim;
  gate.n = 3 * a.heads;
  if (q_proj && gate.k == q_proj->k && !q_proj->inputs.empty() &&
      q_proj->InputShape(0) == gate.InputShape(0)) {
    gate.inputs = {q_proj->inputs[0]};
  }
  Layer sigmoid = vector_op(".gate_sigmoid", OpKind::kElementwise);
  sigmoid.function = "sigmoid";
  sigmoid.m = gate.m;
  sigmoid.n = gate.n;
  sigmoid.inputs = {gate.name};
  // The gated sum (a tile task loads at most two inputs: two steps). The window's and the
  // compression's share runs before the selection's output exists.
  Layer mix = vector_op(".mix", OpKind::kElementwise);
  mix.function = "nsa_gated_pair";
  mix.m = a.sequences * a.q_len;
  mix.n = a.heads * context.attention.head_dim;
  mix.inputs = {cmp_context.name, win_context.name};
  mix.after = {sigmoid.name};
  ops.combine = mix;
  ops.combine.name = name + ".combine";
  ops.combine.function = "nsa_gated_add";
  ops.combine.inputs = {mix.name, context.name};
  ops.combine.after = {};
  ops.before = {compress,   cmp_scores,  cmp_softmax, cmp_context, score,   select,
                win_scores, win_softmax, win_context, gate,        sigmoid, mix};
  return ops;
}

// Follows a context op's probabilities back to the scores op they came from (directly, or
// through one softmax); -1 if there is none.
int ScoresOf(const std::vector<Layer>& layers, const std::map<std::string, int>& index,
             const Layer& context) {
  if (context.inputs.empty()) return -1;
  auto it = index.find(context.inputs[0]);
  if (it == index.end()) return -1;
  const Layer* l = &layers[static_cast<size_t>(it->second)];
  if (l->kind == OpKind::kSoftmax && !l->inputs.empty()) {
    it = index.find(l->inputs[0]);
    if (it == index.end()) return -1;
    l = &layers[static_cast<size_t>(it->second)];
  }
  return l->kind == OpKind::kAttentionScores ? it->second : -1;
}

// Hands each sparse scores op's selection to the softmax that reads it, checks that the context
// op attends over the same tokens, and emits the router's layers (when the op selects at all: an
// op that keeps every token is dense and has no router).
void ExpandSparseAttention(std::vector<Layer>& layers, std::int64_t last_step) {
  std::map<std::string, int> index;
  for (size_t i = 0; i < layers.size(); ++i) index[layers[i].name] = static_cast<int>(i);
  for (Layer& l : layers) {
    if (l.kind != OpKind::kSoftmax || l.inputs.empty()) continue;
    const auto it = index.find(l.inputs[0]);
    if (it == index.end()) continue;
    const Layer& scores = layers[static_cast<size_t>(it->second)];
    if (scores.kind != OpKind::kAttentionScores || !scores.sparsity.enabled()) continue;
    const AttentionDims& a = scores.attention;
    if (l.m != a.sequences * a.heads * a.q_len || l.n != a.kv_len) {
      throw ConfigError(l.where,
                        "softmax '" + l.name + "' of sparse '" + scores.name +
                            "' must be m x n = " + std::to_string(a.sequences * a.heads * a.q_len) +
                            " x " + std::to_string(a.kv_len) +
                            " (its rows by the cache length; it runs over the kept "
                            "tokens only)");
    }
    l.attention = a;
    l.sparsity = scores.sparsity;
    l.DeriveSparseVector();
  }
  for (const Layer& c : layers) {
    if (c.kind != OpKind::kAttentionContext) continue;
    const int s = ScoresOf(layers, index, c);
    const AttentionSparsity none;
    const AttentionSparsity& want = s >= 0 ? layers[static_cast<size_t>(s)].sparsity : none;
    AttentionSparsity have = c.sparsity;
    have.summary_dim = want.summary_dim;  // the router's, not the context's
    if (have == want) continue;
    const std::string source = s >= 0 ? "'" + layers[static_cast<size_t>(s)].name + "'" : "none";
    throw ConfigError(c.where, "attention_context '" + c.name +
                                   "' must have the same 'sparsity' as the scores its "
                                   "probabilities come from (" +
                                   source + ")");
  }
  // NSA: each scores op's branches, keyed by its context op.
  std::map<std::string, NsaOps> nsa;
  for (const Layer& c : layers) {
    const int s = c.kind == OpKind::kAttentionContext ? ScoresOf(layers, index, c) : -1;
    if (s < 0 || layers[static_cast<size_t>(s)].sparsity.kind != SparsityKind::kNsa) continue;
    Layer& scores = layers[static_cast<size_t>(s)];
    nsa[c.name] = NsaLayers(scores, c, QueryProjection(layers, index, scores));
  }
  for (const Layer& l : layers) {
    if (l.kind == OpKind::kAttentionScores && l.sparsity.kind == SparsityKind::kNsa &&
        !std::any_of(nsa.begin(), nsa.end(),
                     [&](const auto& e) { return e.second.combine.name == l.name + ".combine"; })) {
      throw ConfigError(l.where, "NSA scores '" + l.name +
                                     "' needs an attention_context that reads its probabilities "
                                     "(through one softmax): the branches' outputs are mixed");
    }
  }
  std::vector<Layer> out;
  for (Layer& l : layers) {
    // The combined output replaces the selection branch's for the context's consumers.
    for (std::string& input : l.inputs) {
      if (nsa.count(input)) input = nsa[input].combine.name;
    }
    if (l.kind == OpKind::kAttentionScores && l.sparsity.HasRouter() && !l.sparsity.router &&
        l.AtDecodeStep(last_step).GathersKv()) {
      for (Layer& r : RouterLayers(l)) out.push_back(std::move(r));
    }
    const auto branches = std::find_if(nsa.begin(), nsa.end(), [&](const auto& e) {
      return e.second.combine.name == l.name + ".combine";
    });
    if (branches != nsa.end()) {
      for (Layer& b : branches->second.before) out.push_back(std::move(b));
    }
    const std::string name = l.name;
    out.push_back(std::move(l));
    if (nsa.count(name)) out.push_back(nsa[name].combine);
  }
  layers = std::move(out);
}

}  // namespace

Workload ReadWorkload(ConfigMap root) {
  Workload w;
  w.file = root.document().file();
  w.name = root.String("name");
  const std::string phase = root.ChoiceOr("phase", "single", {"single", "prefill", "decode"});
  w.phase = phase == "prefill"  ? Phase::kPrefill
            : phase == "decode" ? Phase::kDecode
                                : Phase::kSinglePass;
  w.decode_tokens = w.phase == Phase::kDecode ? root.Int("decode_tokens", 1, 1 << 20) : 1;
  if (root.Has("decode_sampling")) {
    if (w.phase != Phase::kDecode)
      root.Fail("decode_sampling", "samples decode passes: only for 'phase: decode'");
    w.decode_sampling = root.Int("decode_sampling", 1, 1 << 20);
  }
  w.tokens_per_pass = root.IntOr("tokens_per_pass", 0, 1);
  w.total_params = root.IntOr("total_params", 0, 0);
  w.active_params = root.IntOr("active_params", 0, 0);
  if (w.phase != Phase::kSinglePass && w.tokens_per_pass == 0) {
    root.FailHere("a " + phase + " workload needs 'tokens_per_pass'");
  }
  WorkloadWide wide;
  wide.spiking = root.MapIf("spiking");
  wide.activation_bits = root.IntOr("activation_bits", 0, 1, 8);
  if (root.Has("activation_sparsity"))
    wide.activation_sparsity = root.Number("activation_sparsity", 0, 1);
  wide.sparsity = root.MapIf("sparsity");
  wide.root = root;
  if (root.Has("dtype")) wide.dtype = ParseDType(root.Choice("dtype", DTypeNames()));
  if (root.Has("arithmetic")) wide.arithmetic = root.Choice("arithmetic", ArithmeticNames());
  if (root.Has("weight_packing")) {
    std::vector<std::string> packings;
    for (const std::string& name : ArithmeticNames()) {
      for (const std::string& p : FindArithmetic(name).packings) {
        if (std::find(packings.begin(), packings.end(), p) == packings.end()) packings.push_back(p);
      }
    }
    wide.weight_packing = root.Choice("weight_packing", packings);
  }
  if (wide.spiking && wide.activation_bits > 0) {
    root.Fail("activation_bits",
              "a workload is either spiking or has quantized activations, not both");
  }
  if (wide.spiking && wide.activation_sparsity >= 0) {
    root.Fail("activation_sparsity",
              "a workload is either spiking or has activation sparsity, not both");
  }
  std::vector<Layer> layers;
  for (ConfigMap l : root.MapList("layers")) {
    Layer layer = ReadLayer(l, wide);
    // The last decode step has the longest KV cache, so it bounds every step's sizes.
    RequireRepresentable(l, layer);
    RequireRepresentable(l, layer.AtDecodeStep(w.decode_tokens - 1));
    if (l.Has("after")) layer.after = l.StringList("after");
    if (l.Has("inputs")) {
      layer.inputs = l.StringList("inputs");
    } else if (!layers.empty() && layer.Arity() > 0) {
      layer.inputs = {layers.back().name};
    }
    l.Finish();
    layers.push_back(std::move(layer));
  }
  if (layers.empty()) root.Fail("layers", "needs at least one layer");
  if (!wide.weight_packing.empty() && !wide.packing_taken) {
    root.Fail("weight_packing",
              "no linear layer without its own 'weight_packing' has an "
              "arithmetic that packs weights as '" +
                  wide.weight_packing + "'");
  }
  if (wide.sparsity) {
    if (!wide.sparsity_taken) root.Fail("sparsity", "no attention op to make sparse");
    wide.sparsity->Finish();
  }
  CheckValuesInKeys(layers);
  ExpandSparseAttention(layers, w.decode_tokens - 1);
  if (wide.spiking) wide.spiking->Finish();
  ReadRouting(root, layers, w);
  root.Finish();
  w.graph = std::make_shared<const LayerGraph>(std::move(layers));
  return w;
}

}  // namespace pjsim
