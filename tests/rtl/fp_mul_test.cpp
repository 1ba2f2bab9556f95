// Cross-checks of the floating-point multipliers (rtl/lmul.sv, rtl/fp_mul.sv, instantiated side by
// side in rtl/fp_mul_suite.sv) against the golden numerics, bit for bit: L-Mul against
// pjsim::numerics::LmulBits, the conventional multiplier against ExactMulBits
// (sim/numerics/lmul.h). fp8 formats: all 65 536 operand pairs. bf16: 200 000 random pairs, 100 000
// pairs with exponents near the overflow / underflow boundaries, and every pair of edge values.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "Vfp_mul_suite.h"
#include "sim/numerics/float_format.h"
#include "sim/numerics/lmul.h"

namespace pjsim::rtl {
namespace {

using numerics::FloatFormat;

// One fp8 variant of the suite: its format and the two output ports.
struct Fp8Variant {
  const char* name;
  FloatFormat format;
  // The two output ports (Verilator's ports are reference members: read them through these).
  CData (*lmul)(const Vfp_mul_suite&);
  CData (*mul)(const Vfp_mul_suite&);
};

#define PJSIM_PORT(name) [](const Vfp_mul_suite& t) -> CData { return t.name; }

std::vector<Fp8Variant> Fp8Variants() {
  return {
      {"e4m3fn", numerics::kFp8E4M3, PJSIM_PORT(lmul_e4m3fn), PJSIM_PORT(mul_e4m3fn)},
      {"e5m2", numerics::kFp8E5M2, PJSIM_PORT(lmul_e5m2), PJSIM_PORT(mul_e5m2)},
      {"e3m4", numerics::MakeFloatFormat(3, 4), PJSIM_PORT(lmul_e3m4), PJSIM_PORT(mul_e3m4)},
      {"e4m3", numerics::MakeFloatFormat(4, 3), PJSIM_PORT(lmul_e4m3), PJSIM_PORT(mul_e4m3)},
  };
}

std::string Hex(std::uint32_t v) {
  std::ostringstream os;
  os << "0x" << std::hex << v;
  return os.str();
}

class FpMulSuite {
 public:
  FpMulSuite() : top_(&ctx_, "top") {}
  ~FpMulSuite() { top_.final(); }
  FpMulSuite(const FpMulSuite&) = delete;
  FpMulSuite& operator=(const FpMulSuite&) = delete;
  Vfp_mul_suite& Eval8(std::uint32_t a, std::uint32_t b) {
    top_.a8 = static_cast<CData>(a);
    top_.b8 = static_cast<CData>(b);
    top_.eval();
    return top_;
  }
  Vfp_mul_suite& Eval16(std::uint32_t a, std::uint32_t b) {
    top_.a16 = static_cast<SData>(a);
    top_.b16 = static_cast<SData>(b);
    top_.eval();
    return top_;
  }

 private:
  VerilatedContext ctx_;
  Vfp_mul_suite top_;
};

// Counts mismatches and reports the first few with both results.
class MismatchLog {
 public:
  explicit MismatchLog(std::string kernel) : kernel_(std::move(kernel)) {}
  void Check(std::uint32_t a, std::uint32_t b, std::uint32_t rtl, std::uint32_t golden) {
    ++checked_;
    if (rtl == golden) return;
    if (++mismatches_ <= 8) {
      ADD_FAILURE() << kernel_ << "(" << Hex(a) << ", " << Hex(b) << "): RTL " << Hex(rtl)
                    << ", golden " << Hex(golden);
    }
  }
  ~MismatchLog() {
    EXPECT_EQ(mismatches_, 0) << kernel_ << ": " << mismatches_ << " of " << checked_
                              << " products differ";
  }
  MismatchLog(const MismatchLog&) = delete;
  MismatchLog& operator=(const MismatchLog&) = delete;
  std::int64_t checked() const { return checked_; }

 private:
  std::string kernel_;
  std::int64_t checked_ = 0;
  std::int64_t mismatches_ = 0;
};

TEST(FpMulRtl, Fp8ExhaustiveAllOperandPairs) {
  FpMulSuite dut;
  for (const Fp8Variant& v : Fp8Variants()) {
    MismatchLog lmul(std::string("lmul_") + v.name), mul(std::string("mul_") + v.name);
    for (std::uint32_t a = 0; a < 256; ++a) {
      for (std::uint32_t b = 0; b < 256; ++b) {
        Vfp_mul_suite& top = dut.Eval8(a, b);
        lmul.Check(a, b, v.lmul(top), numerics::LmulBits(v.format, a, b));
        mul.Check(a, b, v.mul(top), numerics::ExactMulBits(v.format, a, b));
      }
    }
    EXPECT_EQ(lmul.checked(), 65536);
    EXPECT_EQ(mul.checked(), 65536);
  }
}

// The exhaustive sweep above passes only if each class of result occurs and matches; make sure the
// classes the numerics define (overflow, underflow flush, inf x zero, NaN) really occur in fp8.
TEST(FpMulRtl, Fp8SweepCoversEverySpecialCase) {
  FpMulSuite dut;
  for (const Fp8Variant& v : Fp8Variants()) {
    const FloatFormat& f = v.format;
    int nan = 0, zero_from_normals = 0, saturated = 0, inf = 0;
    for (std::uint32_t a = 0; a < 256; ++a) {
      for (std::uint32_t b = 0; b < 256; ++b) {
        const std::uint32_t p = v.lmul(dut.Eval8(a, b));
        const auto ca = numerics::Classify(f, a), cb = numerics::Classify(f, b);
        const auto cp = numerics::Classify(f, p);
        const bool normals =
            ca == numerics::FloatClass::kNormal && cb == numerics::FloatClass::kNormal;
        nan += cp == numerics::FloatClass::kNan;
        inf += cp == numerics::FloatClass::kInfinite;
        zero_from_normals += normals && cp == numerics::FloatClass::kZero;
        saturated += normals && (p & numerics::MagnitudeMask(f)) == numerics::MaxFiniteMagnitude(f);
      }
    }
    EXPECT_GT(nan, 0) << v.name;
    EXPECT_GT(zero_from_normals, 0) << v.name << ": no underflow flush exercised";
    if (numerics::HasInf(f)) {
      EXPECT_GT(inf, 0) << v.name;
    } else {
      EXPECT_GT(saturated, 0) << v.name << ": no saturation exercised";
    }
  }
}

// bf16 edge values: signed zeros, smallest/largest subnormal, smallest normal, 1, values whose
// products sit on the rounding and overflow boundaries, largest finite, inf, NaNs.
std::vector<std::uint32_t> Bf16Edges() {
  std::vector<std::uint32_t> magnitudes = {0x0000, 0x0001, 0x007f, 0x0040, 0x0080, 0x0081, 0x00ff,
                                           0x3f80, 0x3f81, 0x3fff, 0x3fc0, 0x4000, 0x3f00, 0x1f80,
                                           0x2000, 0x5f80, 0x5fff, 0x6000, 0x7f00, 0x7f7f, 0x7f80,
                                           0x7f81, 0x7fc0, 0x7fff, 0x0100, 0x3e80, 0x4080};
  std::vector<std::uint32_t> out;
  for (const std::uint32_t m : magnitudes) {
    out.push_back(m);
    out.push_back(m | 0x8000);
  }
  return out;
}

TEST(FpMulRtl, Bf16EdgeValuePairs) {
  FpMulSuite dut;
  const FloatFormat f = numerics::kBf16;
  MismatchLog lmul("lmul_bf16"), mul("mul_bf16");
  const std::vector<std::uint32_t> edges = Bf16Edges();
  for (const std::uint32_t a : edges) {
    for (const std::uint32_t b : edges) {
      Vfp_mul_suite& top = dut.Eval16(a, b);
      lmul.Check(a, b, top.lmul_bf16, numerics::LmulBits(f, a, b));
      mul.Check(a, b, top.mul_bf16, numerics::ExactMulBits(f, a, b));
    }
  }
}

TEST(FpMulRtl, Bf16RandomOperandPairs) {
  FpMulSuite dut;
  const FloatFormat f = numerics::kBf16;
  MismatchLog lmul("lmul_bf16"), mul("mul_bf16");
  std::mt19937_64 rng(0xbf16);
  std::uniform_int_distribution<std::uint32_t> bits(0, 0xffff);
  for (int i = 0; i < 200'000; ++i) {
    const std::uint32_t a = bits(rng), b = bits(rng);
    Vfp_mul_suite& top = dut.Eval16(a, b);
    lmul.Check(a, b, top.lmul_bf16, numerics::LmulBits(f, a, b));
    mul.Check(a, b, top.mul_bf16, numerics::ExactMulBits(f, a, b));
  }
  EXPECT_EQ(lmul.checked(), 200'000);
}

// Exponent pairs whose sum lands near the overflow and underflow boundaries (where uniform bits
// rarely land), including subnormal operands against large normals.
TEST(FpMulRtl, Bf16RandomNearRangeBoundaries) {
  FpMulSuite dut;
  const FloatFormat f = numerics::kBf16;
  MismatchLog lmul("lmul_bf16"), mul("mul_bf16");
  std::mt19937_64 rng(0xb0da);
  std::uniform_int_distribution<std::uint32_t> mant(0, 0x7f), sign(0, 1), exp_a(0, 254),
      delta(0, 12);
  int overflows = 0, underflows = 0;
  for (int i = 0; i < 100'000; ++i) {
    const std::uint32_t ea = exp_a(rng);
    // Target biased exponent sum near 254 + 127 (overflow) or near 127 (underflow).
    const bool high = (i & 1) != 0;
    const std::int64_t target = high ? 381 : 127;
    std::int64_t eb =
        target - static_cast<std::int64_t>(ea) + static_cast<std::int64_t>(delta(rng)) - 6;
    if (eb < 0) eb = 0;
    if (eb > 254) eb = 254;
    const std::uint32_t a = (sign(rng) << 15) | (ea << 7) | mant(rng);
    const std::uint32_t b = (sign(rng) << 15) | (static_cast<std::uint32_t>(eb) << 7) | mant(rng);
    Vfp_mul_suite& top = dut.Eval16(a, b);
    const std::uint32_t golden = numerics::ExactMulBits(f, a, b);
    lmul.Check(a, b, top.lmul_bf16, numerics::LmulBits(f, a, b));
    mul.Check(a, b, top.mul_bf16, golden);
    overflows += numerics::Classify(f, golden) == numerics::FloatClass::kInfinite;
    underflows += numerics::Classify(f, golden) == numerics::FloatClass::kSubnormal;
  }
  EXPECT_GT(overflows, 1000);
  EXPECT_GT(underflows, 1000);
}

}  // namespace
}  // namespace pjsim::rtl
