// The limits that keep every count and time representable (issue 19): checked int64 arithmetic,
// the largest layer, value ranges of dimensioned quantities, O(1) spike sampling of huge counts,
// printable echoes of input tokens and the output-directory guard.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "config_error_text.h"
#include "sim/config/printable.h"
#include "sim/config/units.h"
#include "sim/config/yaml_reader.h"
#include "sim/graph/layer_limits.h"
#include "sim/graph/spiking.h"
#include "sim/numerics/checked.h"
#include "sim/sweep/output_dir.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::ErrorOf;

TEST(RobustChecked, ProductsThatWrapAreDetected) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(numerics::CheckedMul(std::int64_t{1} << 31, std::int64_t{1} << 31),
            std::int64_t{1} << 62);
  EXPECT_FALSE(numerics::CheckedMul(std::int64_t{1} << 32, std::int64_t{1} << 31));
  EXPECT_FALSE(numerics::CheckedMul(-(std::int64_t{1} << 32), std::int64_t{1} << 32));
  EXPECT_EQ(numerics::CheckedAdd(kMax - 1, 1), kMax);
  EXPECT_FALSE(numerics::CheckedAdd(kMax, 1));
  // 2^40 cubed wraps to 0 in int64; the checked product refuses it.
  const std::int64_t t = std::int64_t{1} << 40;
  EXPECT_FALSE(numerics::CheckedProduct({t, t, t}));
  EXPECT_EQ(numerics::CheckedProduct({3, 5, 7}), 105);
  EXPECT_EQ(numerics::CheckedProduct({}), 1);
}

Layer Linear(std::int64_t m, std::int64_t k, std::int64_t n) {
  Layer l;
  l.name = "fc";
  l.kind = OpKind::kLinear;
  l.m = m;
  l.k = k;
  l.n = n;
  return l;
}

TEST(RobustLayerLimits, TheLargestCountMustStayBelowTwoToThe53) {
  // 2^53 MACs exactly is the last representable layer; one more row is over.
  EXPECT_FALSE(CheckLayerSizes(Linear(std::int64_t{1} << 13, std::int64_t{1} << 20, 1 << 20)));
  const auto over = CheckLayerSizes(Linear((std::int64_t{1} << 13) + 1, 1 << 20, 1 << 20));
  ASSERT_TRUE(over);
  EXPECT_EQ(over->key, "k");  // the largest factor (k and n tie: the first)
  EXPECT_NE(over->message.find("layer 'fc' is too large: batch 1 x m 8193 x k 1048576 x n "
                               "1048576 exceeds 2^53"),
            std::string::npos)
      << over->message;
  // Products that wrap int64 (to 0 or to a plausible size) are caught, not compared wrapped.
  Layer v;
  v.name = "v";
  v.kind = OpKind::kSoftmax;
  v.m = std::int64_t{1} << 31;
  v.n = (std::int64_t{1} << 33) + 1;
  ASSERT_TRUE(CheckLayerSizes(v));
  EXPECT_EQ(CheckLayerSizes(v)->key, "n");
  v.m = v.n = std::int64_t{1} << 32;
  EXPECT_TRUE(CheckLayerSizes(v));
  // Spiking layers also count their timesteps.
  Layer s = Linear(1 << 12, 1 << 20, 1 << 20);
  EXPECT_FALSE(CheckLayerSizes(s));
  s.spiking.timesteps = 4;
  ASSERT_TRUE(CheckLayerSizes(s));
  EXPECT_NE(CheckLayerSizes(s)->message.find("x n 1048576 x timesteps 4 exceeds"),
            std::string::npos);
}

TEST(RobustSpikes, HugeCountsAreSampledInConstantTimeAroundTheirMean) {
  const std::int64_t trials = std::int64_t{1} << 52;
  const auto start = std::chrono::steady_clock::now();
  double sum = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    const std::int64_t c = SampleSpikeCount(trials, 0.1, seed);
    ASSERT_GE(c, 0);
    ASSERT_LE(c, trials);
    sum += static_cast<double>(c);
  }
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
  const double mean = static_cast<double>(trials) * 0.1;
  const double sd = std::sqrt(mean * 0.9);
  // The average of 100 draws is within 5 standard errors of the binomial mean.
  EXPECT_NEAR(sum / 100, mean, 5 * sd / 10);
  // Near-certain spikes count the few failures exactly: never more than `trials`.
  const std::int64_t almost = SampleSpikeCount(trials, 1 - 1e-15, 7);
  EXPECT_LE(almost, trials);
  EXPECT_GE(almost, trials - 100);
  // Small counts keep the exact walk (same seed, same count).
  EXPECT_EQ(SampleSpikeCount(1000, 0.1, 3), SampleSpikeCount(1000, 0.1, 3));
  EXPECT_LE(SampleSpikeCount(1000, 0.1, 3), 1000);
}

TEST(RobustEcho, TokensAreCutAndEscaped) {
  EXPECT_EQ(PrintableToken("abc"), "abc");
  EXPECT_EQ(PrintableToken(std::string("a\0b\x7f\xff\\", 6)), "a\\x00b\\x7f\\xff\\\\");
  const std::string big(50 << 20, 'x');
  EXPECT_EQ(PrintableToken(big), std::string(kMaxEchoedToken, 'x') + "...(52428800 bytes)");
  // A whole message keeps UTF-8 (paths) but loses line breaks.
  EXPECT_EQ(PrintableLine("caf\xc3\xa9\nline 2", 100), "caf\xc3\xa9\\x0aline 2");
  EXPECT_EQ(std::string(ConfigError({"f.yaml", 1, 2}, "two\nlines").what()),
            "f.yaml:1:2: two\\x0alines");
}

double ReadQuantity(const std::string& yaml, Dimension d) {
  ConfigMap root = ConfigMap::Root(ConfigDocument::Parse(yaml, "q.yaml"));
  return root.Quantity("v", d);
}

TEST(RobustRanges, QuantitiesOutsideTheirRangeAreLocatedErrors) {
  EXPECT_EQ(ReadQuantity("v: 1 GHz\n", Dimension::kFrequency), 1e9);
  EXPECT_EQ(ErrorOf([] { ReadQuantity("v: 1e-300 GHz\n", Dimension::kFrequency); }),
            "q.yaml:1:4: 'v': '1e-300 GHz' is out of range: a frequency must be at least 1e+06 Hz "
            "(docs/LIMITS.md)");
  EXPECT_NE(ErrorOf([] {
              ReadQuantity("v: 2000 GHz\n", Dimension::kFrequency);
            }).find("must be at most 1e+12 Hz"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] {
              ReadQuantity("v: 1 B/s\n", Dimension::kBandwidth);
            }).find("a bandwidth must be at least 1e+06 B/s"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ReadQuantity("v: 1e20 s\n", Dimension::kTime); }).find("at most 1 s"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ReadQuantity("v: 1e30 KiB\n", Dimension::kBytes); }).find("at most"),
            std::string::npos);
  // Durations in cycles: 1e9 at most, whichever unit gave them.
  ConfigMap root =
      ConfigMap::Root(ConfigDocument::Parse("a: 1e9 cycles\nb: 2 s\nc: 1 s\n", "d.yaml"));
  EXPECT_EQ(root.DurationCycles("a", 1e9), 1e9);
  EXPECT_NE(ErrorOf([&] { root.DurationCycles("b", 1e9); }).find("'b': '2 s' is out of range"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { root.DurationCycles("c", 2e9); }).find("'c': '1 s' is 2e+09 cycles"),
            std::string::npos);
  // Every dimension has a finite range that includes its documented example.
  for (Dimension d :
       {Dimension::kEnergy, Dimension::kEnergyPerBit, Dimension::kEnergyPerBitMm, Dimension::kPower,
        Dimension::kFrequency, Dimension::kTime, Dimension::kCycles, Dimension::kBytes,
        Dimension::kBandwidth, Dimension::kBytesPerCycle, Dimension::kVoltage, Dimension::kLength,
        Dimension::kPowerPerKiB}) {
    std::string error;
    const auto example = ParseQuantity(DimensionExample(d), &error);
    ASSERT_TRUE(example) << error;
    EXPECT_GE(example->value, RangeOf(d).min) << DimensionName(d);
    EXPECT_LE(example->value, RangeOf(d).max) << DimensionName(d);
    EXPECT_TRUE(std::isfinite(RangeOf(d).max));
  }
}

TEST(RobustOutputDir, OnlyEmptyOrOwnDirectoriesAreAccepted) {
  namespace fs = std::filesystem;
  const std::string dir = test::FreshDir("robust_output_dir");
  const auto check = [](const fs::path& p) {
    return ErrorOf([&] { sweep::RequireOwnOrEmptyDirectory(p, "out", "sweep.json", {"points"}); });
  };
  EXPECT_EQ(check(dir + "/new"), "<no error>");
  EXPECT_EQ(check(dir), "<no error>");  // empty
  fs::create_directories(dir + "/points");
  std::ofstream(dir + "/points.tmp.42") << "x";
  EXPECT_EQ(check(dir), "<no error>");  // only its own (empty) directory and a temporary
  std::ofstream(dir + "/points/p0.json") << "{}";
  EXPECT_NE(check(dir).find("holds 'points', which pjsim did not write there"), std::string::npos);
  std::ofstream(dir + "/sweep.json") << "{}";
  EXPECT_EQ(check(dir), "<no error>");  // the marker: the command's own store
  std::ofstream(dir + "/file") << "x";
  EXPECT_NE(check(dir + "/file").find("is not a directory"), std::string::npos);
  EXPECT_NE(check("/").find("is the root directory"), std::string::npos);
  EXPECT_NE(check("/tmp/..").find("is the root directory"), std::string::npos);
}

}  // namespace
}  // namespace pjsim
