#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

#include "sim/numerics/ternary.h"

namespace pjsim::numerics {
namespace {

TEST(NumericsTernary, RoundHalfEven) {
  EXPECT_EQ(RoundHalfEven(0.5), 0.0);
  EXPECT_EQ(RoundHalfEven(1.5), 2.0);
  EXPECT_EQ(RoundHalfEven(2.5), 2.0);
  EXPECT_EQ(RoundHalfEven(-0.5), 0.0);
  EXPECT_EQ(RoundHalfEven(-1.5), -2.0);
  EXPECT_EQ(RoundHalfEven(-2.5), -2.0);
  EXPECT_EQ(RoundHalfEven(2.4999), 2.0);
  EXPECT_EQ(RoundHalfEven(-2.5001), -3.0);
  EXPECT_EQ(RoundHalfEven(63.5), 64.0);
}

TEST(NumericsTernary, AbsmeanHandExample) {
  // mean|W| = (0.5 + 1 + 0.1 + 2.4) / 4 = 1.0, gamma = 1 + 1e-5.
  const std::vector<float> w = {0.5f, -1.0f, 0.1f, 2.4f};
  const QuantizedWeights q = AbsmeanTernaryQuantize(w);
  EXPECT_NEAR(q.scale, 1.0 + 1e-5, 1e-7);
  // 0.5/gamma just below 0.5 -> 0; -1/gamma -> -1; 0.1 -> 0; 2.4 -> 2 clamped to 1.
  EXPECT_EQ(q.values, (std::vector<int8_t>{0, -1, 0, 1}));
  // mean|W| = 1.25 and eps = 0.25 give gamma = 1.5 exactly: 3/1.5 = 2 -> clamped to 1, -1/1.5 =
  // -0.67 -> -1, and 0.75/1.5 = 0.5 is a tie that rounds to even 0.
  const std::vector<float> w2 = {3.0f, -1.0f, 0.75f, -0.25f};
  EXPECT_EQ(AbsmeanTernaryQuantize(w2, 0.25).values, (std::vector<int8_t>{1, -1, 0, 0}));
  const std::vector<float> zeros(7, 0.0f);
  const QuantizedWeights qz = AbsmeanTernaryQuantize(zeros);
  EXPECT_EQ(qz.scale, 1e-5);
  EXPECT_EQ(qz.values, std::vector<int8_t>(7, 0));
}

TEST(NumericsTernary, AbsmeanReconstructionErrorIsBounded) {
  // Every |W| <= gamma/2 maps to 0 and every |W| in (gamma/2, 3 gamma/2) to sign(W).
  std::mt19937_64 rng(9);
  std::vector<float> w(1000);
  for (float& x : w) x = static_cast<float>(static_cast<double>(rng() % 20001) / 10000.0 - 1.0);
  const QuantizedWeights q = AbsmeanTernaryQuantize(w);
  for (size_t i = 0; i < w.size(); ++i) {
    const double r = w[i] / q.scale;
    const int expected = std::fabs(r) < 0.5 ? 0 : (r > 0 ? 1 : -1);
    if (std::fabs(std::fabs(r) - 0.5) > 1e-12) {
      ASSERT_EQ(q.values[i], expected) << w[i];
    }
  }
}

TEST(NumericsTernary, SignBinary) {
  const std::vector<float> w = {0.0f, -0.5f, 2.0f, -0.0f};
  const QuantizedWeights q = SignBinaryQuantize(w);
  EXPECT_EQ(q.values, (std::vector<int8_t>{1, -1, 1, 1}));
  EXPECT_DOUBLE_EQ(q.scale, 2.5 / 4);
}

TEST(NumericsTernary, AbsmaxHandExample) {
  const std::vector<float> x = {0.5f, -1.0f, 0.25f, 0.0f, 0.999f};
  const QuantizedActivations q = AbsmaxInt8Quantize(x);
  EXPECT_EQ(q.scale, 127.0);
  // 63.5 -> 64 (tie to even), -127, 31.75 -> 32, 0, 126.873 -> 127.
  EXPECT_EQ(q.values, (std::vector<int8_t>{64, -127, 32, 0, 127}));
}

TEST(NumericsTernary, AbsmaxAllZeroRowIsDefined) {
  const std::vector<float> x(16, 0.0f);
  const QuantizedActivations q = AbsmaxInt8Quantize(x);
  EXPECT_EQ(q.scale, 127.0 / 1e-5);
  EXPECT_TRUE(std::isfinite(q.scale));
  EXPECT_EQ(q.values, std::vector<int8_t>(16, 0));
  EXPECT_THROW(AbsmaxInt8Quantize(std::vector<float>{}), std::invalid_argument);
  EXPECT_THROW(AbsmaxInt8Quantize(std::vector<float>{1.0f, NAN}), std::invalid_argument);
}

TEST(NumericsTernary, DotMatchesPlainIntegerArithmetic) {
  std::mt19937_64 rng(21);
  for (int trial = 0; trial < 50; ++trial) {
    const size_t n = static_cast<size_t>(rng() % 3000);
    std::vector<int8_t> w(n);
    std::vector<int8_t> x(n);
    int64_t expected = 0;
    int64_t nonzero = 0;
    for (size_t i = 0; i < n; ++i) {
      w[i] = static_cast<int8_t>(static_cast<int>(rng() % 3) - 1);
      x[i] = static_cast<int8_t>(static_cast<int>(rng() % 256) - 128);
      expected += static_cast<int64_t>(w[i]) * x[i];
      nonzero += w[i] != 0;
    }
    const TernaryDotResult r = TernaryDot(w, x);
    ASSERT_EQ(r.sum, expected);
    ASSERT_EQ(r.adds, nonzero);
  }
}

TEST(NumericsTernary, DotExtremesAndErrors) {
  // The largest magnitude: all w = -1, x = -128.
  const std::vector<int8_t> w(5000, -1);
  const std::vector<int8_t> x(5000, -128);
  EXPECT_EQ(TernaryDot(w, x).sum, 640000);
  EXPECT_EQ(TernaryDot(w, x).adds, 5000);
  const std::vector<int8_t> bad = {0, 2};
  const std::vector<int8_t> two = {1, 1};
  EXPECT_THROW(TernaryDot(bad, two), std::invalid_argument);
  EXPECT_THROW(TernaryDot(two, x), std::invalid_argument);
}

TEST(NumericsTernary, QuantizedDotApproximatesTheRealDot) {
  std::mt19937_64 rng(4);
  std::vector<float> w(4096);
  std::vector<float> x(4096);
  for (float& v : w) v = static_cast<float>(static_cast<double>(rng() % 2001) / 1000.0 - 1.0);
  for (float& v : x) v = static_cast<float>(static_cast<double>(rng() % 2001) / 1000.0 - 1.0);
  const QuantizedWeights qw = AbsmeanTernaryQuantize(w);
  const QuantizedActivations qx = AbsmaxInt8Quantize(x);
  const TernaryDotResult r = TernaryDot(qw.values, qx.values);
  double dequantized_weights_dot = 0.0;  // the same dot with W replaced by values * scale
  for (size_t i = 0; i < w.size(); ++i) {
    dequantized_weights_dot += qw.values[i] * qw.scale * static_cast<double>(x[i]);
  }
  // Only activation rounding separates the two: |error| <= sum|w_q| * scale * 0.5 / s.
  const double bound = static_cast<double>(r.adds) * qw.scale * 0.5 / qx.scale;
  EXPECT_NEAR(DequantizeDot(r.sum, qw.scale, qx.scale), dequantized_weights_dot, bound);
}

}  // namespace
}  // namespace pjsim::numerics
