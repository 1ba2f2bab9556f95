// Attention-output error of L-Mul and fp8 multiplication (sim/numerics/attention_error.h) and the
// activation distributions it draws from (attention_inputs.h).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

#include "sim/numerics/attention_error.h"
#include "sim/numerics/attention_inputs.h"
#include "sim/numerics/portable_random.h"

namespace pjsim::numerics {
namespace {

const AttentionErrorRow& Row(const AttentionErrorTable& t, const std::string& variant) {
  for (const AttentionErrorRow& row : t.rows) {
    if (row.variant == variant) return row;
  }
  throw std::runtime_error("no row " + variant);
}

double Err(const AttentionErrorTable& t, const std::string& variant) {
  return Row(t, variant).rel_frobenius;
}

ActivationSpec Spec(ActivationDistribution kind) {
  ActivationSpec spec;
  spec.kind = kind;
  return spec;
}

// Small enough for a unit test (about 1 M products per row), large enough for stable ratios.
AttentionErrorTable Measure(ActivationDistribution kind, std::uint64_t seed = 1) {
  AttentionErrorOptions o;
  o.distribution = Spec(kind);
  o.n_q = 32;
  o.n_kv = 128;
  o.head_dim = 128;
  o.trials = 2;
  o.seed = seed;
  return MeasureAttentionError(o);
}

const AttentionErrorTable& Gaussian() {
  static const AttentionErrorTable t = Measure(ActivationDistribution::kGaussian);
  return t;
}
const AttentionErrorTable& Outliers() {
  static const AttentionErrorTable t = Measure(ActivationDistribution::kOutlierChannels);
  return t;
}
const AttentionErrorTable& StudentT() {
  static const AttentionErrorTable t = Measure(ActivationDistribution::kStudentT);
  return t;
}

TEST(NumericsPortableExp, MatchesLibmToAFewUlp) {
  for (const double x : {-708.0, -700.0, -103.9, -20.5, -1.0, -0.5, -1e-9, 0.0, 1e-9, 0.3466, 0.5,
                         1.0, 2.0, 10.0, 88.7, 700.0}) {
    EXPECT_NEAR(PortableExp(x), std::exp(x), 1e-15 * std::exp(x)) << x;
  }
  EXPECT_EQ(PortableExp(0.0), 1.0);
  EXPECT_EQ(PortableExp(-800.0), 0.0);
  EXPECT_TRUE(std::isinf(PortableExp(710.0)));
  EXPECT_TRUE(std::isnan(PortableExp(NAN)));
}

TEST(NumericsAttentionInputs, OutlierChannelsAreEvenlySpacedAndOnlyInTheNamedTensors) {
  ActivationSpec spec = Spec(ActivationDistribution::kOutlierChannels);
  EXPECT_EQ(OutlierChannels(spec, 128), (std::vector<std::int64_t>{0, 32, 64, 96}));
  EXPECT_EQ(OutlierChannels(spec, 16), (std::vector<std::int64_t>{0}));  // at least one
  EXPECT_TRUE(OutlierChannels(Spec(ActivationDistribution::kGaussian), 128).empty());
  EXPECT_EQ(DistributionName(spec, 128), "outliers(k: 4/128 ch x20)");

  std::mt19937_64 rng(3);
  const AttentionInputs in = DrawAttentionInputs(spec, 64, 512, 128, rng);
  auto column_rms = [&](const std::vector<double>& x, std::int64_t rows, std::int64_t c) {
    double s = 0;
    for (std::int64_t r = 0; r < rows; ++r)
      s += x[static_cast<size_t>(r * 128 + c)] * x[static_cast<size_t>(r * 128 + c)];
    return std::sqrt(s / static_cast<double>(rows));
  };
  EXPECT_NEAR(column_rms(in.k, 512, 32), 20.0, 2.0);
  EXPECT_NEAR(column_rms(in.k, 512, 33), 1.0, 0.1);
  EXPECT_NEAR(column_rms(in.v, 512, 32), 1.0, 0.1);  // values keep no outliers by default
  EXPECT_NEAR(column_rms(in.q, 64, 32), 1.0, 0.25);

  spec.outlier_tensors = "qv";
  std::mt19937_64 rng2(3);
  const AttentionInputs in2 = DrawAttentionInputs(spec, 64, 512, 128, rng2);
  EXPECT_NEAR(column_rms(in2.v, 512, 64), 20.0, 2.0);
  EXPECT_NEAR(column_rms(in2.k, 512, 64), 1.0, 0.1);
}

TEST(NumericsAttentionInputs, StudentTHasItsVarianceAndHeavyTails) {
  ActivationSpec spec = Spec(ActivationDistribution::kStudentT);
  spec.student_t_nu = 5;  // variance 5/3, finite fourth moment
  std::mt19937_64 rng(9);
  const AttentionInputs in = DrawAttentionInputs(spec, 256, 256, 128, rng);
  double sq = 0;
  int beyond_5 = 0;
  for (const double x : in.k) {
    sq += x * x;
    beyond_5 += std::fabs(x) > 5.0;
  }
  EXPECT_NEAR(sq / static_cast<double>(in.k.size()), 5.0 / 3.0, 0.1);
  // P(|t_5| > 5) = 0.41%; a normal of the same variance: 1e-4.
  EXPECT_NEAR(static_cast<double>(beyond_5) / static_cast<double>(in.k.size()), 0.0041, 0.001);
}

TEST(NumericsAttentionInputs, RejectsBadParameters) {
  ActivationSpec spec = Spec(ActivationDistribution::kOutlierChannels);
  std::mt19937_64 rng(1);
  spec.outlier_tensors = "kx";
  EXPECT_THROW(DrawAttentionInputs(spec, 4, 4, 8, rng), std::invalid_argument);
  spec.outlier_tensors = "kk";
  EXPECT_THROW(DrawAttentionInputs(spec, 4, 4, 8, rng), std::invalid_argument);
  spec.outlier_tensors = "";
  EXPECT_THROW(DrawAttentionInputs(spec, 4, 4, 8, rng), std::invalid_argument);
  spec = Spec(ActivationDistribution::kOutlierChannels);
  spec.outlier_fraction = 0;
  EXPECT_THROW(DrawAttentionInputs(spec, 4, 4, 8, rng), std::invalid_argument);
  spec = Spec(ActivationDistribution::kStudentT);
  spec.student_t_nu = 0;
  EXPECT_THROW(DrawAttentionInputs(spec, 4, 4, 8, rng), std::invalid_argument);
  EXPECT_THROW(DrawAttentionInputs(Spec(ActivationDistribution::kGaussian), 0, 4, 8, rng),
               std::invalid_argument);
  AttentionErrorOptions o;
  o.trials = 0;
  EXPECT_THROW(MeasureAttentionError(o), std::invalid_argument);
}

TEST(NumericsAttentionError, DeterministicForASeedAndSeedDependent) {
  EXPECT_EQ(Measure(ActivationDistribution::kStudentT, 1), StudentT());
  const AttentionErrorTable other = Measure(ActivationDistribution::kStudentT, 2);
  EXPECT_NE(other.rows[5].rel_frobenius, StudentT().rows[5].rel_frobenius);
  EXPECT_EQ(StudentT().rows.size(), DefaultAttentionVariants().size());
  EXPECT_EQ(StudentT().rows[0].variant, "mul fp32, exact product");
}

TEST(NumericsAttentionError, Fp32IsOnlyFp32Rounding) {
  for (const AttentionErrorTable* t : {&Gaussian(), &Outliers(), &StudentT()}) {
    const double e = Err(*t, "mul fp32, exact product");
    EXPECT_GT(e, 1e-8) << t->distribution;  // fp32, not fp64
    EXPECT_LT(e, 4e-6) << t->distribution;  // a few fp32 ulp (2^-24 = 6e-8) per step
    EXPECT_EQ(Row(*t, "mul fp32, exact product").zero_products, 0.0);
  }
}

TEST(NumericsAttentionError, ErrorFallsWithEveryMantissaBit) {
  for (const AttentionErrorTable* t : {&Gaussian(), &Outliers(), &StudentT()}) {
    // Rounding: about halves per bit (e5m2 -> e8m3 -> e8m4), then bf16 and fp32.
    const double e2 = Err(*t, "mul e5m2, exact product");
    const double e3 = Err(*t, "mul e8m3, exact product");
    const double e4 = Err(*t, "mul e8m4, exact product");
    const double e7 = Err(*t, "mul bf16, exact product");
    EXPECT_GT(e2 / e3, 1.3) << t->distribution;  // heavy tails: a few outputs dominate
    EXPECT_GT(e3 / e4, 1.3) << t->distribution;
    if (t == &Gaussian()) {
      EXPECT_NEAR(e2 / e3, 2.0, 0.4);
      EXPECT_NEAR(e3 / e4, 2.0, 0.4);
    }
    EXPECT_GT(e4 / e7, 5.0) << t->distribution;
    EXPECT_GT(e7, 100 * Err(*t, "mul fp32, exact product")) << t->distribution;
    // L-Mul: its approximation error (fp32: m = 23) is a floor. From m = 3 to 4 (both l = 3) the
    // error falls by only 0-30% (within noise on some seeds, hence the pooled check below); from
    // m = 4 to 7 (l = 4) clearly.
    EXPECT_GT(Err(*t, "lmul e8m3 (m=3, l=3)"), 0.97 * Err(*t, "lmul e8m4 (m=4, l=3)"))
        << t->distribution;
    EXPECT_LT(Err(*t, "lmul bf16 (m=7, l=4)"), 0.9 * Err(*t, "lmul e8m4 (m=4, l=3)"))
        << t->distribution;
    EXPECT_NEAR(Err(*t, "lmul bf16 (m=7, l=4)") / Err(*t, "lmul fp32 (m=23, l=4)"), 1.0, 0.05)
        << t->distribution;
    // A product rounded into its format is less precise than an exact one.
    EXPECT_GT(Err(*t, "mul e4m3fn, product rounded"), Err(*t, "mul e4m3fn, exact product"));
    EXPECT_GT(Err(*t, "mul e5m2, product rounded"), Err(*t, "mul e5m2, exact product"));
  }
  double lmul3 = 0;
  double lmul4 = 0;
  for (const AttentionErrorTable* t : {&Gaussian(), &Outliers(), &StudentT()}) {
    lmul3 += Err(*t, "lmul e8m3 (m=3, l=3)");
    lmul4 += Err(*t, "lmul e8m4 (m=4, l=3)");
  }
  EXPECT_GT(lmul3, 1.03 * lmul4);
}

// The paper's claims on this metric, as pjsim measures them (README, L-Mul): with 3 mantissa
// bits L-Mul matches e5m2 whose product is rounded and comes within 1.5x of an e5m2 tensor-core
// multiply; with 4 bits it is NOT as precise as e4m3 but about 2x worse (its error is e5m2's).
TEST(NumericsAttentionError, PaperClaimsOnGaussianInputs) {
  const AttentionErrorTable& t = Gaussian();
  const double lmul3 = Err(t, "lmul e8m3 (m=3, l=3)");
  const double lmul4 = Err(t, "lmul e8m4 (m=4, l=3)");
  EXPECT_NEAR(lmul3 / Err(t, "mul e5m2, product rounded"), 1.0, 0.2);
  EXPECT_GT(lmul3 / Err(t, "mul e5m2, exact product"), 1.0);
  EXPECT_LT(lmul3 / Err(t, "mul e5m2, exact product"), 1.5);
  EXPECT_GT(lmul4 / Err(t, "mul e4m3fn, exact product"), 1.6);
  EXPECT_LT(lmul4 / Err(t, "mul e4m3fn, exact product"), 3.2);
  EXPECT_GT(lmul4 / Err(t, "mul e4m3fn, product rounded"), 1.4);
  // The fp32 L-Mul's approximation error alone is about e4m3's rounding error.
  EXPECT_NEAR(Err(t, "lmul fp32 (m=23, l=4)") / Err(t, "mul e4m3fn, exact product"), 1.0, 0.3);
}

// Outlier key channels make the logits larger (std ~3.7 instead of 1 at head_dim 128), and score
// errors grow with the logits: every variant's error rises, bf16's (fp32's exponent range) as
// e4m3's (1.3-2.4x over seeds). With per-tensor scaling it is not fp8's range: e4m3fn gives
// e8m3's error (same mantissa, fp32's exponent) although outliers push many more of its products
// to zero. L-Mul's error, mostly its approximation error, rises less (1.1-1.3x).
TEST(NumericsAttentionError, OutliersRaiseErrorThroughTheLogitsNotTheRange) {
  const AttentionErrorTable& g = Gaussian();
  const AttentionErrorTable& o = Outliers();
  EXPECT_GT(Err(o, "mul e4m3fn, exact product"), 1.25 * Err(g, "mul e4m3fn, exact product"));
  EXPECT_GT(Err(o, "mul bf16, exact product"), 1.25 * Err(g, "mul bf16, exact product"));
  EXPECT_GT(Err(o, "lmul e8m4 (m=4, l=3)"), Err(g, "lmul e8m4 (m=4, l=3)"));
  EXPECT_NEAR(Err(o, "mul e4m3fn, exact product") / Err(o, "mul e8m3, exact product"), 1.0, 0.05);
  EXPECT_GT(Row(o, "mul e4m3fn, exact product").zero_products,
            10 * Row(g, "mul e4m3fn, exact product").zero_products);
  // L-Mul in the 8-bit e4m3fn layout flushes what e5m3 keeps (no subnormal results), but after
  // per-tensor scaling only products below about amax_a amax_b / 448 * 2^-6 go: the sums do not
  // miss them.
  EXPECT_GT(Row(o, "lmul e4m3fn (m=3, l=3)").zero_products,
            2 * Row(o, "lmul e5m3 (m=3, l=3)").zero_products);
  EXPECT_NEAR(Err(o, "lmul e4m3fn (m=3, l=3)") / Err(o, "lmul e5m3 (m=3, l=3)"), 1.0, 0.1);
}

TEST(NumericsAttentionError, PowerOfTwoScalingOfATensorIsExact) {
  // Per-tensor scaling makes each variant blind to a power-of-two factor on V: the output scales
  // by exactly that factor, for rounding, L-Mul and exact-product variants alike.
  std::mt19937_64 rng(5);
  AttentionInputs in = DrawAttentionInputs(Spec(ActivationDistribution::kGaussian), 8, 32, 16, rng);
  AttentionInputs scaled = in;
  for (double& v : scaled.v) v *= 1024.0;
  for (const MultiplierVariant& variant : DefaultAttentionVariants()) {
    const VariantOutput a = VariantAttention(in, variant);
    const VariantOutput b = VariantAttention(scaled, variant);
    for (size_t i = 0; i < a.out.size(); ++i) {
      ASSERT_EQ(b.out[i], 1024.0 * a.out[i]) << VariantName(variant) << " " << i;
    }
    EXPECT_EQ(a.products, 2 * 8 * 32 * 16);
  }
}

TEST(NumericsAttentionError, PrintsAlignedTable) {
  std::ostringstream out;
  PrintAttentionErrorTable(out, Gaussian());
  std::istringstream lines(out.str());
  std::string line;
  std::getline(lines, line);
  EXPECT_NE(line.find("gaussian"), std::string::npos);
  EXPECT_NE(line.find("seed 1"), std::string::npos);
  std::getline(lines, line);
  EXPECT_EQ(line.rfind("variant", 0), 0u);
  const size_t width = line.size();
  size_t rows = 0;
  while (std::getline(lines, line)) {
    EXPECT_EQ(line.size(), width) << line;
    ++rows;
  }
  EXPECT_EQ(rows, DefaultAttentionVariants().size());
}

}  // namespace
}  // namespace pjsim::numerics
