#include "sim/numerics/float_format.h"

#include <cmath>
#include <stdexcept>

namespace pjsim::numerics {
namespace {

// Exponent field of the largest normal binade.
uint32_t TopNormalField(const FloatFormat& f) {
  const uint32_t all_ones = (uint32_t{1} << f.exponent_bits) - 1;
  return f.specials == SpecialValues::kIeee ? all_ones - 1 : all_ones;
}

}  // namespace

FloatFormat MakeFloatFormat(int exponent_bits, int mantissa_bits, SpecialValues specials) {
  FloatFormat f{exponent_bits, mantissa_bits, 0, specials};
  if (exponent_bits >= 2 && exponent_bits <= 8) f.bias = (1 << (exponent_bits - 1)) - 1;
  ValidateFloatFormat(f);
  return f;
}

void ValidateFloatFormat(const FloatFormat& f) {
  if (f.exponent_bits < 2 || f.exponent_bits > 8) {
    throw std::invalid_argument("float format: exponent_bits must be in [2, 8]");
  }
  if (f.mantissa_bits < 1 || f.mantissa_bits > 23) {
    throw std::invalid_argument("float format: mantissa_bits must be in [1, 23]");
  }
  if (f.bias < 0 || f.bias >= (1 << f.exponent_bits)) {
    throw std::invalid_argument("float format: bias must be in [0, 2^exponent_bits)");
  }
}

std::string FormatName(const FloatFormat& f) {
  if (f == kFp32) return "fp32";
  if (f == kBf16) return "bf16";
  if (f == kFp16) return "fp16";
  std::string name = "e" + std::to_string(f.exponent_bits) + "m" + std::to_string(f.mantissa_bits);
  if (f.specials == SpecialValues::kFiniteNan) name += "fn";
  if (f.bias != (1 << (f.exponent_bits - 1)) - 1) name += "b" + std::to_string(f.bias);
  return name;
}

uint32_t MaxFiniteMagnitude(const FloatFormat& f) {
  const uint32_t mantissa =
      f.specials == SpecialValues::kIeee ? MantissaMask(f) : MantissaMask(f) - 1;
  return (TopNormalField(f) << f.mantissa_bits) | mantissa;
}

uint32_t InfMagnitude(const FloatFormat& f) {
  if (f.specials != SpecialValues::kIeee) {
    throw std::logic_error("float format " + FormatName(f) + " has no infinity");
  }
  return ((uint32_t{1} << f.exponent_bits) - 1) << f.mantissa_bits;
}

uint32_t CanonicalNanBits(const FloatFormat& f) {
  if (f.specials == SpecialValues::kFiniteNan) return MagnitudeMask(f);
  return InfMagnitude(f) | (uint32_t{1} << (f.mantissa_bits - 1));
}

bool HasInf(const FloatFormat& f) { return f.specials == SpecialValues::kIeee; }

void CheckBits(const FloatFormat& f, uint32_t bits) {
  if ((bits & ~(SignMask(f) | MagnitudeMask(f))) != 0) {
    throw std::invalid_argument("bit pattern " + std::to_string(bits) + " does not fit format " +
                                FormatName(f));
  }
}

FloatClass Classify(const FloatFormat& f, uint32_t bits) {
  CheckBits(f, bits);
  const uint32_t magnitude = bits & MagnitudeMask(f);
  const uint32_t field = ExponentField(f, bits);
  const uint32_t mantissa = bits & MantissaMask(f);
  if (field == 0) return mantissa == 0 ? FloatClass::kZero : FloatClass::kSubnormal;
  if (f.specials == SpecialValues::kFiniteNan) {
    return magnitude == MagnitudeMask(f) ? FloatClass::kNan : FloatClass::kNormal;
  }
  if (field == (uint32_t{1} << f.exponent_bits) - 1) {
    return mantissa == 0 ? FloatClass::kInfinite : FloatClass::kNan;
  }
  return FloatClass::kNormal;
}

double DecodeBits(const FloatFormat& f, uint32_t bits) {
  const FloatClass c = Classify(f, bits);
  const bool negative = (bits & SignMask(f)) != 0;
  const uint32_t field = ExponentField(f, bits);
  const double mantissa = static_cast<double>(bits & MantissaMask(f));
  double magnitude = 0.0;
  switch (c) {
    case FloatClass::kNan:
      return std::nan("");
    case FloatClass::kInfinite:
      magnitude = INFINITY;
      break;
    case FloatClass::kZero:
      magnitude = 0.0;
      break;
    case FloatClass::kSubnormal:
      magnitude = std::ldexp(mantissa, 1 - f.bias - f.mantissa_bits);
      break;
    case FloatClass::kNormal:
      magnitude = std::ldexp(std::ldexp(1.0, f.mantissa_bits) + mantissa,
                             static_cast<int>(field) - f.bias - f.mantissa_bits);
      break;
  }
  return negative ? -magnitude : magnitude;
}

uint32_t EncodeBits(const FloatFormat& f, double x) {
  ValidateFloatFormat(f);
  if (std::isnan(x)) return CanonicalNanBits(f);
  const uint32_t sign = std::signbit(x) ? SignMask(f) : 0;
  const double a = std::fabs(x);
  const uint32_t overflow = HasInf(f) ? sign | InfMagnitude(f) : sign | MaxFiniteMagnitude(f);
  if (std::isinf(a)) return overflow;
  if (a == 0.0) return sign;

  // Binade of a, clamped to the smallest normal one so that subnormals share its quantum.
  int frexp_exponent = 0;
  std::frexp(a, &frexp_exponent);
  const int min_normal_exponent = 1 - f.bias;
  const bool subnormal = frexp_exponent - 1 < min_normal_exponent;
  const int exponent = subnormal ? min_normal_exponent : frexp_exponent - 1;
  // a in units of the format's quantum 2^(exponent - m): in [2^m, 2^(m+1)) for normals,
  // [0, 2^m) for subnormals. Power-of-two scaling is exact.
  const double scaled = std::ldexp(a, f.mantissa_bits - exponent);
  const double floor_scaled = std::floor(scaled);
  const double fraction = scaled - floor_scaled;  // exact
  uint64_t n = static_cast<uint64_t>(floor_scaled);
  if (fraction > 0.5 || (fraction == 0.5 && (n & 1) != 0)) ++n;
  if (n == 0) return sign;  // rounded below half the smallest subnormal: signed zero

  // A rounding carry (n == 2^(m+1), or 2^m for a subnormal) propagates into the exponent field
  // by itself because the fields are adjacent.
  const uint64_t magnitude = subnormal
                                 ? n
                                 : (static_cast<uint64_t>(exponent + f.bias) << f.mantissa_bits) +
                                       (n - (uint64_t{1} << f.mantissa_bits));
  if (magnitude > MaxFiniteMagnitude(f)) return overflow;
  return sign | static_cast<uint32_t>(magnitude);
}

double RoundToFormat(const FloatFormat& f, double x) { return DecodeBits(f, EncodeBits(f, x)); }

double MaxFiniteValue(const FloatFormat& f) { return DecodeBits(f, MaxFiniteMagnitude(f)); }

double MinNormalValue(const FloatFormat& f) {
  return DecodeBits(f, uint32_t{1} << f.mantissa_bits);
}

}  // namespace pjsim::numerics
