#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

#include "sim/numerics/dot.h"
#include "sim/numerics/float_format.h"
#include "sim/numerics/float_sum.h"
#include "sim/numerics/lmul.h"

namespace pjsim::numerics {
namespace {

const std::vector<double> kA = {1.0, 1.5, 2.0};
const std::vector<double> kB = {1.0, 1.5, 3.0};

TEST(NumericsDot, LmulDotHandWorked) {
  // L-Mul products in e4m3fn: 1.125, 2.25, 6.5 (see the L-Mul tests); fp32 sum 9.875.
  EXPECT_EQ(Dot(Multiplier::kLmul, kFp8E4M3, kA, kB, kFp32), 9.875);
  // Exact products 1, 2.25, 6.
  EXPECT_EQ(Dot(Multiplier::kExactRounded, kFp8E4M3, kA, kB, kFp32), 9.25);
  EXPECT_EQ(Dot(Multiplier::kExactUnrounded, kFp8E4M3, kA, kB, kFp32), 9.25);
}

TEST(NumericsDot, AccumulatorRoundsAfterEveryAdd) {
  // Accumulating in e4m3fn itself: 1.125 + 2.25 = 3.375 is a tie between 3.25 and 3.5 -> 3.5;
  // 3.5 + 6.5 = 10. Summing the products exactly and rounding once would give 9.875 -> 10 as
  // well, so also check the intermediate: after two terms the result is 3.5, not 3.375.
  EXPECT_EQ(Dot(Multiplier::kLmul, kFp8E4M3, kA, kB, kFp8E4M3), 10.0);
  const std::vector<double> a2(kA.begin(), kA.begin() + 2);
  const std::vector<double> b2(kB.begin(), kB.begin() + 2);
  EXPECT_EQ(Dot(Multiplier::kLmul, kFp8E4M3, a2, b2, kFp8E4M3), 3.5);
  EXPECT_EQ(Dot(Multiplier::kLmul, kFp8E4M3, a2, b2, kFp16), 3.375);
}

TEST(NumericsDot, ProductRoundingVariantsDiffer) {
  // 1.125^2 = 1.265625: rounded to e4m3 it is 1.25; unrounded it reaches the fp32 accumulator.
  const std::vector<double> a = {1.125};
  EXPECT_EQ(Dot(Multiplier::kExactRounded, kFp8E4M3, a, a, kFp32), 1.25);
  EXPECT_EQ(Dot(Multiplier::kExactUnrounded, kFp8E4M3, a, a, kFp32), 1.265625);
  EXPECT_EQ(Dot(Multiplier::kLmul, kFp8E4M3, a, a, kFp32), 1.375);  // 1 + 1/8 + 1/8 + 1/8
}

TEST(NumericsDot, MatchesSequentialPrimitivesOnRandomData) {
  std::mt19937_64 rng(5);
  std::vector<uint32_t> a(300);
  std::vector<uint32_t> b(300);
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = static_cast<uint32_t>(rng() & 0xFF);
    b[i] = static_cast<uint32_t>(rng() & 0xFF);
    if (a[i] == 0x7F || a[i] == 0xFF) a[i] = 0x38;  // keep NaN out so the sum stays informative
  }
  for (size_t i = 0; i < b.size(); ++i) {
    if (b[i] == 0x7F || b[i] == 0xFF) b[i] = 0xB8;
  }
  uint32_t acc = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    acc = AddBits(kFp16, acc,
                  EncodeBits(kFp16, DecodeBits(kFp8E4M3, LmulBits(kFp8E4M3, a[i], b[i]))));
  }
  EXPECT_EQ(LmulDotBits(kFp8E4M3, a, b, kFp16), acc);
  EXPECT_NE(LmulDotBits(kFp8E4M3, a, b, kFp16), ExactDotBits(kFp8E4M3, a, b, kFp16));
}

TEST(NumericsDot, EmptyAndMismatched) {
  EXPECT_EQ(LmulDotBits(kFp8E4M3, {}, {}, kFp32), 0u);
  const std::vector<uint32_t> one = {0x38};
  EXPECT_THROW(LmulDotBits(kFp8E4M3, one, {}, kFp32), std::invalid_argument);
}

}  // namespace
}  // namespace pjsim::numerics
