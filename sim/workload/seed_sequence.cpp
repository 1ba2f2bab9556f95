#include "sim/workload/seed_sequence.h"

#include <algorithm>

namespace pjsim {
namespace {

std::uint32_t Mix(std::uint32_t x) { return x ^ (x >> 27); }

// The positions k mod n, (k + p) mod n, (k + q) mod n and (k - 1) mod n of one step, advanced by
// one step at a time (each wraps at n) instead of recomputed with a division.
struct Cursor {
  std::size_t n, k, kp, kq, prev;
  Cursor(std::size_t n_, std::size_t p, std::size_t q)
      : n(n_), k(0), kp(p % n_), kq(q % n_), prev(n_ - 1) {}
  void Step() {
    prev = k;
    if (++k == n) k = 0;
    if (++kp == n) kp = 0;
    if (++kq == n) kq = 0;
  }
};

}  // namespace

void SeedSequence::Generate(std::uint32_t* out, std::size_t n) const {
  if (n == 0) return;
  std::fill(out, out + n, 0x8b8b8b8bu);
  const std::size_t s = v_.size();
  const std::size_t t = n >= 623 ? 11 : n >= 68 ? 7 : n >= 39 ? 5 : n >= 7 ? 3 : (n - 1) / 2;
  const std::size_t p = (n - t) / 2;
  const std::size_t q = p + t;
  const std::size_t m = std::max(s + 1, n);
  Cursor c(n, p, q);
  for (std::size_t step = 0; step < m; ++step, c.Step()) {
    const std::uint32_t r1 = 1664525u * Mix(out[c.k] ^ out[c.kp] ^ out[c.prev]);
    std::uint32_t r2 = r1;
    if (step == 0) {
      r2 += static_cast<std::uint32_t>(s);
    } else {
      r2 += static_cast<std::uint32_t>(c.k);
      if (step <= s) r2 += v_[step - 1];
    }
    out[c.kp] += r1;
    out[c.kq] += r2;
    out[c.k] = r2;
  }
  for (std::size_t step = 0; step < n; ++step, c.Step()) {
    const std::uint32_t r3 = 1566083941u * Mix(out[c.k] + out[c.kp] + out[c.prev]);
    const std::uint32_t r4 = r3 - static_cast<std::uint32_t>(c.k);
    out[c.kp] ^= r3;
    out[c.kq] ^= r4;
    out[c.k] = r4;
  }
}

}  // namespace pjsim
