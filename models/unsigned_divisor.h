#pragma once
// Division and remainder of unsigned 64-bit values by a divisor fixed when a model is built (a
// DRAM row, a bank count, a channel interleave). The models divide every request's address by
// such sizes several times, and a 64-bit division takes tens of cycles; the shipped sizes are
// powers of two, where a shift and a mask give the same quotient and remainder. Any other
// divisor divides as before.
#include <bit>
#include <cstdint>

namespace pjsim {

class UnsignedDivisor {
 public:
  explicit UnsignedDivisor(std::uint64_t divisor)
      : divisor_(divisor),
        power_of_two_(std::has_single_bit(divisor)),
        shift_(std::countr_zero(divisor)) {}

  std::uint64_t value() const { return divisor_; }
  std::uint64_t Quotient(std::uint64_t x) const {
    return power_of_two_ ? x >> shift_ : x / divisor_;
  }
  std::uint64_t Remainder(std::uint64_t x) const {
    return power_of_two_ ? x & (divisor_ - 1) : x % divisor_;
  }

 private:
  std::uint64_t divisor_;
  bool power_of_two_;
  int shift_;
};

}  // namespace pjsim
