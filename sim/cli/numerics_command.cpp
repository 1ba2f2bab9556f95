// `pjsim numerics lmul-error`: accuracy of L-Mul against exact and fp8-rounded multiplication.
#include <charconv>
#include <iostream>

#include "sim/cli/args.h"
#include "sim/cli/subcommands.h"
#include "sim/config/printable.h"
#include "sim/numerics/lmul_accuracy.h"

namespace pjsim::cli {
namespace {

constexpr const char* kNumericsHelp =
    R"(usage: pjsim numerics lmul-error [--samples N] [--seed S]

Measures the mean and max relative error of L-Mul (Luo & Sun, arXiv 2410.00907) in several
formats, and of rounding both operands to fp8 e4m3 / e5m2 before an exact multiply, against the
exact product of the original inputs, on standard-normal and on uniform[-1, 1) inputs; prints
the table (sim/numerics/lmul_accuracy.h defines every row). Deterministic for a seed.

  --samples N   products per row (default 1000000, at most 33554432)
  --seed S      random seed (default 1)
)";

// The sampled operand pairs of a row are held in memory (16 B each): 2^25 is 512 MiB.
constexpr std::int64_t kMaxSamples = std::int64_t{1} << 25;

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

int Numerics(const std::vector<std::string>& raw) {
  const ParsedArgs args =
      ParseArgs("numerics", raw, {{"samples"}, {"seed"}, {"help", false}, {"h", false}});
  if (args.Has("help") || args.Has("h") || args.positional.empty()) {
    std::cout << kNumericsHelp;
    return args.positional.empty() && !args.Has("help") && !args.Has("h") ? kExitBadInput : kExitOk;
  }
  if (args.positional.size() != 1 || args.positional[0] != "lmul-error") {
    throw ConfigError({"<command line>", 0, 0},
                      "unknown numerics tool '" + args.positional[0] + "' (available: lmul-error)");
  }
  const std::int64_t samples = ParseCount(args, "samples", 1000000, 1, kMaxSamples);
  const auto seed = static_cast<std::uint64_t>(ParseCount(args, "seed", 1, 0));
  numerics::PrintAccuracyTable(std::cout, numerics::MeasureLmulAccuracy(seed, samples));
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterNumerics(
    50, {"numerics", "numerics tools: lmul-error (L-Mul accuracy vs exact and fp8 multiplication)",
         Numerics});

}  // namespace pjsim::cli
