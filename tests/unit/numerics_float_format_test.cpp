#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>

#include "sim/numerics/float_format.h"
#include "sim/numerics/float_sum.h"

namespace pjsim::numerics {
namespace {

TEST(NumericsFloatFormat, PredefinedFormatsHaveTheirPublishedRanges) {
  EXPECT_EQ(MaxFiniteValue(kFp8E4M3), 448.0);
  EXPECT_EQ(MinNormalValue(kFp8E4M3), 0x1p-6);
  EXPECT_EQ(DecodeBits(kFp8E4M3, 0x01), 0x1p-9);
  EXPECT_EQ(MaxFiniteValue(kFp8E5M2), 57344.0);
  EXPECT_EQ(MinNormalValue(kFp8E5M2), 0x1p-14);
  EXPECT_EQ(DecodeBits(kFp8E5M2, 0x01), 0x1p-16);
  EXPECT_EQ(MaxFiniteValue(kFp16), 65504.0);
  EXPECT_EQ(MaxFiniteValue(kBf16), 0x1.fep127);
  EXPECT_EQ(MaxFiniteValue(kFp32), static_cast<double>(std::numeric_limits<float>::max()));
  EXPECT_EQ(MaxFiniteValue(MakeFloatFormat(3, 4)), 15.5);
  EXPECT_EQ(FormatName(kFp8E4M3), "e4m3fn");
  EXPECT_EQ(FormatName(kFp8E5M2), "e5m2");
  EXPECT_EQ(FormatName(kBf16), "bf16");
  EXPECT_EQ(FormatName(MakeFloatFormat(3, 4)), "e3m4");
  EXPECT_EQ(FormatName(FloatFormat{4, 3, 8, SpecialValues::kIeee}), "e4m3b8");
}

TEST(NumericsFloatFormat, SpecialEncodings) {
  // e4m3fn: no inf; S.1111.111 is NaN, S.1111.110 is the finite 448.
  EXPECT_EQ(Classify(kFp8E4M3, 0x7F), FloatClass::kNan);
  EXPECT_EQ(Classify(kFp8E4M3, 0xFF), FloatClass::kNan);
  EXPECT_EQ(Classify(kFp8E4M3, 0x78), FloatClass::kNormal);
  EXPECT_EQ(DecodeBits(kFp8E4M3, 0x78), 256.0);
  EXPECT_EQ(DecodeBits(kFp8E4M3, 0xFE), -448.0);
  EXPECT_FALSE(HasInf(kFp8E4M3));
  EXPECT_THROW(InfMagnitude(kFp8E4M3), std::logic_error);
  // e5m2: IEEE-like.
  EXPECT_EQ(Classify(kFp8E5M2, 0x7C), FloatClass::kInfinite);
  EXPECT_EQ(DecodeBits(kFp8E5M2, 0xFC), -INFINITY);
  EXPECT_EQ(Classify(kFp8E5M2, 0x7D), FloatClass::kNan);
  EXPECT_EQ(Classify(kFp8E5M2, 0x03), FloatClass::kSubnormal);
  EXPECT_EQ(Classify(kFp8E5M2, 0x80), FloatClass::kZero);
  EXPECT_TRUE(std::signbit(DecodeBits(kFp8E5M2, 0x80)));
  EXPECT_EQ(CanonicalNanBits(kFp8E5M2), 0x7Eu);
  EXPECT_EQ(CanonicalNanBits(kFp8E4M3), 0x7Fu);
  EXPECT_EQ(CanonicalNanBits(kFp32), 0x7FC00000u);
  EXPECT_THROW(DecodeBits(kFp8E4M3, 0x100), std::invalid_argument);
}

TEST(NumericsFloatFormat, RejectsUnsupportedFormats) {
  EXPECT_THROW(MakeFloatFormat(1, 3), std::invalid_argument);
  EXPECT_THROW(MakeFloatFormat(9, 3), std::invalid_argument);
  EXPECT_THROW(MakeFloatFormat(4, 0), std::invalid_argument);
  EXPECT_THROW(MakeFloatFormat(8, 24), std::invalid_argument);
  EXPECT_THROW(ValidateFloatFormat(FloatFormat{4, 3, 16, SpecialValues::kIeee}),
               std::invalid_argument);
}

TEST(NumericsFloatFormat, EncodeRoundsToNearestEvenE4m3) {
  const FloatFormat f = kFp8E4M3;
  EXPECT_EQ(EncodeBits(f, 1.0), 0x38u);
  EXPECT_EQ(EncodeBits(f, 1.0625), 0x38u);     // tie between 1.0 (even) and 1.125
  EXPECT_EQ(EncodeBits(f, 1.0625001), 0x39u);  // just above the tie
  EXPECT_EQ(EncodeBits(f, 1.1875), 0x3Au);     // tie between 1.125 and 1.25 (even)
  EXPECT_EQ(EncodeBits(f, 1.9375), 0x40u);     // tie rounds up into the next binade: 2.0
  EXPECT_EQ(EncodeBits(f, -3.3), 0xC5u);       // -3.25
  EXPECT_EQ(EncodeBits(f, -0.0), 0x80u);
  EXPECT_EQ(EncodeBits(f, 0.0), 0x00u);
}

TEST(NumericsFloatFormat, EncodeSubnormalsAndUnderflowE4m3) {
  const FloatFormat f = kFp8E4M3;
  EXPECT_EQ(EncodeBits(f, 0x1p-9), 0x01u);        // smallest subnormal
  EXPECT_EQ(EncodeBits(f, 0x1p-10), 0x00u);       // half of it: tie to even zero
  EXPECT_EQ(EncodeBits(f, -0x1p-10), 0x80u);      // ... keeping the sign
  EXPECT_EQ(EncodeBits(f, 0x1.0001p-10), 0x01u);  // just above half
  EXPECT_EQ(EncodeBits(f, 3 * 0x1p-10), 0x02u);   // 1.5 quanta: tie to even 2
  EXPECT_EQ(EncodeBits(f, 7 * 0x1p-9), 0x07u);    // largest subnormal
  EXPECT_EQ(EncodeBits(f, 7.5 * 0x1p-9), 0x08u);  // tie carries into the smallest normal
  EXPECT_EQ(EncodeBits(f, 1e-30), 0x00u);
}

TEST(NumericsFloatFormat, EncodeOverflowSaturatesFnAndGoesToInfIeee) {
  EXPECT_EQ(EncodeBits(kFp8E4M3, 448.0), 0x7Eu);
  EXPECT_EQ(EncodeBits(kFp8E4M3, 464.0), 0x7Eu);  // tie: 448 is even
  EXPECT_EQ(EncodeBits(kFp8E4M3, 470.0), 0x7Eu);  // would round to 480 = NaN pattern: saturate
  EXPECT_EQ(EncodeBits(kFp8E4M3, -1e9), 0xFEu);
  EXPECT_EQ(EncodeBits(kFp8E4M3, INFINITY), 0x7Eu);
  EXPECT_EQ(EncodeBits(kFp8E4M3, -INFINITY), 0xFEu);
  EXPECT_EQ(EncodeBits(kFp8E4M3, NAN), 0x7Fu);
  EXPECT_EQ(EncodeBits(kFp8E5M2, 57344.0), 0x7Bu);
  EXPECT_EQ(EncodeBits(kFp8E5M2, 61439.0), 0x7Bu);
  EXPECT_EQ(EncodeBits(kFp8E5M2, 61440.0), 0x7Cu);  // tie between max (odd) and 2^16: inf
  EXPECT_EQ(EncodeBits(kFp8E5M2, -1e6), 0xFCu);
  EXPECT_EQ(EncodeBits(kFp8E5M2, -INFINITY), 0xFCu);
  EXPECT_EQ(EncodeBits(kFp8E5M2, NAN), 0x7Eu);
}

TEST(NumericsFloatFormat, DecodeEncodeRoundTripsEveryPattern) {
  for (const FloatFormat& f : {kFp8E4M3, kFp8E5M2, kFp16, kBf16, MakeFloatFormat(3, 4)}) {
    for (uint32_t bits = 0; bits < (uint32_t{1} << TotalBits(f)); ++bits) {
      if (Classify(f, bits) == FloatClass::kNan) continue;
      ASSERT_EQ(EncodeBits(f, DecodeBits(f, bits)), bits) << FormatName(f) << " " << bits;
    }
  }
}

TEST(NumericsFloatFormat, Fp32EncodeMatchesTheHardwareConversion) {
  // The CPU's double->float conversion rounds to nearest even: an independent oracle.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    const uint64_t raw = rng();
    // Exponents spanning fp32 underflow, subnormals and normals (overflow is tested below: a
    // double->float conversion out of range is not defined by C++).
    const int exponent = static_cast<int>(raw % 287) - 160;
    double x = std::ldexp(1.0 + static_cast<double>(raw >> 12) * 0x1p-52, exponent);
    if ((raw & 1) != 0) x = -x;
    if (i % 4 == 0) {  // exact ties: a 25-bit significand
      x = std::ldexp(static_cast<double>((raw >> 39) | (uint64_t{1} << 24) | 1), exponent - 24);
    }
    const uint32_t expected = std::bit_cast<uint32_t>(static_cast<float>(x));
    ASSERT_EQ(EncodeBits(kFp32, x), expected) << std::hexfloat << x;
    ASSERT_EQ(DecodeBits(kFp32, expected), static_cast<double>(static_cast<float>(x)));
  }
  EXPECT_EQ(EncodeBits(kFp32, 0x1.fffffefp127), 0x7F7FFFFFu);  // below the midpoint to 2^128
  EXPECT_EQ(EncodeBits(kFp32, 0x1.ffffffp127), 0x7F800000u);   // the midpoint: inf (even)
  EXPECT_EQ(EncodeBits(kFp32, -0x1p200), 0xFF800000u);
}

TEST(NumericsFloatSum, RoundsTheExactSumOnce) {
  // 1 + 2^-24 + 2^-60: the exact sum is just above the fp32 midpoint, so it rounds up. Rounding
  // to double first would lose 2^-60, land on the tie and round down to 1.
  const double x = 1.0;
  const double y = 0x1p-24 + 0x1p-60;
  EXPECT_EQ(EncodeBits(kFp32, x + y), EncodeBits(kFp32, 1.0));  // the naive double rounding
  EXPECT_EQ(EncodeSum(kFp32, x, y), EncodeBits(kFp32, 1.0 + 0x1p-23));
  EXPECT_EQ(EncodeSum(kFp32, -x, -y), EncodeBits(kFp32, -1.0 - 0x1p-23));
  // Just below the midpoint from the other side.
  EXPECT_EQ(EncodeSum(kFp32, 1.0, 0x1p-24 - 0x1p-60), EncodeBits(kFp32, 1.0));
  // Exact ties still go to even.
  EXPECT_EQ(EncodeSum(kFp32, 1.0, 0x1p-24), EncodeBits(kFp32, 1.0));
  EXPECT_EQ(EncodeSum(kFp32, 1.0 + 0x1p-23, 0x1p-24), EncodeBits(kFp32, 1.0 + 0x1p-22));
}

TEST(NumericsFloatSum, ZeroSignsAndSpecials) {
  EXPECT_EQ(EncodeSum(kFp16, -0.0, -0.0), 0x8000u);
  EXPECT_EQ(EncodeSum(kFp16, -0.0, 0.0), 0x0000u);
  EXPECT_EQ(EncodeSum(kFp16, 1.5, -1.5), 0x0000u);
  EXPECT_EQ(EncodeSum(kFp16, INFINITY, -INFINITY), CanonicalNanBits(kFp16));
  EXPECT_EQ(EncodeSum(kFp16, 65504.0, 65504.0), 0x7C00u);
  EXPECT_EQ(AddBits(kFp8E4M3, 0x7E, 0x7E), 0x7Eu);  // 448 + 448 saturates
  EXPECT_EQ(AddBits(kFp8E4M3, 0x38, 0x38), 0x40u);  // 1 + 1 = 2
}

}  // namespace
}  // namespace pjsim::numerics
