#include "sim/workload/workload.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "sim/config/yaml_reader.h"
#include "sim/graph/arithmetic.h"
#include "sim/graph/elementwise_function.h"
#include "sim/workload/npy_file.h"
#include "sim/workload/spike_trace.h"

namespace pjsim {
namespace {

void ReadArithmetic(ConfigMap& l, Layer& layer) {
  layer.arithmetic = l.ChoiceOr("arithmetic", DTypeName(layer.dtype), ArithmeticNames());
  const Arithmetic& a = FindArithmetic(layer.arithmetic);
  if (std::find(a.activations.begin(), a.activations.end(), layer.dtype) == a.activations.end()) {
    l.Fail("dtype", "arithmetic '" + a.name + "' does not take " + DTypeName(layer.dtype) +
                        " activations");
  }
  layer.weight_packing = l.ChoiceOr("weight_packing", a.packings.front(), a.packings);
  layer.weight_sparsity = l.NumberOr("weight_sparsity", a.default_sparsity, 0.0, 1.0);
}

void ReadSpiking(ConfigMap& l, Layer& layer) {
  auto s = l.MapIf("spiking");
  if (!s) return;
  SpikingConfig& c = layer.spiking;
  c.timesteps = s->Int("timesteps");
  const int sources = s->Has("trace") + s->Has("input_rate") + s->Has("input_rates") +
                      s->Has("rate_coded_input");
  if (sources != 1) {
    s->FailHere("give exactly one of 'input_rate', 'input_rates', 'rate_coded_input' or 'trace'");
  }
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
  c.seed = static_cast<std::uint64_t>(s->IntOr("seed", 1, 0));
  if (s->Has("trace")) {
    c.trace = located("trace", [&] { return SpikeTrace::Load(resolve("trace")); });
    const SpikeTrace& t = *c.trace;
    if (t.timesteps() != c.timesteps || t.rows() != rows || t.cols() != layer.k) {
      s->Fail("trace", "shape (" + std::to_string(t.timesteps()) + ", " + std::to_string(t.rows()) +
                           ", " + std::to_string(t.cols()) + ") does not match (timesteps, m, k) = (" +
                           std::to_string(c.timesteps) + ", " + std::to_string(rows) + ", " +
                           std::to_string(layer.k) + ")");
    }
  } else if (s->Has("input_rates")) {
    // One firing rate per input neuron.
    const NpyArray rates = located("input_rates", [&] { return LoadNpy(resolve("input_rates"), {"<f4", "<f8"}); });
    if (rates.shape != std::vector<std::int64_t>{layer.k}) {
      s->Fail("input_rates", "expected a vector of k = " + std::to_string(layer.k) + " rates");
    }
    for (std::int64_t i = 0; i < rates.size(); ++i) {
      if (!(rates.At(i) >= 0 && rates.At(i) <= 1)) {
        s->Fail("input_rates", "rate " + std::to_string(rates.At(i)) + " of input " + std::to_string(i) +
                                   " is not in [0, 1]");
      }
    }
    c.trace = SpikeTrace::FromRates(rates.path, c.timesteps, rows, layer.k,
                                    [&](std::int64_t, std::int64_t col) { return rates.At(col); }, c.seed);
  } else if (s->Has("rate_coded_input")) {
    // Rate coding of a real-valued input: rate = |x| / max |x| over the tensor.
    const NpyArray x = located("rate_coded_input", [&] { return LoadNpy(resolve("rate_coded_input"), {"<f4", "<f8"}); });
    if (x.shape != std::vector<std::int64_t>{rows, layer.k}) {
      s->Fail("rate_coded_input", "expected an array of shape (m, k) = (" + std::to_string(rows) +
                                      ", " + std::to_string(layer.k) + ")");
    }
    double peak = 0;
    for (std::int64_t i = 0; i < x.size(); ++i) {
      if (!std::isfinite(x.At(i))) s->Fail("rate_coded_input", "element " + std::to_string(i) + " is not finite");
      peak = std::max(peak, std::fabs(x.At(i)));
    }
    c.trace = SpikeTrace::FromRates(x.path, c.timesteps, rows, layer.k, [&](std::int64_t r, std::int64_t col) {
      return peak > 0 ? std::fabs(x.At(r * layer.k + col)) / peak : 0.0;
    }, c.seed);
  } else {
    c.input_rate = s->Number("input_rate", 0.0, 1.0);
  }
  if (c.trace) {
    c.input_rate = static_cast<double>(c.trace->TotalSpikes()) /
                   static_cast<double>(c.timesteps * rows * layer.k);
  }
  c.output_rate = s->NumberOr("output_rate", c.input_rate, 0.0, 1.0);
  c.membrane_bits = s->IntOr("membrane_bits", 16, 2);
  if (c.membrane_bits > 32) s->Fail("membrane_bits", "at most 32");
  const std::string e = s->ChoiceOr("encoding", "auto", {"auto", "aer", "bitmap"});
  c.encoding = e == "aer" ? SpikeEncoding::kAer : e == "bitmap" ? SpikeEncoding::kBitmap : SpikeEncoding::kAuto;
  c.timestep_tag_bits = s->IntOr("timestep_tag_bits", 0, 0);
  s->Finish();
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
  layer.DeriveAttentionGemm();
  layer.arithmetic = DTypeName(layer.dtype);  // activations x activations, at the dtype
}

Layer ReadLayer(ConfigMap l) {
  Layer layer;
  layer.where = l.Where();
  layer.name = l.String("name");
  const std::string op = l.Choice("op", OpKindNames());
  layer.kind = static_cast<OpKind>(
      std::find(OpKindNames().begin(), OpKindNames().end(), op) - OpKindNames().begin());
  layer.dtype = ParseDType(l.Choice("dtype", DTypeNames()));
  switch (layer.kind) {
    case OpKind::kLinear:
      layer.batch = l.IntOr("batch", 1);
      layer.m = l.Int("m");
      layer.k = l.Int("k");
      layer.n = l.Int("n");
      ReadArithmetic(l, layer);
      ReadSpiking(l, layer);
      break;
    case OpKind::kAttentionScores:
    case OpKind::kAttentionContext:
      ReadAttention(l, layer);
      ReadSpiking(l, layer);
      break;
    case OpKind::kElementwise:
      layer.m = l.Int("m");
      layer.n = l.Int("n");
      layer.function = l.Choice("function", {"relu", "relu2", "silu", "gelu", "add", "mul",
                                             "silu_mul", "gelu_mul", "relu2_mul"});
      break;
    case OpKind::kSoftmax:
      layer.m = l.Int("m");
      layer.n = l.Int("n");
      layer.function = "softmax";
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

}  // namespace

Workload ReadWorkload(ConfigMap root) {
  Workload w;
  w.file = root.document().file();
  w.name = root.String("name");
  const std::string phase = root.ChoiceOr("phase", "single", {"single", "prefill", "decode"});
  w.phase = phase == "prefill" ? Phase::kPrefill : phase == "decode" ? Phase::kDecode
                                                                     : Phase::kSinglePass;
  w.decode_tokens = w.phase == Phase::kDecode ? root.Int("decode_tokens", 1, 1 << 20) : 1;
  w.tokens_per_pass = root.IntOr("tokens_per_pass", 0, 1);
  w.total_params = root.IntOr("total_params", 0, 0);
  w.active_params = root.IntOr("active_params", 0, 0);
  if (w.phase != Phase::kSinglePass && w.tokens_per_pass == 0) {
    root.FailHere("a " + phase + " workload needs 'tokens_per_pass'");
  }
  std::vector<Layer> layers;
  for (ConfigMap l : root.MapList("layers")) {
    Layer layer = ReadLayer(l);
    if (l.Has("inputs")) {
      layer.inputs = l.StringList("inputs");
    } else if (!layers.empty() && layer.Arity() > 0) {
      layer.inputs = {layers.back().name};
    }
    l.Finish();
    layers.push_back(std::move(layer));
  }
  if (layers.empty()) root.Fail("layers", "needs at least one layer");
  root.Finish();
  w.graph = std::make_shared<const LayerGraph>(std::move(layers));
  return w;
}

}  // namespace pjsim
