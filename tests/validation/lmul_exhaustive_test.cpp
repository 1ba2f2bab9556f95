// Exhaustive check of the bit-exact L-Mul and exact-multiply primitives over every operand pair
// of 8-bit formats, against references written here from the mathematical definitions only
// (real-number formulas in doubles, a table of representable values, nearest-value search).
// Nothing below calls the numerics library except the two functions under test.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/numerics/float_format.h"
#include "sim/numerics/lmul.h"

namespace pjsim::numerics {
namespace {

// The format as plain numbers, so the reference does not rely on float_format's helpers.
struct Layout {
  std::string name;
  int e;
  int m;
  int bias;
  bool ieee;  // true: IEEE-like with inf; false: OCP FN (no inf, only all-ones is NaN)
  FloatFormat format;
};

enum class Kind { kZero, kSubnormal, kNormal, kInf, kNan };

struct Operand {
  bool negative;
  Kind kind;
  double xm;  // mantissa fraction in [0, 1)
  int xe;     // unbiased exponent (normals)
  double value;
};

Operand Decode(const Layout& f, unsigned bits) {
  const unsigned all_ones_exp = (1u << f.e) - 1;
  const unsigned all_ones_mant = (1u << f.m) - 1;
  const unsigned field = (bits >> f.m) & all_ones_exp;
  const unsigned mant = bits & all_ones_mant;
  Operand x{((bits >> (f.e + f.m)) & 1) != 0, Kind::kNormal, mant / std::pow(2.0, f.m),
            static_cast<int>(field) - f.bias, 0.0};
  if (f.ieee && field == all_ones_exp) {
    x.kind = mant == 0 ? Kind::kInf : Kind::kNan;
    x.value = mant == 0 ? INFINITY : NAN;
  } else if (!f.ieee && field == all_ones_exp && mant == all_ones_mant) {
    x.kind = Kind::kNan;
    x.value = NAN;
  } else if (field == 0) {
    x.kind = mant == 0 ? Kind::kZero : Kind::kSubnormal;
    x.value = mant * std::pow(2.0, 1 - f.bias - f.m);
  } else {
    x.value = (1.0 + x.xm) * std::pow(2.0, x.xe);
  }
  if (x.negative) x.value = -x.value;
  return x;
}

unsigned SignBit(const Layout& f) { return 1u << (f.e + f.m); }
unsigned NanBits(const Layout& f) {
  return f.ieee ? (((1u << f.e) - 1) << f.m) | (1u << (f.m - 1)) : SignBit(f) - 1;
}
unsigned InfBits(const Layout& f) { return ((1u << f.e) - 1) << f.m; }
double MaxFinite(const Layout& f) {
  const int top = f.ieee ? (1 << f.e) - 2 : (1 << f.e) - 1;
  const double mant = f.ieee ? 2.0 - std::pow(2.0, -f.m) : 2.0 - std::pow(2.0, 1 - f.m);
  return mant * std::pow(2.0, top - f.bias);
}
unsigned MaxFiniteBits(const Layout& f) { return f.ieee ? InfBits(f) - 1 : SignBit(f) - 2; }

// The paper's offset: 2^-l with l = m (m <= 3), 3 (m = 4), 4 (m > 4).
int PaperL(int m) { return m <= 3 ? m : (m == 4 ? 3 : 4); }

struct LmulStats {
  int carries[3] = {0, 0, 0};  // how often k = 0, 1, 2 occurred among in-range results
};

// L-Mul from the definition in lmul.h: specials first; otherwise with s = xm + ym + 2^-l and
// k = floor(s), the value (1 + s - k) 2^(xe + ye + k), flushed to signed zero below the
// smallest normal and saturated (FN) or infinite (IEEE) above the largest finite value.
unsigned ReferenceLmul(const Layout& f, unsigned a, unsigned b, LmulStats& stats) {
  const Operand x = Decode(f, a);
  const Operand y = Decode(f, b);
  const unsigned sign = x.negative != y.negative ? SignBit(f) : 0;
  if (x.kind == Kind::kNan || y.kind == Kind::kNan) return NanBits(f);
  const bool x_zero = x.kind == Kind::kZero || x.kind == Kind::kSubnormal;
  const bool y_zero = y.kind == Kind::kZero || y.kind == Kind::kSubnormal;
  if (x.kind == Kind::kInf || y.kind == Kind::kInf) {
    return x_zero || y_zero ? NanBits(f) : sign | InfBits(f);
  }
  if (x_zero || y_zero) return sign;
  const double s = x.xm + y.xm + std::pow(2.0, -PaperL(f.m));
  const double k = std::floor(s);
  const double r = (1.0 + s - k) * std::pow(2.0, x.xe + y.xe + static_cast<int>(k));
  if (r < std::pow(2.0, 1 - f.bias)) return sign;
  if (r > MaxFinite(f)) return sign | (f.ieee ? InfBits(f) : MaxFiniteBits(f));
  ++stats.carries[static_cast<int>(k)];
  const double mant = (s - k) * std::pow(2.0, f.m);
  EXPECT_EQ(mant, std::floor(mant)) << "L-Mul result not representable";
  const int field = x.xe + y.xe + static_cast<int>(k) + f.bias;
  return sign | (static_cast<unsigned>(field) << f.m) | static_cast<unsigned>(mant);
}

// Exact product rounded to nearest, ties to the candidate with an even bit pattern, by brute
// force over every non-negative finite value of the format (plus, for IEEE formats, inf as the
// next value 2^(emax+1) with the even pattern of an all-zero mantissa).
struct Candidate {
  double value;
  unsigned bits;
};

std::vector<Candidate> Candidates(const Layout& f) {
  std::vector<Candidate> c;
  for (unsigned bits = 0; bits < SignBit(f); ++bits) {
    const Operand x = Decode(f, bits);
    if (x.kind != Kind::kNan && x.kind != Kind::kInf) c.push_back({x.value, bits});
  }
  if (f.ieee) c.push_back({std::pow(2.0, (1 << f.e) - 1 - f.bias), InfBits(f)});
  return c;
}

unsigned ReferenceExactMul(const Layout& f, const std::vector<Candidate>& candidates, unsigned a,
                           unsigned b) {
  const Operand x = Decode(f, a);
  const Operand y = Decode(f, b);
  if (x.kind == Kind::kNan || y.kind == Kind::kNan) return NanBits(f);
  const unsigned sign = x.negative != y.negative ? SignBit(f) : 0;
  if (x.kind == Kind::kInf || y.kind == Kind::kInf) {
    return x.kind == Kind::kZero || y.kind == Kind::kZero ? NanBits(f) : sign | InfBits(f);
  }
  const double p = std::fabs(x.value * y.value);
  if (p > candidates.back().value) return sign | (f.ieee ? InfBits(f) : MaxFiniteBits(f));
  const Candidate* best = &candidates.front();
  for (const Candidate& c : candidates) {
    const double d = std::fabs(c.value - p);
    const double best_d = std::fabs(best->value - p);
    if (d < best_d || (d == best_d && (c.bits & 1) == 0 && (best->bits & 1) != 0)) best = &c;
  }
  return sign | best->bits;
}

std::vector<Layout> Layouts() {
  return {
      {"e4m3fn", 4, 3, 7, false, kFp8E4M3},
      {"e5m2", 5, 2, 15, true, kFp8E5M2},
      // Further 8-bit layouts: m = 4 (offset 2 LSB, so the mantissa sum can carry twice) and
      // an IEEE-style e4m3 with inf.
      {"e3m4", 3, 4, 3, true, MakeFloatFormat(3, 4)},
      {"e4m3 ieee", 4, 3, 7, true, MakeFloatFormat(4, 3)},
  };
}

TEST(LmulExhaustive, LmulBitsMatchesTheDefinitionForEveryPair) {
  for (const Layout& f : Layouts()) {
    LmulStats stats;
    int mismatches = 0;
    for (unsigned a = 0; a < 256; ++a) {
      for (unsigned b = 0; b < 256; ++b) {
        const unsigned expected = ReferenceLmul(f, a, b, stats);
        const uint32_t got = LmulBits(f.format, a, b);
        if (got != expected && ++mismatches <= 10) {
          ADD_FAILURE() << f.name << ": LmulBits(0x" << std::hex << a << ", 0x" << b << ") = 0x"
                        << got << ", expected 0x" << expected;
        }
      }
    }
    EXPECT_EQ(mismatches, 0) << f.name;
    // The sweep must have exercised both the plain and the carried mantissa sum.
    EXPECT_GT(stats.carries[0], 1000) << f.name;
    EXPECT_GT(stats.carries[1], 1000) << f.name;
    if (f.m == 4) {
      EXPECT_GT(stats.carries[2], 0) << f.name;
    }
  }
}

TEST(LmulExhaustive, ExactMulBitsMatchesNearestEvenRoundingForEveryPair) {
  for (const Layout& f : Layouts()) {
    const std::vector<Candidate> candidates = Candidates(f);
    int mismatches = 0;
    for (unsigned a = 0; a < 256; ++a) {
      for (unsigned b = 0; b < 256; ++b) {
        const unsigned expected = ReferenceExactMul(f, candidates, a, b);
        const uint32_t got = ExactMulBits(f.format, a, b);
        if (got != expected && ++mismatches <= 10) {
          ADD_FAILURE() << f.name << ": ExactMulBits(0x" << std::hex << a << ", 0x" << b << ") = 0x"
                        << got << ", expected 0x" << expected;
        }
      }
    }
    EXPECT_EQ(mismatches, 0) << f.name;
  }
}

}  // namespace
}  // namespace pjsim::numerics
