#include "sim/numerics/attention_inputs.h"

#include <cmath>
#include <stdexcept>

#include "sim/numerics/portable_random.h"

namespace pjsim::numerics {
namespace {

std::string Trimmed(double x) {
  std::string s = std::to_string(x);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// Student's t as Z / sqrt(chi2_nu / nu), chi2_nu a sum of nu squared standard normals: only
// basic operations, so portable (nu is an integer).
double StudentT(std::mt19937_64& rng, int nu) {
  const double z = StandardNormal(rng);
  double chi2 = 0.0;
  for (int i = 0; i < nu; ++i) {
    const double n = StandardNormal(rng);
    chi2 += n * n;
  }
  return z / std::sqrt(chi2 / nu);
}

std::vector<double> DrawTensor(const ActivationSpec& spec, char tensor, std::int64_t rows,
                               std::int64_t head_dim, std::mt19937_64& rng) {
  std::vector<double> scale(static_cast<size_t>(head_dim), 1.0);
  if (spec.kind == ActivationDistribution::kOutlierChannels &&
      spec.outlier_tensors.find(tensor) != std::string::npos) {
    for (const std::int64_t c : OutlierChannels(spec, head_dim)) {
      scale[static_cast<size_t>(c)] = spec.outlier_scale;
    }
  }
  std::vector<double> out(static_cast<size_t>(rows * head_dim));
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < head_dim; ++c) {
      const double x = spec.kind == ActivationDistribution::kStudentT
                           ? StudentT(rng, spec.student_t_nu)
                           : StandardNormal(rng);
      out[static_cast<size_t>(r * head_dim + c)] = x * scale[static_cast<size_t>(c)];
    }
  }
  return out;
}

}  // namespace

std::string DistributionName(const ActivationSpec& spec, std::int64_t head_dim) {
  switch (spec.kind) {
    case ActivationDistribution::kGaussian:
      return "gaussian";
    case ActivationDistribution::kOutlierChannels:
      return "outliers(" + spec.outlier_tensors + ": " +
             std::to_string(OutlierChannels(spec, head_dim).size()) + "/" +
             std::to_string(head_dim) + " ch x" + Trimmed(spec.outlier_scale) + ")";
    case ActivationDistribution::kStudentT:
      return "student-t(nu=" + std::to_string(spec.student_t_nu) + ")";
  }
  return "?";
}

void ValidateActivationSpec(const ActivationSpec& spec, std::int64_t head_dim) {
  if (head_dim < 1) throw std::invalid_argument("attention inputs: head_dim must be >= 1");
  if (!(spec.outlier_fraction > 0.0 && spec.outlier_fraction <= 1.0)) {
    throw std::invalid_argument("attention inputs: outlier fraction must be in (0, 1]");
  }
  if (!(spec.outlier_scale > 0.0) || !std::isfinite(spec.outlier_scale)) {
    throw std::invalid_argument("attention inputs: outlier scale must be finite and > 0");
  }
  bool seen[3] = {false, false, false};
  for (const char t : spec.outlier_tensors) {
    const std::string::size_type i = std::string("qkv").find(t);
    if (i == std::string::npos || seen[i]) {
      throw std::invalid_argument("attention inputs: outlier tensors must be a subset of 'qkv'");
    }
    seen[i] = true;
  }
  if (spec.outlier_tensors.empty()) {
    throw std::invalid_argument("attention inputs: outlier tensors must not be empty");
  }
  if (spec.student_t_nu < 1 || spec.student_t_nu > 1000) {
    throw std::invalid_argument("attention inputs: student-t nu must be in [1, 1000]");
  }
}

std::vector<std::int64_t> OutlierChannels(const ActivationSpec& spec, std::int64_t head_dim) {
  ValidateActivationSpec(spec, head_dim);
  if (spec.kind != ActivationDistribution::kOutlierChannels) return {};
  const auto wanted = static_cast<std::int64_t>(
      std::floor(spec.outlier_fraction * static_cast<double>(head_dim) + 0.5));
  const std::int64_t count = wanted < 1 ? 1 : (wanted > head_dim ? head_dim : wanted);
  std::vector<std::int64_t> channels;
  for (std::int64_t c = 0; c < count; ++c) channels.push_back(c * head_dim / count);
  return channels;
}

AttentionInputs DrawAttentionInputs(const ActivationSpec& spec, std::int64_t n_q, std::int64_t n_kv,
                                    std::int64_t head_dim, std::mt19937_64& rng) {
  ValidateActivationSpec(spec, head_dim);
  if (n_q < 1 || n_kv < 1) throw std::invalid_argument("attention inputs: sizes must be >= 1");
  AttentionInputs in;
  in.n_q = n_q;
  in.n_kv = n_kv;
  in.head_dim = head_dim;
  in.q = DrawTensor(spec, 'q', n_q, head_dim, rng);
  in.k = DrawTensor(spec, 'k', n_kv, head_dim, rng);
  in.v = DrawTensor(spec, 'v', n_kv, head_dim, rng);
  return in;
}

}  // namespace pjsim::numerics
