#pragma once
// Seeded query, key and value matrices of one attention head, drawn from activation
// distributions with and without the outliers LLM activations have, for measuring the error of
// approximate multipliers on attention (attention_error.h).
//
// Distributions (every entry independent unless said otherwise):
//   gaussian    N(0, 1) in Q, K and V: the well-behaved case most accuracy studies use.
//   outliers    N(0, 1), except that a fixed set of channels (columns, the same in every row and
//               in every tensor named by `outlier_tensors`) is multiplied by `outlier_scale`.
//               LLM activations have a few feature dimensions with magnitudes many times the
//               rest's (Dettmers et al., LLM.int8(), arXiv 2208.07339, section 4); in attention
//               the keys carry per-channel outliers and the values do not (Hooper et al.,
//               KVQuant, arXiv 2401.18079; Liu et al., KIVI, arXiv 2402.02750), hence the
//               default: keys only, 20x (a logit std of about 3.7 at head_dim 128). Channels:
//               round(fraction * head_dim) of them (at least 1), evenly spaced (c * head_dim /
//               count for c = 0, 1, ...): which channels they are does not matter to a dot product,
//               only how many.
//   student-t   Student's t with `student_t_nu` degrees of freedom (integer; variance
//               nu / (nu - 2) for nu > 2) in Q, K and V: heavy tails in every channel, the shape
//               fitted to LLM weights and activations when they are not Gaussian.
// Draws use only portable_random.h, so a seed gives the same matrices on every platform.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace pjsim::numerics {

enum class ActivationDistribution { kGaussian, kOutlierChannels, kStudentT };

struct ActivationSpec {
  ActivationDistribution kind = ActivationDistribution::kGaussian;
  double outlier_fraction = 1.0 / 32;  // of the head_dim channels
  double outlier_scale = 20.0;
  std::string outlier_tensors = "k";  // a non-empty subset of "qkv"
  int student_t_nu = 4;
};

// "gaussian", "outliers(k: 4/128 ch x20)", "student-t(nu=4)".
std::string DistributionName(const ActivationSpec& spec, std::int64_t head_dim);

// Throws std::invalid_argument naming the parameter: fraction outside (0, 1], scale not finite
// or not positive, tensors not a non-empty subset of "qkv", nu outside [1, 1000], head_dim < 1.
void ValidateActivationSpec(const ActivationSpec& spec, std::int64_t head_dim);

// The outlier channel indices (ascending) of `spec` for a head of head_dim channels; empty unless
// spec.kind is kOutlierChannels.
std::vector<std::int64_t> OutlierChannels(const ActivationSpec& spec, std::int64_t head_dim);

struct AttentionInputs {
  std::int64_t n_q = 0;
  std::int64_t n_kv = 0;
  std::int64_t head_dim = 0;
  std::vector<double> q;  // n_q x head_dim, row-major
  std::vector<double> k;  // n_kv x head_dim
  std::vector<double> v;  // n_kv x head_dim
};

// Draws Q, then K, then V (row by row) from `rng`. Throws std::invalid_argument for an invalid
// spec or a size < 1.
AttentionInputs DrawAttentionInputs(const ActivationSpec& spec, std::int64_t n_q, std::int64_t n_kv,
                                    std::int64_t head_dim, std::mt19937_64& rng);

}  // namespace pjsim::numerics
