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

double PortableExp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.782712893384) return INFINITY;
  if (x < -745.2) return 0.0;
  // x = k ln2 + r with |r| <= ln2/2 (+ rounding); ln2 split so that k * kLn2Hi is exact.
  constexpr double kInvLn2 = 1.44269504088896338700e+00;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  const double k = std::floor(x * kInvLn2 + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  // e^r = 1 + r (1 + r/2 (1 + r/3 (...))); 20 terms bring the truncation below 2^-70.
  double series = 1.0;
  for (int n = 20; n >= 1; --n) series = 1.0 + series * r / n;
  return std::ldexp(series, static_cast<int>(k));
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
