// `pjsim numerics lmul-error`: accuracy of L-Mul against exact and fp8-rounded multiplication.
// `pjsim numerics lmul-attention`: the same multipliers on attention outputs (the paper's metric).
#include <charconv>
#include <cmath>
#include <iostream>

#include "sim/cli/args.h"
#include "sim/cli/help_text.h"
#include "sim/cli/subcommands.h"
#include "sim/config/printable.h"
#include "sim/numerics/attention_error.h"
#include "sim/numerics/lmul_accuracy.h"
#include "sim/report/json_writer.h"

namespace pjsim::cli {
namespace {

const CommandSpec kNumericsSpec{
    .name = "numerics",
    .summary =
        "numerics tools: lmul-error (L-Mul error per product), lmul-attention (on "
        "attention outputs)",
    .usage = {"lmul-error [--samples N] [--seed S]",
              "lmul-attention [--dist D] [--n-q N] [--n-kv N] [--head-dim N] [--trials N] "
              "[--seed S] [--outlier-fraction F] [--outlier-scale X] [--outlier-tensors T] "
              "[--nu NU] [--json]"},
    .description =
        "lmul-error: the mean and max relative error per product of L-Mul (Luo & Sun, arXiv "
        "2410.00907) in several formats, and of rounding both operands to fp8 e4m3 / e5m2, "
        "multiplying exactly and rounding the product to the same format, against the exact "
        "product of the original inputs, on standard-normal and on uniform[-1, 1) inputs "
        "(sim/numerics/lmul_accuracy.h defines every row). Takes --samples and --seed.\n"
        "\n"
        "lmul-attention: the error of attention outputs softmax(Q K^T / sqrt(d)) V against fp64 "
        "when every product of both matmuls goes through L-Mul, an fp8 multiply (exact product, "
        "fp32 accumulate) or a multiply whose product is rounded to the operand format; softmax "
        "in fp32; per-tensor power-of-two scaling (sim/numerics/attention_error.h defines every "
        "row and metric). Takes every flag but --samples.\n"
        "\n"
        "Without a tool, prints this help and exits with 2.",
    .positionals = {{.name = "TOOL", .help = "lmul-error or lmul-attention"}},
    .flags =
        {
            {.name = "samples",
             .value = "N",
             .help = "lmul-error: products per row (default 1000000, at most 33554432)"},
            {.name = "seed", .value = "S", .help = "random seed (default 1)"},
            {.name = "dist",
             .value = "D",
             .help = "gaussian | outliers | student-t | all (default all)"},
            {.name = "n-q", .value = "N", .help = "queries per head (default 64, at most 4096)"},
            {.name = "n-kv",
             .value = "N",
             .help = "keys and values per head (default 256, at most 65536)"},
            {.name = "head-dim",
             .value = "N",
             .help = "channels per head (default 128, at most 1024)"},
            {.name = "trials",
             .value = "N",
             .help = "independent heads pooled into the metrics (default 4, at most 1024)"},
            {.name = "outlier-fraction",
             .value = "F",
             .help = "outliers: fraction of channels that are outliers (default 0.03125)"},
            {.name = "outlier-scale", .value = "X", .help = "outliers: their scale (default 20)"},
            {.name = "outlier-tensors",
             .value = "T",
             .help = "outliers: which of q, k, v have them (default k)"},
            {.name = "nu",
             .value = "NU",
             .help = "student-t: degrees of freedom, an integer (default 4)"},
            {.name = "json", .help = "print JSON instead of the tables"},
        },
    .notes = "Deterministic for a seed.",
};

// lmul-error's sampled operand pairs (16 B each, numerics::kMaxLmulAccuracySamples: 512 MiB)
// are held in memory. lmul-attention holds a head's probabilities three times (value, rounded
// value, bits: 20 B each): 2^24 of them is 320 MiB.
constexpr std::int64_t kMaxScores = std::int64_t{1} << 24;

std::int64_t ParseCount(const ParsedArgs& args, const std::string& flag, std::int64_t fallback,
                        std::int64_t min, std::int64_t max = INT64_MAX) {
  if (!args.Has(flag)) return fallback;
  const std::string v = args.Get(flag);
  std::int64_t x = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || ptr != v.data() + v.size() || x < min || x > max) {
    throw ConfigError({"<command line>", 0, 0},
                      "--" + flag + " expects an integer in [" + std::to_string(min) + ", " +
                          std::to_string(max) + "], got '" + PrintableToken(v) + "'");
  }
  return x;
}

double ParseNumber(const ParsedArgs& args, const std::string& flag, double fallback, double min,
                   double max) {
  if (!args.Has(flag)) return fallback;
  const std::string v = args.Get(flag);
  double x = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(x) || x < min || x > max) {
    throw ConfigError({"<command line>", 0, 0}, "--" + flag + " expects a number in [" +
                                                    FormatNumber(min) + ", " + FormatNumber(max) +
                                                    "], got '" + PrintableToken(v) + "'");
  }
  return x;
}

// Flags only one tool takes: naming one for the other tool is an error, not silently ignored.
void RejectFlags(const ParsedArgs& args, const std::string& tool,
                 std::initializer_list<const char*> flags) {
  for (const char* flag : flags) {
    if (args.Has(flag)) {
      throw ConfigError({"<command line>", 0, 0},
                        "numerics " + tool + " does not take --" + std::string(flag));
    }
  }
}

void WriteAttentionJson(const std::vector<numerics::AttentionErrorTable>& tables) {
  JsonWriter j;
  j.BeginObject().Key("tables").BeginArray();
  for (const numerics::AttentionErrorTable& t : tables) {
    j.BeginObject()
        .Field("distribution", t.distribution)
        .Field("n_q", t.n_q)
        .Field("n_kv", t.n_kv)
        .Field("head_dim", t.head_dim)
        .Field("trials", t.trials)
        .Field("seed", static_cast<std::int64_t>(t.seed))
        .Field("reference_rms", t.reference_rms)
        .Key("rows")
        .BeginArray();
    for (const numerics::AttentionErrorRow& row : t.rows) {
      j.BeginObject()
          .Field("variant", row.variant)
          .Field("rel_frobenius", row.rel_frobenius)
          .Field("mean_abs_err_rel_rms", row.mean_abs_err)
          .Field("max_abs_err_rel_rms", row.max_abs_err)
          .Field("zero_products", row.zero_products)
          .EndObject();
    }
    j.EndArray().EndObject();
  }
  j.EndArray().EndObject();
  std::cout << j.str() << "\n";
}

int LmulAttention(const ParsedArgs& args) {
  RejectFlags(args, "lmul-attention", {"samples"});
  numerics::AttentionErrorOptions options;
  options.n_q = ParseCount(args, "n-q", 64, 1, 4096);
  options.n_kv = ParseCount(args, "n-kv", 256, 1, 65536);
  options.head_dim = ParseCount(args, "head-dim", 128, 1, 1024);
  options.trials = ParseCount(args, "trials", 4, 1, 1024);
  options.seed = static_cast<std::uint64_t>(ParseCount(args, "seed", 1, 0));
  numerics::ActivationSpec spec;
  spec.outlier_fraction = ParseNumber(args, "outlier-fraction", spec.outlier_fraction, 1e-9, 1);
  spec.outlier_scale = ParseNumber(args, "outlier-scale", spec.outlier_scale, 1e-6, 1e6);
  spec.outlier_tensors = args.Get("outlier-tensors", spec.outlier_tensors);
  spec.student_t_nu = static_cast<int>(ParseCount(args, "nu", spec.student_t_nu, 1, 1000));
  if (options.n_q * options.n_kv > kMaxScores) {
    throw ConfigError({"<command line>", 0, 0}, "--n-q x --n-kv must be at most " +
                                                    std::to_string(kMaxScores) + ", got " +
                                                    std::to_string(options.n_q * options.n_kv));
  }
  try {  // the other parameters were range-checked above: only the tensor letters can be wrong
    numerics::ValidateActivationSpec(spec, options.head_dim);
  } catch (const std::invalid_argument&) {
    throw ConfigError({"<command line>", 0, 0},
                      "--outlier-tensors expects a non-empty subset of 'qkv', got '" +
                          PrintableToken(spec.outlier_tensors) + "'");
  }
  const std::string dist = args.Get("dist", "all");
  std::vector<numerics::ActivationDistribution> kinds;
  if (dist == "gaussian" || dist == "all") {
    kinds.push_back(numerics::ActivationDistribution::kGaussian);
  }
  if (dist == "outliers" || dist == "all") {
    kinds.push_back(numerics::ActivationDistribution::kOutlierChannels);
  }
  if (dist == "student-t" || dist == "all") {
    kinds.push_back(numerics::ActivationDistribution::kStudentT);
  }
  if (kinds.empty()) {
    throw ConfigError(
        {"<command line>", 0, 0},
        "--dist expects gaussian, outliers, student-t or all, got '" + PrintableToken(dist) + "'");
  }
  std::vector<numerics::AttentionErrorTable> tables;
  for (const numerics::ActivationDistribution kind : kinds) {
    options.distribution = spec;
    options.distribution.kind = kind;
    tables.push_back(numerics::MeasureAttentionError(options));
  }
  if (args.Has("json")) {
    WriteAttentionJson(tables);
  } else {
    for (size_t i = 0; i < tables.size(); ++i) {
      if (i > 0) std::cout << "\n";
      numerics::PrintAttentionErrorTable(std::cout, tables[i]);
    }
  }
  return kExitOk;
}

int Numerics(const ParsedArgs& args) {
  if (args.positional.empty()) {
    std::cout << HelpText(kNumericsSpec);
    return kExitBadInput;
  }
  const std::string tool = args.positional[0];
  if (args.positional.size() != 1 || (tool != "lmul-error" && tool != "lmul-attention")) {
    throw ConfigError({"<command line>", 0, 0}, "unknown numerics tool '" +
                                                    PrintableToken(args.positional.back()) +
                                                    "' (available: lmul-error, lmul-attention)");
  }
  if (tool == "lmul-attention") return LmulAttention(args);
  RejectFlags(args, "lmul-error",
              {"dist", "n-q", "n-kv", "head-dim", "trials", "outlier-fraction", "outlier-scale",
               "outlier-tensors", "nu", "json"});
  const std::int64_t samples =
      ParseCount(args, "samples", 1000000, 1, numerics::kMaxLmulAccuracySamples);
  const auto seed = static_cast<std::uint64_t>(ParseCount(args, "seed", 1, 0));
  numerics::PrintAccuracyTable(std::cout, numerics::MeasureLmulAccuracy(seed, samples));
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterNumerics(50, {&kNumericsSpec, Numerics});

}  // namespace pjsim::cli
