#include "sim/numerics/ternary.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace pjsim::numerics {
namespace {

void CheckFinite(std::span<const float> values, const char* what) {
  if (values.empty()) throw std::invalid_argument(std::string(what) + ": empty input");
  for (const float v : values) {
    if (!std::isfinite(v)) throw std::invalid_argument(std::string(what) + ": non-finite input");
  }
}

double MeanAbs(std::span<const float> values) {
  double sum = 0.0;
  for (const float v : values) sum += std::fabs(static_cast<double>(v));
  return sum / static_cast<double>(values.size());
}

}  // namespace

double RoundHalfEven(double x) {
  const double floor_x = std::floor(x);
  const double fraction = x - floor_x;
  if (fraction > 0.5) return floor_x + 1.0;
  if (fraction < 0.5) return floor_x;
  return std::fmod(floor_x, 2.0) == 0.0 ? floor_x : floor_x + 1.0;
}

QuantizedWeights AbsmeanTernaryQuantize(std::span<const float> weights, double eps) {
  CheckFinite(weights, "absmean quantization");
  if (!(eps > 0.0)) throw std::invalid_argument("absmean quantization: eps must be > 0");
  QuantizedWeights q;
  q.scale = MeanAbs(weights) + eps;
  q.values.reserve(weights.size());
  for (const float w : weights) {
    const double r = std::clamp(RoundHalfEven(static_cast<double>(w) / q.scale), -1.0, 1.0);
    q.values.push_back(static_cast<int8_t>(r));
  }
  return q;
}

QuantizedWeights SignBinaryQuantize(std::span<const float> weights) {
  CheckFinite(weights, "sign quantization");
  QuantizedWeights q;
  q.scale = MeanAbs(weights);
  q.values.reserve(weights.size());
  for (const float w : weights) q.values.push_back(static_cast<int8_t>(w < 0.0f ? -1 : 1));
  return q;
}

QuantizedActivations AbsmaxInt8Quantize(std::span<const float> activations) {
  CheckFinite(activations, "absmax quantization");
  double max_abs = 0.0;
  for (const float x : activations) max_abs = std::max(max_abs, std::fabs(static_cast<double>(x)));
  QuantizedActivations q;
  q.scale = 127.0 / std::max(max_abs, 1e-5);
  q.values.reserve(activations.size());
  for (const float x : activations) {
    const double r = std::clamp(RoundHalfEven(static_cast<double>(x) * q.scale), -128.0, 127.0);
    q.values.push_back(static_cast<int8_t>(r));
  }
  return q;
}

TernaryDotResult TernaryDot(std::span<const int8_t> weights, std::span<const int8_t> activations) {
  if (weights.size() != activations.size()) {
    throw std::invalid_argument("ternary dot: length mismatch");
  }
  if (weights.size() >= (size_t{1} << 24)) {
    throw std::invalid_argument("ternary dot: 2^24 or more elements could overflow int32");
  }
  TernaryDotResult result;
  for (size_t i = 0; i < weights.size(); ++i) {
    switch (weights[i]) {
      case 1:
        result.sum += activations[i];
        ++result.adds;
        break;
      case -1:
        result.sum -= activations[i];
        ++result.adds;
        break;
      case 0:
        break;
      default:
        throw std::invalid_argument("ternary dot: weight outside {-1, 0, 1}");
    }
  }
  return result;
}

double DequantizeDot(int32_t sum, double weight_scale, double activation_scale) {
  return static_cast<double>(sum) * weight_scale / activation_scale;
}

}  // namespace pjsim::numerics
