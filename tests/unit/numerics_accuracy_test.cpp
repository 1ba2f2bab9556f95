#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

#include "sim/numerics/lmul_accuracy.h"
#include "sim/numerics/portable_random.h"

namespace pjsim::numerics {
namespace {

const AccuracyRow& Row(const AccuracyTable& t, const std::string& method,
                       const std::string& distribution) {
  for (const AccuracyRow& row : t.rows) {
    if (row.method == method && row.distribution == distribution) return row;
  }
  throw std::runtime_error("no row " + method + " / " + distribution);
}

TEST(NumericsPortableRandom, UniformUsesTheStandardGeneratorOutput) {
  std::mt19937_64 rng;  // default seed 5489: the standard fixes the first output
  EXPECT_EQ(UniformUnit(rng), static_cast<double>(14514284786278117030ull >> 11) * 0x1p-53);
  std::mt19937_64 rng2(123);
  for (int i = 0; i < 1000; ++i) {
    const double u = UniformSymmetric(rng2);
    ASSERT_GE(u, -1.0);
    ASSERT_LT(u, 1.0);
  }
}

TEST(NumericsPortableRandom, Int8IsTheTopByteOfOneDrawAndCoversTheRange) {
  std::mt19937_64 rng;  // first output 14514284786278117030 = 0xC96D191CF6F6AEA6
  EXPECT_EQ(UniformInt8(rng), static_cast<std::int8_t>(0xC9));
  std::mt19937_64 rng2(7);
  int lowest = 0, highest = 0;
  for (int i = 0; i < 100000; ++i) {
    const int v = UniformInt8(rng2);
    lowest = std::min(lowest, v);
    highest = std::max(highest, v);
  }
  EXPECT_EQ(lowest, -128);
  EXPECT_EQ(highest, 127);
}

TEST(NumericsPortableRandom, LogIsAccurate) {
  for (const double x : {1e-300, 1e-10, 0.1, 0.5, 0.70710678, 0.9999999, 1.0, 1.0000001, 2.0, 3.0,
                         10.0, 12345.678, 1e300}) {
    EXPECT_NEAR(PortableLog(x), std::log(x), 4e-16 * std::fmax(1.0, std::fabs(std::log(x)))) << x;
  }
  EXPECT_EQ(PortableLog(1.0), 0.0);
  EXPECT_THROW(PortableLog(0.0), std::domain_error);
}

TEST(NumericsPortableRandom, NormalHasUnitMoments) {
  std::mt19937_64 rng(77);
  double sum = 0.0;
  double sum_sq = 0.0;
  int beyond_2sigma = 0;
  constexpr int kN = 200000;
  for (int i = 0; i < kN; ++i) {
    const double z = StandardNormal(rng);
    sum += z;
    sum_sq += z * z;
    beyond_2sigma += std::fabs(z) > 2.0;
  }
  EXPECT_NEAR(sum / kN, 0.0, 0.01);
  EXPECT_NEAR(sum_sq / kN, 1.0, 0.01);
  EXPECT_NEAR(static_cast<double>(beyond_2sigma) / kN, 0.0455, 0.002);
}

TEST(NumericsLmulAccuracy, DeterministicAcrossCallsAndSeedDependent) {
  const AccuracyTable a = MeasureLmulAccuracy(42, 3000);
  const AccuracyTable b = MeasureLmulAccuracy(42, 3000);
  EXPECT_EQ(a, b);
  const AccuracyTable c = MeasureLmulAccuracy(43, 3000);
  EXPECT_NE(a.rows[0].mean_rel_err, c.rows[0].mean_rel_err);
  EXPECT_EQ(a.rows.size(), 26u);
  for (const AccuracyRow& row : a.rows) EXPECT_EQ(row.samples, 3000);
  EXPECT_THROW(MeasureLmulAccuracy(1, 0), std::invalid_argument);
}

TEST(NumericsLmulAccuracy, ErrorsHaveTheExpectedSizes) {
  const AccuracyTable t = MeasureLmulAccuracy(1, 20000);
  for (const std::string dist : {"normal(0,1)", "uniform[-1,1)"}) {
    // L-Mul at full precision: only the approximation error remains (max 7.3% for l = 4).
    const AccuracyRow& fp32 = Row(t, "lmul fp32 (m=23, l=4)", dist);
    EXPECT_GT(fp32.mean_rel_err, 0.02) << dist;
    EXPECT_LT(fp32.mean_rel_err, 0.035) << dist;
    EXPECT_LT(fp32.max_rel_err, 0.0735) << dist;
    EXPECT_EQ(fp32.flushed, 0.0);
    // Rounding both operands and the product to m mantissa bits: mean error roughly halves per
    // extra bit.
    const double e2 = Row(t, "round e8m2", dist).mean_rel_err;
    const double e3 = Row(t, "round e8m3", dist).mean_rel_err;
    const double e4 = Row(t, "round e8m4", dist).mean_rel_err;
    EXPECT_NEAR(e2 / e3, 2.0, 0.3) << dist;
    EXPECT_NEAR(e3 / e4, 2.0, 0.3) << dist;
    // The real fp8 e4m3 range flushes many small products in L-Mul (no subnormal results).
    EXPECT_GT(Row(t, "lmul e4m3fn (m=3, l=3)", dist).flushed, 0.01) << dist;
    EXPECT_EQ(Row(t, "lmul e8m3 (m=3, l=3)", dist).flushed, 0.0) << dist;
  }
}

TEST(NumericsLmulAccuracy, PrintsAnAlignedTable) {
  const AccuracyTable t = MeasureLmulAccuracy(5, 100);
  std::ostringstream out;
  PrintAccuracyTable(out, t);
  std::istringstream lines(out.str());
  std::string line;
  std::getline(lines, line);
  EXPECT_NE(line.find("seed 5"), std::string::npos);
  std::getline(lines, line);
  EXPECT_EQ(line.rfind("method", 0), 0u);
  const size_t width = line.size();
  int rows = 0;
  while (std::getline(lines, line)) {
    EXPECT_EQ(line.size(), width) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 26);
}

}  // namespace
}  // namespace pjsim::numerics
