#include "sim/numerics/float_sum.h"

#include <bit>
#include <cmath>

namespace pjsim::numerics {

uint32_t EncodeSum(const FloatFormat& f, double x, double y) {
  double sum = x + y;
  if (!std::isfinite(x) || !std::isfinite(y) || !std::isfinite(sum)) return EncodeBits(f, sum);
  // TwoSum (Knuth): `error` is exactly (x + y) - sum.
  const double y_part = sum - x;
  const double error = (x - (sum - y_part)) + (y - y_part);
  // Round to odd: if the double sum was inexact, move to the odd neighbour on the side of the
  // exact value. A double has 53 bits, at least 2 more than any FloatFormat (24), so rounding
  // the round-to-odd result to nearest even gives the correctly rounded exact sum.
  if (error != 0.0 && (std::bit_cast<uint64_t>(sum) & 1) == 0) {
    sum = std::nextafter(sum, error > 0.0 ? INFINITY : -INFINITY);
  }
  return EncodeBits(f, sum);
}

uint32_t AddBits(const FloatFormat& f, uint32_t a, uint32_t b) {
  return EncodeSum(f, DecodeBits(f, a), DecodeBits(f, b));
}

}  // namespace pjsim::numerics
