#pragma once
// L-Mul (Luo & Sun, arXiv 2410.00907): a floating-point multiply done with one integer adder,
// and the exact (conventional) multiply it is compared against.
//
// Definition, for operands a, b of a FloatFormat with m mantissa bits and bias B:
//   1. NaN operand                          -> canonical NaN (sign not propagated).
//   2. Subnormal operands are flushed: they count as zero of the same sign (hardware adders see
//      no hidden bit, so a subnormal would be misread as a normal).
//   3. inf * (zero or subnormal)            -> canonical NaN; inf * anything else -> inf with
//      sign = sa ^ sb. (Formats without inf never see one.)
//   4. zero (or flushed subnormal) operand  -> zero with sign sa ^ sb.
//   5. Otherwise, with A and B the magnitudes (exponent||mantissa as one unsigned integer):
//        N = A + B - (B_bias << m) + (1 << (m - l(m)))
//      i.e. one integer add of the fields, minus the bias moved to the exponent position, plus
//      the offset 2^-l(m) placed at the mantissa LSB, where l(m) = m for m <= 3, 3 for m = 4,
//      4 for m > 4. Note l(m) <= m for every m >= 1, so the offset is always a whole number
//      of LSBs (1 LSB for m <= 3, 2 for m = 4, 2^(m-4) for m > 4): no sub-LSB offset arises.
//      A mantissa carry simply increments the exponent field (the paper's "automatic carry").
//      In real numbers, with x = (1+xm) 2^xe, y = (1+ym) 2^ye, s = xm + ym + 2^-l(m) and
//      k = floor(s) in {0, 1, 2}, the result is exactly
//        (1 + s - k) * 2^(xe + ye + k),
//      which for k = 0 is the paper's formula (1 + xm + ym + 2^-l) 2^(xe+ye). No rounding
//      happens: every result of the adder is a value of the format.
//   6. Underflow: N < 2^m (result exponent field <= 0, i.e. below the smallest normal)
//      -> zero with sign sa ^ sb (flush; no subnormal results).
//   7. Overflow: N beyond the largest finite magnitude -> inf (kIeee formats, like an IEEE
//      multiplier) or max finite (kFiniteNan formats, which have no inf; also avoids the NaN
//      pattern S.1..1.1..1), with sign sa ^ sb.
// The RTL is compared against LmulBits bit for bit.
#include <cstdint>

#include "sim/numerics/float_format.h"

namespace pjsim::numerics {

// l(m): the offset is 2^-l(m). Requires m >= 1.
int LmulOffsetExponent(int mantissa_bits);

uint32_t LmulBits(const FloatFormat& f, uint32_t a, uint32_t b);

// Convenience: rounds x and y into f (EncodeBits, RNE), applies LmulBits, decodes.
double Lmul(const FloatFormat& f, double x, double y);

// The conventional multiplier: the exact product of the two decoded values (subnormals kept,
// IEEE specials), rounded once to nearest even into f with EncodeBits' overflow rules.
uint32_t ExactMulBits(const FloatFormat& f, uint32_t a, uint32_t b);

// Convenience: rounds x and y into f, multiplies exactly, rounds the product into f.
double ExactMul(const FloatFormat& f, double x, double y);

}  // namespace pjsim::numerics
