#pragma once
// Relative error of L-Mul and of rounded fp8 multiplication against the exact product, to test
// the precision claims of Luo & Sun (arXiv 2410.00907): L-Mul with m = 4 is as precise as fp8
// e4m3 multiplication, L-Mul with m = 3 more precise than e5m2.
//
// For each distribution (standard normal; uniform on [-1, 1)) `samples` operand pairs (x, y)
// are drawn once (std::mt19937_64 seeded with `seed` for the normal set and seed + 1 for the
// uniform set, portable transforms of portable_random.h; pairs with x*y == 0 are redrawn) and
// every method sees the same pairs. Each method first rounds x and y into its format (RNE):
//   "lmul <fmt>"   LmulBits in <fmt>;
//   "round <fmt>"  ExactMulBits in <fmt> (exact product of the rounded operands, rounded);
// and is scored by |r - x y| / |x y|, x y the exact double product of the original inputs.
// Formats (rationale):
//   e4m3fn, e5m2      the real fp8 formats, including their range: small operands and products
//                     become subnormal (round) or are flushed to zero (L-Mul);
//   e5m3, e5m4        m = 3 / m = 4 with fp16's exponent (1-5-3, 1-5-4 layouts: 9 and 10 bits),
//                     where underflow is rare for these inputs;
//   e8m2, e8m3, e8m4  bf16's exponent: no range effects at all, so mantissa precision alone
//                     (the quantity the paper's claims are about) is compared;
//   bf16, fp16, fp32  L-Mul at the usual training/inference formats.
// `flushed` is the fraction of samples whose result is zero (underflow or flushed subnormal
// operand), each of which contributes relative error 1.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace pjsim::numerics {

struct AccuracyRow {
  std::string method;        // e.g. "lmul e5m4 (m=4, l=3)", "round e4m3fn"
  std::string distribution;  // "normal(0,1)" or "uniform[-1,1)"
  double mean_rel_err = 0;
  double max_rel_err = 0;
  double flushed = 0;  // fraction of zero results
  int64_t samples = 0;

  friend bool operator==(const AccuracyRow&, const AccuracyRow&) = default;
};

struct AccuracyTable {
  uint64_t seed = 0;
  std::vector<AccuracyRow> rows;

  friend bool operator==(const AccuracyTable&, const AccuracyTable&) = default;
};

// The most samples per row `pjsim numerics lmul-error` and a claim's run accept: the operand pairs
// are held in memory, 16 B each (512 MiB).
inline constexpr int64_t kMaxLmulAccuracySamples = int64_t{1} << 25;

// Deterministic: identical results for identical (seed, samples) on every platform.
// Throws std::invalid_argument if samples < 1.
AccuracyTable MeasureLmulAccuracy(uint64_t seed, int64_t samples);

// Aligned plain-text table, one row per line, with a header.
void PrintAccuracyTable(std::ostream& out, const AccuracyTable& table);

}  // namespace pjsim::numerics
