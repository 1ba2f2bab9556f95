#include "sim/numerics/dot.h"

#include <stdexcept>
#include <vector>

#include "sim/numerics/float_sum.h"
#include "sim/numerics/lmul.h"

namespace pjsim::numerics {
namespace {

double Product(Multiplier multiplier, const FloatFormat& f, uint32_t a, uint32_t b) {
  switch (multiplier) {
    case Multiplier::kLmul:
      return DecodeBits(f, LmulBits(f, a, b));
    case Multiplier::kExactRounded:
      return DecodeBits(f, ExactMulBits(f, a, b));
    case Multiplier::kExactUnrounded:
      return DecodeBits(f, a) * DecodeBits(f, b);  // exact
  }
  throw std::logic_error("unknown multiplier");
}

}  // namespace

uint32_t DotBits(Multiplier multiplier, const FloatFormat& input, std::span<const uint32_t> a,
                 std::span<const uint32_t> b, const FloatFormat& accumulator) {
  if (a.size() != b.size()) throw std::invalid_argument("dot product: length mismatch");
  ValidateFloatFormat(input);
  ValidateFloatFormat(accumulator);
  uint32_t acc = 0;  // +0
  for (size_t i = 0; i < a.size(); ++i) {
    acc = EncodeSum(accumulator, DecodeBits(accumulator, acc),
                    Product(multiplier, input, a[i], b[i]));
  }
  return acc;
}

double Dot(Multiplier multiplier, const FloatFormat& input, std::span<const double> a,
           std::span<const double> b, const FloatFormat& accumulator) {
  if (a.size() != b.size()) throw std::invalid_argument("dot product: length mismatch");
  std::vector<uint32_t> a_bits(a.size());
  std::vector<uint32_t> b_bits(b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    a_bits[i] = EncodeBits(input, a[i]);
    b_bits[i] = EncodeBits(input, b[i]);
  }
  return DecodeBits(accumulator, DotBits(multiplier, input, a_bits, b_bits, accumulator));
}

}  // namespace pjsim::numerics
