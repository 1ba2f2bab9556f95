#include "sim/numerics/lmul.h"

#include <stdexcept>

namespace pjsim::numerics {

int LmulOffsetExponent(int mantissa_bits) {
  if (mantissa_bits < 1) throw std::invalid_argument("L-Mul needs at least one mantissa bit");
  if (mantissa_bits <= 3) return mantissa_bits;
  if (mantissa_bits == 4) return 3;
  return 4;
}

uint32_t LmulBits(const FloatFormat& f, uint32_t a, uint32_t b) {
  ValidateFloatFormat(f);
  const FloatClass class_a = Classify(f, a);
  const FloatClass class_b = Classify(f, b);
  const uint32_t sign = (a ^ b) & SignMask(f);
  if (class_a == FloatClass::kNan || class_b == FloatClass::kNan) return CanonicalNanBits(f);
  const bool zero_a = class_a == FloatClass::kZero || class_a == FloatClass::kSubnormal;
  const bool zero_b = class_b == FloatClass::kZero || class_b == FloatClass::kSubnormal;
  if (class_a == FloatClass::kInfinite || class_b == FloatClass::kInfinite) {
    return zero_a || zero_b ? CanonicalNanBits(f) : sign | InfMagnitude(f);
  }
  if (zero_a || zero_b) return sign;

  const int m = f.mantissa_bits;
  const int64_t sum = static_cast<int64_t>(a & MagnitudeMask(f)) +
                      static_cast<int64_t>(b & MagnitudeMask(f)) -
                      static_cast<int64_t>(f.bias) * (int64_t{1} << m) +
                      (int64_t{1} << (m - LmulOffsetExponent(m)));
  if (sum < (int64_t{1} << m)) return sign;  // below the smallest normal: flush
  if (HasInf(f) && sum >= static_cast<int64_t>(InfMagnitude(f))) return sign | InfMagnitude(f);
  if (sum > static_cast<int64_t>(MaxFiniteMagnitude(f))) return sign | MaxFiniteMagnitude(f);
  return sign | static_cast<uint32_t>(sum);
}

double Lmul(const FloatFormat& f, double x, double y) {
  return DecodeBits(f, LmulBits(f, EncodeBits(f, x), EncodeBits(f, y)));
}

uint32_t ExactMulBits(const FloatFormat& f, uint32_t a, uint32_t b) {
  // Both significands have <= 24 bits and exponents stay far inside double's range
  // (ValidateFloatFormat), so the double product is exact and EncodeBits rounds only once.
  return EncodeBits(f, DecodeBits(f, a) * DecodeBits(f, b));
}

double ExactMul(const FloatFormat& f, double x, double y) {
  return DecodeBits(f, ExactMulBits(f, EncodeBits(f, x), EncodeBits(f, y)));
}

}  // namespace pjsim::numerics
