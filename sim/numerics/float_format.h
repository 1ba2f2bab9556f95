#pragma once
// Small binary floating-point formats (fp32 down to fp8) and bit-exact conversion to and from
// double. This is the golden definition that tile models, RTL test benches and tests compare to.
//
// A value is stored in the low 1+e+m bits of a uint32_t: sign | exponent (e bits) | mantissa
// (m bits). Exponent field 0 holds zero and subnormals; fields 1.. hold normals
// (1.f * 2^(field - bias)). The top exponent field depends on `specials`:
//   kIeee       IEEE 754 style: field all-ones is inf (mantissa 0) or NaN (mantissa != 0).
//   kFiniteNan  OCP "FN" style (fp8 e4m3): no inf; only S.1..1.1..1 is NaN, so the top field
//               also holds normals (e4m3: max finite S.1111.110 = 448).
//
// Encoding (double -> bits) rounds to nearest, ties to even, with gradual underflow
// (subnormals) and a signed zero when the value rounds below the smallest subnormal. Overflow
// (the rounded value exceeds the largest finite value):
//   kIeee       -> +-inf (what IEEE round-to-nearest does);
//   kFiniteNan  -> +-max finite ("saturate to finite", as OCP's SATFINITE conversion); an
//                  infinite input also saturates, since the format has no inf.
// A NaN input encodes as the canonical NaN (sign 0; kIeee: exponent all-ones and mantissa MSB
// set, i.e. a quiet NaN; kFiniteNan: all ones). Decoding is exact (every value fits a double).
#include <cstdint>
#include <string>

namespace pjsim::numerics {

enum class SpecialValues { kIeee, kFiniteNan };

struct FloatFormat {
  int exponent_bits = 8;
  int mantissa_bits = 23;
  int bias = 127;
  SpecialValues specials = SpecialValues::kIeee;

  friend bool operator==(const FloatFormat&, const FloatFormat&) = default;
};

inline constexpr FloatFormat kFp32{8, 23, 127, SpecialValues::kIeee};
inline constexpr FloatFormat kBf16{8, 7, 127, SpecialValues::kIeee};
inline constexpr FloatFormat kFp16{5, 10, 15, SpecialValues::kIeee};
inline constexpr FloatFormat kFp8E4M3{4, 3, 7, SpecialValues::kFiniteNan};  // OCP E4M3 (FN)
inline constexpr FloatFormat kFp8E5M2{5, 2, 15, SpecialValues::kIeee};      // OCP E5M2

// A generic format with the IEEE bias 2^(e-1)-1, e.g. MakeFloatFormat(3, 4) for "e3m4".
FloatFormat MakeFloatFormat(int exponent_bits, int mantissa_bits,
                            SpecialValues specials = SpecialValues::kIeee);

// Supported: 2 <= e <= 8, 1 <= m <= 23, 0 <= bias < 2^e. These bounds keep every value, and
// every product of two values, exact in a double. Throws std::invalid_argument otherwise.
void ValidateFloatFormat(const FloatFormat& f);

// "fp32", "bf16", "fp16", "e4m3fn", "e5m2" for the predefined formats, else e.g. "e3m4" (with
// "fn" for kFiniteNan and "b<bias>" when the bias is not 2^(e-1)-1).
std::string FormatName(const FloatFormat& f);

enum class FloatClass { kZero, kSubnormal, kNormal, kInfinite, kNan };

// Bit-field helpers (all on the low 1+e+m bits).
constexpr int TotalBits(const FloatFormat& f) { return 1 + f.exponent_bits + f.mantissa_bits; }
constexpr uint32_t SignMask(const FloatFormat& f) {
  return uint32_t{1} << (f.exponent_bits + f.mantissa_bits);
}
constexpr uint32_t MagnitudeMask(const FloatFormat& f) { return SignMask(f) - 1; }
constexpr uint32_t MantissaMask(const FloatFormat& f) {
  return (uint32_t{1} << f.mantissa_bits) - 1;
}
constexpr uint32_t ExponentField(const FloatFormat& f, uint32_t bits) {
  return (bits & MagnitudeMask(f)) >> f.mantissa_bits;
}
// Magnitude (exponent||mantissa) of the largest finite value.
uint32_t MaxFiniteMagnitude(const FloatFormat& f);
// Magnitude of inf; only meaningful for kIeee (throws std::logic_error for kFiniteNan).
uint32_t InfMagnitude(const FloatFormat& f);
uint32_t CanonicalNanBits(const FloatFormat& f);
bool HasInf(const FloatFormat& f);

// Throws std::invalid_argument if bits above the format's width are set.
void CheckBits(const FloatFormat& f, uint32_t bits);

FloatClass Classify(const FloatFormat& f, uint32_t bits);
double DecodeBits(const FloatFormat& f, uint32_t bits);
uint32_t EncodeBits(const FloatFormat& f, double x);
// DecodeBits(EncodeBits(x)): x rounded to the nearest value of the format.
double RoundToFormat(const FloatFormat& f, double x);
double MaxFiniteValue(const FloatFormat& f);
double MinNormalValue(const FloatFormat& f);

}  // namespace pjsim::numerics
