// UnsignedDivisor gives the quotient and remainder of `/` and `%` for every divisor: powers of
// two (shifted and masked) and others (divided), over small values, values around multiples of
// the divisor and values near 2^64.
#include "models/unsigned_divisor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace pjsim {
namespace {

TEST(UnsignedDivisor, QuotientAndRemainderAsDivision) {
  const std::vector<std::uint64_t> divisors = {
      1,    2,    3,       4,    32,    64,      96,        1000,       1024,
      2048, 4096, 1 << 17, 6144, 65537, 1 << 20, 123456789, 1ULL << 40, 1ULL << 63};
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  for (const std::uint64_t d : divisors) {
    const UnsignedDivisor divisor(d);
    EXPECT_EQ(divisor.value(), d);
    std::vector<std::uint64_t> xs = {0, 1, 2, 7, 31, 1023, 1025, kMax, kMax - 1, kMax / 3};
    for (const std::uint64_t k : {1ULL, 2ULL, 3ULL, 1000ULL, 123457ULL}) {
      if (d > kMax / k - 1) continue;
      xs.insert(xs.end(), {k * d - 1, k * d, k * d + 1});
    }
    for (const std::uint64_t x : xs) {
      EXPECT_EQ(divisor.Quotient(x), x / d) << x << " / " << d;
      EXPECT_EQ(divisor.Remainder(x), x % d) << x << " % " << d;
    }
  }
}

}  // namespace
}  // namespace pjsim
