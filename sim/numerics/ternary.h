#pragma once
// BitNet b1.58 quantization (arXiv 2402.17764) and the ternary x int8 dot product that replaces
// multiplies by adds and subtracts.
//
//   Weights (per tensor, absmean): gamma = mean|W| + eps; W_q = clamp(round(W / gamma), -1, 1);
//     W ~= W_q * gamma. (The paper writes "+ eps"; the released training code instead clamps
//     gamma to >= eps. The two differ only by eps relative to mean|W|.)
//   1-bit weights (BitNet v1 style): W_q = sign(W) in {-1, +1} (0 maps to +1), scale mean|W|.
//   Activations (per token, absmax): s = 127 / max(max|x|, 1e-5); x_q = clamp(round(x s),
//     -128, 127); x ~= x_q / s. The 1e-5 floor is the released code's: an all-zero row gets
//     s = 1.27e7 and x_q = 0 (no division by zero, no NaN).
// "round" is round-half-to-even (torch.round). Arithmetic is in double. Inputs must be finite
// and non-empty (std::invalid_argument otherwise).
#include <cstdint>
#include <span>
#include <vector>

namespace pjsim::numerics {

struct QuantizedWeights {
  std::vector<int8_t> values;  // in {-1, 0, +1} (ternary) or {-1, +1} (binary)
  double scale = 1.0;          // W ~= values * scale
};

struct QuantizedActivations {
  std::vector<int8_t> values;  // in [-128, 127]
  double scale = 1.0;          // x ~= values / scale  (s = 127 / max|x|)
};

inline constexpr double kAbsmeanEps = 1e-5;

QuantizedWeights AbsmeanTernaryQuantize(std::span<const float> weights, double eps = kAbsmeanEps);
QuantizedWeights SignBinaryQuantize(std::span<const float> weights);
// One token (row).
QuantizedActivations AbsmaxInt8Quantize(std::span<const float> activations);

// Ternary (or binary) weights times int8 activations. Only adds/subtracts are performed: +x for
// w = +1, -x for w = -1, nothing for w = 0, accumulated in int32 in index order.
struct TernaryDotResult {
  int32_t sum = 0;
  int64_t adds = 0;  // adds/subtracts performed = number of nonzero weights (energy counting)
};
// Throws std::invalid_argument on a length mismatch, a weight outside {-1, 0, 1}, or 2^24 or
// more elements (below that, |sum| <= 128 (2^24 - 1) < 2^31: int32 overflow is impossible).
TernaryDotResult TernaryDot(std::span<const int8_t> weights, std::span<const int8_t> activations);

// Back to real units: sum * weight_scale / activation_scale.
double DequantizeDot(int32_t sum, double weight_scale, double activation_scale);

// Round half to even, independent of the floating-point environment.
double RoundHalfEven(double x);

}  // namespace pjsim::numerics
