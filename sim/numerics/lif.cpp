#include "sim/numerics/lif.h"

#include <algorithm>
#include <stdexcept>

namespace pjsim::numerics {

void ValidateLifParams(const LifParams& p) {
  if (p.state_bits < 2 || p.state_bits > 32) {
    throw std::invalid_argument("LIF: state_bits must be in [2, 32]");
  }
  const int64_t v_max = (int64_t{1} << (p.state_bits - 1)) - 1;
  if (p.leak == LifLeak::kShift && (p.leak_shift < 1 || p.leak_shift > 31)) {
    throw std::invalid_argument("LIF: leak_shift must be in [1, 31]");
  }
  if (p.leak == LifLeak::kMultiply) {
    if (p.beta_frac_bits < 0 || p.beta_frac_bits > 30) {
      throw std::invalid_argument("LIF: beta_frac_bits must be in [0, 30]");
    }
    if (p.beta_num < 0 || p.beta_num > (int64_t{1} << p.beta_frac_bits)) {
      throw std::invalid_argument("LIF: beta_num must be in [0, 2^beta_frac_bits]");
    }
  }
  if (p.threshold < 1 || p.threshold > v_max) {
    throw std::invalid_argument("LIF: threshold must be in [1, 2^(state_bits-1) - 1]");
  }
  if (p.max_spike_level < 1) throw std::invalid_argument("LIF: max_spike_level must be >= 1");
}

LifNeuron::LifNeuron(const LifParams& params) : params_(params) {
  ValidateLifParams(params_);
  v_max_ = static_cast<int32_t>((int64_t{1} << (params_.state_bits - 1)) - 1);
  v_min_ = static_cast<int32_t>(-(int64_t{1} << (params_.state_bits - 1)));
}

LifOutput LifNeuron::Step(int32_t v, int32_t input) const {
  if (v < v_min_ || v > v_max_) throw std::out_of_range("LIF: membrane outside its range");
  const LifParams& p = params_;
  // 1. Leak. (>> on a negative int64 is an arithmetic shift, guaranteed since C++20.)
  int64_t v1 = v;
  switch (p.leak) {
    case LifLeak::kNone:
      break;
    case LifLeak::kShift:
      v1 = v1 - (v1 >> p.leak_shift);
      break;
    case LifLeak::kMultiply: {
      const int64_t product = v1 * p.beta_num;
      v1 = p.beta_frac_bits == 0
               ? product
               : (product + (int64_t{1} << (p.beta_frac_bits - 1))) >> p.beta_frac_bits;
      break;
    }
  }
  // 2. Integrate, 3. saturate.
  const int64_t v3 = std::clamp<int64_t>(v1 + input, v_min_, v_max_);
  // 4. Fire.
  const int64_t theta = p.threshold;
  int64_t spike = 0;
  if (v3 >= theta) {
    spike = std::min<int64_t>(v3 / theta, p.max_spike_level);
  } else if (p.signed_spikes && v3 <= -theta) {
    spike = -std::min<int64_t>(-v3 / theta, p.max_spike_level);
  }
  // 5. Reset.
  int64_t v_next = v3;
  if (spike != 0) v_next = p.reset == LifReset::kHard ? 0 : v3 - spike * theta;
  return {static_cast<int32_t>(v_next), static_cast<int32_t>(spike)};
}

std::vector<LifOutput> LifNeuron::Run(int32_t v0, std::span<const int32_t> inputs) const {
  std::vector<LifOutput> outputs;
  outputs.reserve(inputs.size());
  int32_t v = v0;
  for (const int32_t input : inputs) {
    outputs.push_back(Step(v, input));
    v = outputs.back().v;
  }
  return outputs;
}

}  // namespace pjsim::numerics
