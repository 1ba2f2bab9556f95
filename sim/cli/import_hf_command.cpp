// `pjsim import-hf`: a whole-model workload from a Hugging Face config.json.
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "sim/cli/args.h"
#include "sim/cli/subcommands.h"
#include "sim/config/config_error.h"
#include "sim/config/yaml_reader.h"
#include "sim/graph/arithmetic.h"
#include "sim/report/atomic_file.h"
#include "sim/workload/hf_config.h"
#include "sim/workload/param_count.h"
#include "sim/workload/transformer_builder.h"
#include "sim/workload/workload.h"

namespace pjsim::cli {
namespace {

const CommandSpec kImportSpec{
    .name = "import-hf",
    .summary = "build a whole-model workload from a Hugging Face config.json",
    .usage = {"CONFIG.json -o WORKLOAD.yaml [--name NAME] [--seq N] [--batch B] "
              "[--phase prefill|decode] [--decode-tokens T] [--weights ARITH] "
              "[--dtype int8|fp16|bf16|fp32] [--layers N] [--no-lm-head] "
              "[--spiking T=N[,rate=R] | --activation-bits B] [--mla absorbed|naive] "
              "[--attention-every K [--attention-heads H]] [--sparse-attention SPEC]"},
    .description =
        "Builds a whole-model workload from a Hugging Face config.json (model_type llama, "
        "mistral, mixtral, olmoe, qwen2, qwen2_moe, qwen3, qwen3_moe, phi3, gemma, gemma2, "
        "gemma3_text, gemma3 (its text_config; the vision tower is not imported), deepseek, "
        "deepseek_v2, deepseek_v3, bitnet, mamba, falcon_mamba, mamba2, jamba, gpt2, opt, "
        "gpt_neox, phi, falcon, starcoder2, olmo2) and prints its "
        "total and active parameter counts, which are also recorded in the workload as "
        "total_params / active_params. A model's sliding window (sliding_window) becomes each "
        "attention op's sliding_window sparsity where the context outgrows it. The workload is "
        "written only if it would load (pjsim validate).",
    .positionals = {{.name = "CONFIG.json",
                     .noun = "the model's",
                     .help = "a Hugging Face config.json (workloads/hf/ ships several)",
                     .required = true}},
    .flags =
        {
            {.name = "out",
             .alias = "o",
             .value = "WORKLOAD.yaml",
             .help = "where to write the workload (atomically)",
             .required = true},
            {.name = "name",
             .value = "NAME",
             .help = "the workload's name (default: MODEL_TYPE-PHASE, e.g. llama-prefill)"},
            {.name = "seq",
             .value = "N",
             .help = "prompt length (prefill), or context already in the KV cache (decode); "
                     "default 2048"},
            {.name = "batch", .value = "B", .help = "sequences processed together; default 1"},
            {.name = "phase",
             .value = "P",
             .help = "prefill (one pass over the prompt) or decode (one pass per token); default "
                     "prefill"},
            {.name = "decode-tokens",
             .value = "T",
             .help = "decode: tokens generated (passes; the KV cache grows each pass); default "
                     "128"},
            {.name = "weights",
             .value = "ARITH",
             .help = "arithmetic of every linear layer: int8, fp16, bf16, fp32, ternary, binary, "
                     "lmul-fp32, lmul-fp16, lmul-bf16, lmul-e4m3, lmul-e5m2; default int8 "
                     "(bitnet: ternary). Ternary/binary models keep the LM head at the dtype."},
            {.name = "dtype",
             .value = "D",
             .help = "activations and KV cache (int8, fp16, bf16, fp32); default: what the "
                     "weights' arithmetic takes (int8 for int8/ternary/binary, fp16 for "
                     "lmul-e4m3)"},
            {.name = "layers",
             .value = "N",
             .help = "emit only the first N decoder layers (and embedding, final norm, LM head); "
                     "more than the model has is an error"},
            {.name = "no-lm-head", .help = "leave the LM head out"},
            {.name = "spiking",
             .value = "T=N[,rate=R]",
             .help = "spiking variant: linear layers and attention run spike-driven with N "
                     "timesteps at firing rate R (default 0.1); attention is spike-driven "
                     "(Spikformer-style, no softmax); run it on a spiking_lif accelerator"},
            {.name = "activation-bits",
             .value = "B",
             .help = "quantized-ANN variant: activations of every linear and attention op are B "
                     "bits (1..8, int8 dtype), stored and moved packed, multiplied as B x 8-bit "
                     "products (workload-wide activation_bits); excludes --spiking"},
            {.name = "mla",
             .value = "E",
             .help = "deepseek_v2/v3 multi-head latent attention: absorbed (W_UK folded into the "
                     "query, W_UV into the output; attention over the cached latent, as DeepSeek "
                     "serves it) or naive (kv_b_proj decompresses every cached token's keys and "
                     "values each pass); default absorbed. The KV cache holds kv_lora_rank + "
                     "qk_rope_head_dim values per token per layer either way (docs/MLA.md)"},
            {.name = "attention-every",
             .value = "K",
             .help = "mamba, mamba2: a Jamba-style hybrid, every K-th layer grouped-query "
                     "attention instead of a Mamba mixer (docs/SSM.md)"},
            {.name = "attention-heads",
             .value = "H",
             .help = "with --attention-every: heads of those attention layers; default "
                     "hidden_size / 64"},
            {.name = "sparse-attention",
             .value = "SPEC",
             .help = "dynamic sparse attention on every attention op (workload-wide sparsity): "
                     "kind=topk_blocks,block=B,keep=N (a router keeps the N best blocks of B "
                     "tokens, Quest/NSA-style), kind=topk_tokens,keep=N (the N best tokens) or "
                     "kind=sliding_window,window=W, each optionally with ,summary_dim=D and "
                     ",seed=S; or kind=nsa (Native Sparse Attention's compressed, selected and "
                     "window branches and their gate; optional block, keep, window, "
                     "compress_block, compress_stride, initial_blocks, local_blocks, "
                     "gate_inputs; defaults from the paper); prefill attends per query block of "
                     "`block` queries (default 64); the router's summaries, scoring and top-k are "
                     "simulated and only the kept blocks are read (docs/SPARSE_ATTENTION.md)"},
        },
};

// Parses "T=4" or "T=4,rate=0.05".
void ParseSpiking(const std::string& text, ImportOptions& o) {
  std::stringstream ss(text);
  for (std::string part; std::getline(ss, part, ',');) {
    const auto eq = part.find('=');
    const std::string key = part.substr(0, eq),
                      value = eq == std::string::npos ? "" : part.substr(eq + 1);
    char* end = nullptr;
    if (key == "T") {
      const long long t = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || t < 1 || t > 1024) {
        throw ConfigError({"<command line>", 0, 0},
                          "--spiking: T must be an integer in [1, 1024], got '" + value + "'");
      }
      o.spiking_timesteps = t;
    } else if (key == "rate") {
      const double r = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !(r >= 0 && r <= 1)) {
        throw ConfigError({"<command line>", 0, 0},
                          "--spiking: rate must be in [0, 1], got '" + value + "'");
      }
      o.spiking_rate = r;
    } else {
      throw ConfigError({"<command line>", 0, 0},
                        "--spiking: unknown field '" + key + "' (expected T=N[,rate=R])");
    }
  }
  if (o.spiking_timesteps == 0) throw ConfigError({"<command line>", 0, 0}, "--spiking needs T=N");
}

// Parses "kind=topk_blocks,block=64,keep=32" into the workload-wide `sparsity:` map's keys; the
// workload reader checks the values.
void ParseSparseAttention(const std::string& text, ImportOptions& o) {
  static const std::vector<std::string> keys = {
      "kind",           "block",           "keep",           "window",       "summary_dim", "seed",
      "compress_block", "compress_stride", "initial_blocks", "local_blocks", "gate_inputs"};
  std::stringstream ss(text);
  for (std::string part; std::getline(ss, part, ',');) {
    const auto eq = part.find('=');
    const std::string key = part.substr(0, eq),
                      value = eq == std::string::npos ? "" : part.substr(eq + 1);
    if (std::find(keys.begin(), keys.end(), key) == keys.end() || value.empty()) {
      throw ConfigError({"<command line>", 0, 0},
                        "--sparse-attention: expected KEY=VALUE with KEY one of kind, block, keep, "
                        "window, summary_dim, seed, compress_block, compress_stride, "
                        "initial_blocks, local_blocks, gate_inputs; got '" +
                            part + "'");
    }
    o.sparse_attention.emplace_back(key, value);
  }
  if (o.sparse_attention.empty() || o.sparse_attention.front().first != "kind") {
    throw ConfigError({"<command line>", 0, 0}, "--sparse-attention starts with kind=...");
  }
}

std::int64_t PositiveInt(const ParsedArgs& args, const std::string& flag, std::int64_t fallback) {
  if (!args.Has(flag)) return fallback;
  const std::string v = args.Get(flag);
  std::int64_t x = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || ptr != v.data() + v.size() || x < 1) {
    throw ConfigError({"<command line>", 0, 0},
                      "--" + flag + " expects a positive integer, got '" + v + "'");
  }
  return x;
}

int ImportHf(const ParsedArgs& args) {
  const std::string out = args.Get("out");
  if (out.empty()) throw ConfigError({"<command line>", 0, 0}, "missing -o WORKLOAD.yaml");
  ImportOptions o;
  o.seq = PositiveInt(args, "seq", o.seq);
  o.batch = PositiveInt(args, "batch", o.batch);
  o.decode_tokens = PositiveInt(args, "decode-tokens", o.decode_tokens);
  o.layers = PositiveInt(args, "layers", 0);
  o.lm_head = !args.Has("no-lm-head");
  if (args.Has("spiking")) ParseSpiking(args.Get("spiking"), o);
  if (args.Has("activation-bits")) {
    o.activation_bits = PositiveInt(args, "activation-bits", 0);
    if (o.activation_bits > 8) {
      throw ConfigError({"<command line>", 0, 0}, "--activation-bits must be in [1, 8], got " +
                                                      std::to_string(o.activation_bits));
    }
    if (o.spiking_timesteps > 0) {
      throw ConfigError({"<command line>", 0, 0},
                        "--activation-bits and --spiking exclude each other");
    }
  }
  if (args.Has("sparse-attention")) ParseSparseAttention(args.Get("sparse-attention"), o);
  const std::string phase = args.Get("phase", "prefill");
  if (phase != "prefill" && phase != "decode") {
    throw ConfigError({"<command line>", 0, 0},
                      "--phase must be prefill or decode, got '" + phase + "'");
  }
  o.decode = phase == "decode";
  std::string dtype_default = "int8";
  if (args.Has("weights")) {
    o.weights = args.Get("weights");
    const auto names = ArithmeticNames();
    if (std::find(names.begin(), names.end(), o.weights) == names.end()) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      throw ConfigError({"<command line>", 0, 0},
                        "--weights: unknown arithmetic '" + o.weights + "' (known: " + known + ")");
    }
    // Float arithmetics (fp16, lmul-...) default to the activations they take.
    dtype_default = DTypeName(FindArithmetic(o.weights).activations.front());
  }
  o.dtype = args.Get("dtype", dtype_default);
  if (o.dtype != "int8" && o.dtype != "fp16" && o.dtype != "bf16" && o.dtype != "fp32") {
    throw ConfigError({"<command line>", 0, 0}, "--dtype must be int8, fp16, bf16 or fp32");
  }
  HfModelSpec spec = LoadHfConfig(args.positional[0]);
  if (args.Has("attention-heads") && !args.Has("attention-every")) {
    throw ConfigError({"<command line>", 0, 0}, "--attention-heads needs --attention-every");
  }
  if (args.Has("attention-every")) {
    MakeHybrid(spec, PositiveInt(args, "attention-every", 0),
               PositiveInt(args, "attention-heads", 0));
  }
  if (args.Has("mla")) {
    const auto mla = ParseMlaExecution(args.Get("mla"));
    if (!mla) {
      throw ConfigError({"<command line>", 0, 0},
                        "--mla must be absorbed or naive, got '" + args.Get("mla") + "'");
    }
    if (spec.attention != HfAttentionKind::kMultiLatent) {
      throw ConfigError(
          {args.positional[0], 0, 0},
          "--mla: model_type '" + spec.model_type +
              "' has no multi-head latent attention (deepseek_v2 and deepseek_v3 do)");
    }
    o.mla = *mla;
  }
  const std::string name = args.Get("name", spec.model_type + "-" + phase);
  const std::string yaml = BuildTransformerWorkload(spec, o, name);
  // Never write a workload that `pjsim validate` would reject (e.g. layers beyond the sizes the
  // simulator represents): the error names the flags' product instead of a generated line.
  try {
    ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, out)));
  } catch (const ConfigError& e) {
    throw ConfigError({args.positional[0], 0, 0},
                      "the imported workload would not load (nothing written): " + e.message());
  }
  const ParamBreakdown p = CountParams(spec);
  WriteFileAtomically(out, "# Generated by: pjsim import-hf " + args.positional[0] + "\n" + yaml);
  std::cout << spec.model_type << ": " << p.total << " parameters ("
            << static_cast<double>(p.total) / 1e9 << " B), " << p.active << " active per token ("
            << static_cast<double>(p.active) / 1e9 << " B)\n"
            << "wrote " << out << "\n";
  if (SlidingWindowApplies(spec, o)) {
    std::cout << "sliding window: attention keeps the last " << spec.sliding_window
              << " tokens (sliding_window)\n";
  }
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterImportHf(15, {&kImportSpec, ImportHf});

}  // namespace pjsim::cli
