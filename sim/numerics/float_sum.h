#pragma once
// Correctly rounded addition into a FloatFormat: the exact sum x + y rounded once, to nearest
// even, with the overflow/NaN rules of EncodeBits. This is the accumulator adder of the dot
// products. A plain `EncodeBits(f, x + y)` would round twice (to double, then to the format)
// and can be off by one ulp on ties; this routine cannot.
#include <cstdint>

#include "sim/numerics/float_format.h"

namespace pjsim::numerics {

// Bits of RNE(x + y) in f. Non-finite operands follow IEEE double addition (inf + -inf = NaN).
// The sign of an exact zero sum is + unless both operands are -0, as in IEEE.
uint32_t EncodeSum(const FloatFormat& f, double x, double y);

// EncodeSum of two values of format f.
uint32_t AddBits(const FloatFormat& f, uint32_t a, uint32_t b);

}  // namespace pjsim::numerics
