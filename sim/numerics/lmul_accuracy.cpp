#include "sim/numerics/lmul_accuracy.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <utility>

#include "sim/numerics/float_format.h"
#include "sim/numerics/lmul.h"
#include "sim/numerics/portable_random.h"

namespace pjsim::numerics {
namespace {

struct Method {
  bool lmul;
  FloatFormat format;
};

std::vector<Method> Methods() {
  return {
      {true, kFp8E4M3},
      {true, MakeFloatFormat(5, 3)},
      {true, MakeFloatFormat(5, 4)},
      {true, MakeFloatFormat(8, 3)},
      {true, MakeFloatFormat(8, 4)},
      {true, kBf16},
      {true, kFp16},
      {true, kFp32},
      {false, kFp8E4M3},
      {false, kFp8E5M2},
      {false, MakeFloatFormat(8, 2)},
      {false, MakeFloatFormat(8, 3)},
      {false, MakeFloatFormat(8, 4)},
  };
}

std::string MethodName(const Method& method) {
  if (!method.lmul) return "round " + FormatName(method.format);
  const int m = method.format.mantissa_bits;
  return "lmul " + FormatName(method.format) + " (m=" + std::to_string(m) +
         ", l=" + std::to_string(LmulOffsetExponent(m)) + ")";
}

std::vector<std::pair<double, double>> DrawPairs(bool normal, uint64_t seed, int64_t samples) {
  std::mt19937_64 rng(seed);
  std::vector<std::pair<double, double>> pairs;
  pairs.reserve(static_cast<size_t>(samples));
  while (static_cast<int64_t>(pairs.size()) < samples) {
    const double x = normal ? StandardNormal(rng) : UniformSymmetric(rng);
    const double y = normal ? StandardNormal(rng) : UniformSymmetric(rng);
    if (x * y != 0.0) pairs.emplace_back(x, y);
  }
  return pairs;
}

AccuracyRow Measure(const Method& method, const std::string& distribution,
                    const std::vector<std::pair<double, double>>& pairs) {
  AccuracyRow row{
      MethodName(method), distribution, 0.0, 0.0, 0.0, static_cast<int64_t>(pairs.size())};
  double sum = 0.0;
  int64_t zeros = 0;
  for (const auto& [x, y] : pairs) {
    const double r = method.lmul ? Lmul(method.format, x, y) : ExactMul(method.format, x, y);
    const double exact = x * y;
    const double err = std::fabs(r - exact) / std::fabs(exact);
    sum += err;
    row.max_rel_err = std::max(row.max_rel_err, err);
    if (r == 0.0) ++zeros;
  }
  row.mean_rel_err = sum / static_cast<double>(pairs.size());
  row.flushed = static_cast<double>(zeros) / static_cast<double>(pairs.size());
  return row;
}

}  // namespace

AccuracyTable MeasureLmulAccuracy(uint64_t seed, int64_t samples) {
  if (samples < 1) throw std::invalid_argument("accuracy: samples must be >= 1");
  AccuracyTable table;
  table.seed = seed;
  const std::vector<Method> methods = Methods();
  for (const bool normal : {true, false}) {
    const std::string distribution = normal ? "normal(0,1)" : "uniform[-1,1)";
    const auto pairs = DrawPairs(normal, normal ? seed : seed + 1, samples);
    for (const Method& method : methods) table.rows.push_back(Measure(method, distribution, pairs));
  }
  return table;
}

void PrintAccuracyTable(std::ostream& out, const AccuracyTable& table) {
  size_t method_width = 6;
  size_t distribution_width = 12;
  for (const AccuracyRow& row : table.rows) {
    method_width = std::max(method_width, row.method.size());
    distribution_width = std::max(distribution_width, row.distribution.size());
  }
  const int mw = static_cast<int>(method_width);
  const int dw = static_cast<int>(distribution_width);
  char line[256];
  std::snprintf(line, sizeof line, "%-*s  %-*s  %12s  %12s  %9s  %10s\n", mw, "method", dw,
                "distribution", "mean_rel_err", "max_rel_err", "flushed", "samples");
  out << "# L-Mul accuracy vs exact product, seed " << table.seed << "\n" << line;
  for (const AccuracyRow& row : table.rows) {
    std::snprintf(line, sizeof line, "%-*s  %-*s  %12.4e  %12.4e  %9.3e  %10lld\n", mw,
                  row.method.c_str(), dw, row.distribution.c_str(), row.mean_rel_err,
                  row.max_rel_err, row.flushed, static_cast<long long>(row.samples));
    out << line;
  }
}

}  // namespace pjsim::numerics
