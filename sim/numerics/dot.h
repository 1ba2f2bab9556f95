#pragma once
// Floating-point dot products as a MAC unit computes them: one product per element pair, then a
// sequential accumulation into an accumulator format.
//
// Order and rounding (the definition the tile models and RTL follow):
//   acc_0 = +0 (in the accumulator format)
//   acc_{i+1} = RNE_acc(acc_i + p_i)   for i = 0, 1, ..., n-1 in index order (EncodeSum)
//   result = acc_n
// where p_i is the product of a[i] and b[i] by the chosen multiplier:
//   kLmul            LmulBits in the input format, then decoded (exact) for the add;
//   kExactRounded    ExactMulBits: the exact product rounded to the input format;
//   kExactUnrounded  the exact product fed unrounded to the adder (a fused multiply-add per
//                    element, like a tensor core that keeps full products).
#include <cstdint>
#include <span>

#include "sim/numerics/float_format.h"

namespace pjsim::numerics {

enum class Multiplier { kLmul, kExactRounded, kExactUnrounded };

// a and b hold bits of `input`; returns bits of `accumulator`. Throws std::invalid_argument if
// the spans differ in length.
uint32_t DotBits(Multiplier multiplier, const FloatFormat& input, std::span<const uint32_t> a,
                 std::span<const uint32_t> b, const FloatFormat& accumulator);

inline uint32_t LmulDotBits(const FloatFormat& input, std::span<const uint32_t> a,
                            std::span<const uint32_t> b, const FloatFormat& accumulator) {
  return DotBits(Multiplier::kLmul, input, a, b, accumulator);
}
inline uint32_t ExactDotBits(const FloatFormat& input, std::span<const uint32_t> a,
                             std::span<const uint32_t> b, const FloatFormat& accumulator) {
  return DotBits(Multiplier::kExactRounded, input, a, b, accumulator);
}

// Convenience: rounds every element of a and b into `input` (RNE), runs DotBits, decodes.
double Dot(Multiplier multiplier, const FloatFormat& input, std::span<const double> a,
           std::span<const double> b, const FloatFormat& accumulator);

}  // namespace pjsim::numerics
