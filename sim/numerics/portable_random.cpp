#include "sim/numerics/portable_random.h"

#include <cmath>
#include <stdexcept>

namespace pjsim::numerics {

double UniformUnit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1p-53; }

std::int8_t UniformInt8(std::mt19937_64& rng) {
  return static_cast<std::int8_t>(static_cast<std::uint8_t>(rng() >> 56));
}

double UniformSymmetric(std::mt19937_64& rng) { return 2.0 * UniformUnit(rng) - 1.0; }

double PortableLog(double x) {
  if (!(x > 0.0) || !std::isfinite(x)) throw std::domain_error("PortableLog needs finite x > 0");
  int exponent = 0;
  double mantissa = std::frexp(x, &exponent);  // x = mantissa * 2^exponent, mantissa in [0.5, 1)
  if (mantissa < 0.70710678118654752440) {     // keep mantissa in [sqrt(1/2), sqrt(2))
    mantissa *= 2.0;
    --exponent;
  }
  // ln(mantissa) = 2 atanh(z), z = (mantissa - 1) / (mantissa + 1), |z| <= 0.1716; 12 odd terms
  // bring the truncation error below 2^-60.
  const double z = (mantissa - 1.0) / (mantissa + 1.0);
  const double z2 = z * z;
  double series = 0.0;
  for (int k = 23; k >= 1; k -= 2) series = series * z2 + 1.0 / k;
  constexpr double kLn2 = 0.693147180559945309417232121458176568;
  return static_cast<double>(exponent) * kLn2 + 2.0 * z * series;
}

double StandardNormal(std::mt19937_64& rng) {
  while (true) {
    const double u = UniformSymmetric(rng);
    const double v = UniformSymmetric(rng);
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * PortableLog(s) / s);
  }
}

}  // namespace pjsim::numerics
