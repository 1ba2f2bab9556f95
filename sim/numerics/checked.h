#pragma once
// Overflow-checked int64 arithmetic for element, byte, task and time counts. A product of input
// sizes that wraps would silently shrink a layer (2^32 x 2^32 elements is 0 in int64), so every
// size product from user input goes through these and an overflow becomes an input error.
#include <cstdint>
#include <initializer_list>
#include <optional>

namespace pjsim::numerics {

// Counts that the simulator can represent exactly: below 2^53 every count is exact as a double
// (the energy ledger's type), and a count times any bit width <= 1024 still fits in int64.
inline constexpr std::int64_t kMaxExactCount = std::int64_t{1} << 53;

// a * b, or nullopt when it does not fit in int64.
inline std::optional<std::int64_t> CheckedMul(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// a + b, or nullopt when it does not fit in int64.
inline std::optional<std::int64_t> CheckedAdd(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// The product of `factors`, or nullopt when any partial product does not fit in int64.
inline std::optional<std::int64_t> CheckedProduct(std::initializer_list<std::int64_t> factors) {
  std::int64_t r = 1;
  for (std::int64_t f : factors) {
    const std::optional<std::int64_t> next = CheckedMul(r, f);
    if (!next) return std::nullopt;
    r = *next;
  }
  return r;
}

}  // namespace pjsim::numerics
