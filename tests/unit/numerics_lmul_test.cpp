#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>

#include "sim/numerics/float_format.h"
#include "sim/numerics/lmul.h"

namespace pjsim::numerics {
namespace {

TEST(NumericsLmul, OffsetExponentFollowsThePaper) {
  EXPECT_EQ(LmulOffsetExponent(1), 1);
  EXPECT_EQ(LmulOffsetExponent(2), 2);
  EXPECT_EQ(LmulOffsetExponent(3), 3);
  EXPECT_EQ(LmulOffsetExponent(4), 3);
  EXPECT_EQ(LmulOffsetExponent(5), 4);
  EXPECT_EQ(LmulOffsetExponent(7), 4);
  EXPECT_EQ(LmulOffsetExponent(10), 4);
  EXPECT_EQ(LmulOffsetExponent(23), 4);
  EXPECT_THROW(LmulOffsetExponent(0), std::invalid_argument);
}

// e4m3fn: bias 7, m = 3, l = 3, so the offset is one mantissa LSB and
// N = A + B - 56 + 1 on the 7-bit magnitudes.
TEST(NumericsLmul, HandWorkedE4m3Examples) {
  const FloatFormat f = kFp8E4M3;
  // 1 x 1: 0x38 + 0x38 - 56 + 1 = 57 = 0x39 = 1.125 (the offset 2^-3 replaces xm*ym = 0).
  EXPECT_EQ(LmulBits(f, 0x38, 0x38), 0x39u);
  // 1.5 x 1.5: 60 + 60 - 55 = 65 = 0x41 = 2 * 1.125 = 2.25; the mantissa sum 0.5+0.5+0.125
  // carried into the exponent, and here L-Mul happens to be exact.
  EXPECT_EQ(LmulBits(f, 0x3C, 0x3C), 0x41u);
  EXPECT_EQ(DecodeBits(f, 0x41), 2.25);
  // 1.75 x 1.75 (exact 3.0625): 62 + 62 - 55 = 69 = 0x45 = 3.25 = (0.75+0.75+0.125) * 2.
  EXPECT_EQ(LmulBits(f, 0x3E, 0x3E), 0x45u);
  // 2 x 3 (exact 6): 64 + 68 - 55 = 77 = 0x4D = 6.5 = (1 + 0.5 + 0.125) * 2^2.
  EXPECT_EQ(LmulBits(f, 0x40, 0x44), 0x4Du);
  EXPECT_EQ(Lmul(f, 2.0, 3.0), 6.5);
  // Signs XOR: -1.25 x 2 = -(1 + 0.25 + 0.125) * 2 = -2.75 = 0xC3.
  EXPECT_EQ(LmulBits(f, 0xBA, 0x40), 0xC3u);
  EXPECT_EQ(LmulBits(f, 0xBA, 0xC0), 0x43u);
  EXPECT_EQ(Lmul(f, -1.25, 2.0), -2.75);
  // Smallest normal times 1 stays normal: 8 + 56 - 55 = 9 = 2^-6 * 1.125.
  EXPECT_EQ(LmulBits(f, 0x08, 0x38), 0x09u);
}

TEST(NumericsLmul, HandWorkedE5m2AndFp32Examples) {
  // e5m2: bias 15, m = 2, l = 2: 1 x 1 = 1.25 (offset 2^-2).
  EXPECT_EQ(LmulBits(kFp8E5M2, 0x3C, 0x3C), 0x3Du);
  EXPECT_EQ(Lmul(kFp8E5M2, 1.0, 1.0), 1.25);
  // fp32: the paper's integer form, a + b - 0x3F780000 (bias 0x3F800000 minus the offset
  // 2^-4 = 0x80000 at the mantissa LSB), for positive normal operands without range issues.
  std::mt19937_64 rng(3);
  for (int i = 0; i < 10000; ++i) {
    const float x = std::ldexp(1.0f + static_cast<float>(rng() >> 41) * 0x1p-23f,
                               static_cast<int>(rng() % 60) - 30);
    const float y = std::ldexp(1.0f + static_cast<float>(rng() >> 41) * 0x1p-23f,
                               static_cast<int>(rng() % 60) - 30);
    const uint32_t a = std::bit_cast<uint32_t>(x);
    const uint32_t b = std::bit_cast<uint32_t>(y);
    ASSERT_EQ(LmulBits(kFp32, a, b), a + b - 0x3F780000u) << x << " * " << y;
    ASSERT_EQ(LmulBits(kFp32, a | 0x80000000u, b), (a + b - 0x3F780000u) | 0x80000000u);
  }
  // bf16 is fp32 truncated: same constant >> 16.
  EXPECT_EQ(LmulBits(kBf16, 0x3FC0, 0x3FC0), 0x3FC0u + 0x3FC0u - 0x3F78u);
}

TEST(NumericsLmul, ZerosAndSubnormalsGiveSignedZero) {
  const FloatFormat f = kFp8E4M3;
  EXPECT_EQ(LmulBits(f, 0x00, 0x38), 0x00u);
  EXPECT_EQ(LmulBits(f, 0x80, 0x38), 0x80u);
  EXPECT_EQ(LmulBits(f, 0x80, 0xB8), 0x00u);
  EXPECT_EQ(LmulBits(f, 0x38, 0x80), 0x80u);
  // Subnormal operands are flushed to zero (sign kept), even times the largest value.
  EXPECT_EQ(LmulBits(f, 0x01, 0x7E), 0x00u);
  EXPECT_EQ(LmulBits(f, 0x87, 0x7E), 0x80u);
  EXPECT_EQ(LmulBits(f, 0x07, 0xFE), 0x80u);  // + x - = -0
}

TEST(NumericsLmul, NanAndInf) {
  // e4m3fn: NaN in, canonical NaN out (either sign, with anything, even zero).
  EXPECT_EQ(LmulBits(kFp8E4M3, 0x7F, 0x38), 0x7Fu);
  EXPECT_EQ(LmulBits(kFp8E4M3, 0x00, 0xFF), 0x7Fu);
  // e5m2: inf x finite = inf with the XOR sign; inf x 0 or subnormal = NaN.
  EXPECT_EQ(LmulBits(kFp8E5M2, 0x7C, 0x40), 0x7Cu);
  EXPECT_EQ(LmulBits(kFp8E5M2, 0x7C, 0xC0), 0xFCu);
  EXPECT_EQ(LmulBits(kFp8E5M2, 0xFC, 0xFC), 0x7Cu);
  EXPECT_EQ(LmulBits(kFp8E5M2, 0x7C, 0x00), 0x7Eu);
  EXPECT_EQ(LmulBits(kFp8E5M2, 0x80, 0xFC), 0x7Eu);
  EXPECT_EQ(LmulBits(kFp8E5M2, 0x7C, 0x01), 0x7Eu);
  EXPECT_EQ(LmulBits(kFp8E5M2, 0x7D, 0x3C), 0x7Eu);
  EXPECT_EQ(LmulBits(kFp8E5M2, 0x7C, 0xFF), 0x7Eu);
  EXPECT_TRUE(std::isnan(Lmul(kFp32, NAN, 1.0)));
  EXPECT_EQ(Lmul(kFp32, -INFINITY, 2.0), -INFINITY);
}

TEST(NumericsLmul, OverflowSaturatesFnAndGoesToInfIeee) {
  // e4m3fn: 448 x 2 -> 126 + 64 - 55 = 135 > 126: max finite.
  EXPECT_EQ(LmulBits(kFp8E4M3, 0x7E, 0x40), 0x7Eu);
  EXPECT_EQ(LmulBits(kFp8E4M3, 0xFE, 0x40), 0xFEu);
  // 256 x 1.75 -> 120 + 62 - 55 = 127 = 0x7F, the NaN pattern: must saturate, not be NaN.
  EXPECT_EQ(LmulBits(kFp8E4M3, 0x78, 0x3E), 0x7Eu);
  // ... while 256 x 1.5 -> 125 = 0x7D = 416 is in range.
  EXPECT_EQ(LmulBits(kFp8E4M3, 0x78, 0x3C), 0x7Du);
  // e5m2: max 57344 x 2 -> inf.
  EXPECT_EQ(LmulBits(kFp8E5M2, 0x7B, 0x40), 0x7Cu);
  EXPECT_EQ(LmulBits(kFp8E5M2, 0x7B, 0xC0), 0xFCu);
  EXPECT_EQ(Lmul(kFp32, 1e30, 1e30), INFINITY);
}

TEST(NumericsLmul, UnderflowFlushesToSignedZero) {
  // e4m3fn: 2^-6 x 0.5 -> 8 + 48 - 55 = 1 < 8 (exponent field 0): zero, not the subnormal 0x01.
  EXPECT_EQ(LmulBits(kFp8E4M3, 0x08, 0x30), 0x00u);
  EXPECT_EQ(LmulBits(kFp8E4M3, 0x88, 0x30), 0x80u);
  // Far below: the integer sum is negative.
  EXPECT_EQ(LmulBits(kFp8E4M3, 0x08, 0x88), 0x80u);
  EXPECT_EQ(Lmul(kFp32, 1e-30, -1e-30), 0.0);
  EXPECT_TRUE(std::signbit(Lmul(kFp32, 1e-30, -1e-30)));
}

TEST(NumericsExactMul, RoundsTheExactProductToNearestEven) {
  const FloatFormat f = kFp8E4M3;
  EXPECT_EQ(ExactMul(f, 1.125, 1.125), 1.25);  // 1.265625 -> nearest 1.25
  EXPECT_EQ(ExactMul(f, 1.25, 1.25), 1.5);     // 1.5625: tie -> 1.5 (mantissa 100, even)
  EXPECT_EQ(ExactMul(f, 1.125, 1.5), 1.75);    // 1.6875: tie -> 1.75 (mantissa 110, even)
  EXPECT_EQ(ExactMul(f, 2.0, 3.0), 6.0);
  EXPECT_EQ(ExactMul(f, -1.25, 2.0), -2.5);
  EXPECT_EQ(ExactMulBits(f, 0x7E, 0x40), 0x7Eu);  // 896 saturates
  EXPECT_EQ(ExactMulBits(f, 0x01, 0x38), 0x01u);  // subnormals are kept
  EXPECT_EQ(ExactMulBits(f, 0x01, 0x30), 0x00u);  // 2^-10: tie to zero
  EXPECT_EQ(ExactMulBits(f, 0x81, 0x30), 0x80u);
  EXPECT_EQ(ExactMulBits(f, 0x7F, 0x00), 0x7Fu);
  EXPECT_EQ(ExactMulBits(kFp8E5M2, 0x7C, 0x00), 0x7Eu);
  EXPECT_EQ(ExactMulBits(kFp8E5M2, 0x7C, 0x81), 0xFCu);  // inf x -subnormal = -inf
  EXPECT_EQ(ExactMulBits(kFp8E5M2, 0x7B, 0x40), 0x7Cu);
  // fp32: agrees with the CPU's float multiply.
  std::mt19937_64 rng(11);
  for (int i = 0; i < 10000; ++i) {
    const float x = std::bit_cast<float>(static_cast<uint32_t>(rng()) & 0xBFFFFFFFu);
    const float y = std::bit_cast<float>(static_cast<uint32_t>(rng()) & 0xBFFFFFFFu);
    const float p = x * y;
    if (std::isnan(p)) continue;
    ASSERT_EQ(ExactMulBits(kFp32, std::bit_cast<uint32_t>(x), std::bit_cast<uint32_t>(y)),
              std::bit_cast<uint32_t>(p));
  }
}

TEST(NumericsLmul, ErrorIsBoundedForEveryFp16Mantissa) {
  // For in-range operands the error depends on the mantissas only. With l = 4 the worst case is
  // xm = ym -> 15/32 from either side of the mantissa carry: 2 / (1 + 15/32)^2 - 1 = -7.29%.
  // A wrong offset or carry handling moves this bound.
  double worst = 0.0;
  for (uint32_t ma = 0; ma < 1024; ma += 3) {
    for (uint32_t mb = 0; mb < 1024; ++mb) {
      const uint32_t a = 0x3C00u | ma;
      const uint32_t b = 0x3C00u | mb;
      const double exact = DecodeBits(kFp16, a) * DecodeBits(kFp16, b);
      const double approx = DecodeBits(kFp16, LmulBits(kFp16, a, b));
      worst = std::max(worst, std::fabs(approx - exact) / exact);
    }
  }
  EXPECT_GT(worst, 0.070);
  EXPECT_LT(worst, 0.0735);
}

}  // namespace
}  // namespace pjsim::numerics
