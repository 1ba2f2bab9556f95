#pragma once
// Random variates that are bit-identical on every standard library and libm.
// std::mt19937_64's output is fixed by the standard, but std::uniform_real_distribution and
// std::normal_distribution are implementation-defined, and libm's log/cos may differ in the
// last bit between platforms. These transforms use only the generator, IEEE basic operations
// (+ - * / sqrt, correctly rounded everywhere) and exact frexp/ldexp.
#include <cstdint>
#include <random>

namespace pjsim::numerics {

// Uniform on [0, 1): the top 53 bits of one draw, times 2^-53.
double UniformUnit(std::mt19937_64& rng);

// Uniform on [-128, 127]: the top 8 bits of one draw, as a two's-complement byte.
std::int8_t UniformInt8(std::mt19937_64& rng);

// Uniform on [-1, 1): 2 * UniformUnit - 1 (exact).
double UniformSymmetric(std::mt19937_64& rng);

// Standard normal by Marsaglia's polar method. Each call consumes pairs of draws until one is
// accepted and returns one variate (the second is discarded, so no state is kept between calls).
double StandardNormal(std::mt19937_64& rng);

// Natural logarithm of x > 0 using only basic operations (frexp + atanh series); accurate to a
// few ulp and identical on every platform.
double PortableLog(double x);

// e^x using only basic operations (Cody-Waite reduction by ln 2, Taylor series, exact ldexp);
// accurate to a few ulp and identical on every platform. 0 below -745.2, inf above 709.78,
// NaN for NaN.
double PortableExp(double x);

}  // namespace pjsim::numerics
