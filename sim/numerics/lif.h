#pragma once
// Bit-exact integer leaky integrate-and-fire (LIF) neuron step. RTL copies this order exactly.
//
// State: membrane v, a signed integer of `state_bits` bits, always in
// [V_MIN, V_MAX] = [-2^(state_bits-1), 2^(state_bits-1) - 1]. One step with input I (int32, the
// weighted spike sum of this timestep), all intermediate arithmetic in 64-bit (no wrap):
//   1. Leak     kNone:     v1 = v
//               kShift:    v1 = v - (v >> leak_shift)       (arithmetic shift = floor division
//                          by 2^leak_shift, so v decays to 0 from both signs; beta = 1 - 2^-s)
//               kMultiply: v1 = (v * beta_num + 2^(f-1)) >> f,  f = beta_frac_bits
//                          (beta = beta_num / 2^f; round to nearest, ties toward +inf: the
//                          "add half, shift" rounding; f = 0 means v1 = v * beta_num)
//   2. Integrate  v2 = v1 + I
//   3. Saturate   v3 = clamp(v2, V_MIN, V_MAX)
//   4. Fire       k = min(floor(v3 / theta), max_spike_level) if v3 >= theta  -> spike = +k
//                 else, if signed_spikes and v3 <= -theta:
//                     k = min(floor(-v3 / theta), max_spike_level)          -> spike = -k
//                 else spike = 0.
//                 (max_spike_level = 1, signed_spikes = false: the classic binary LIF;
//                 signed_spikes = true: ternary spikes {-1, 0, +1}.)
//   5. Reset (only if spike != 0)
//                 kHard: v' = 0;   kSoft: v' = v3 - spike * theta (stays within range).
// Output: (v', spike).
#include <cstdint>
#include <span>
#include <vector>

namespace pjsim::numerics {

enum class LifLeak { kNone, kShift, kMultiply };
enum class LifReset { kHard, kSoft };

struct LifParams {
  int state_bits = 16;  // 2..32
  LifLeak leak = LifLeak::kShift;
  int leak_shift = 4;           // kShift: 1..31
  int64_t beta_num = 0;         // kMultiply: 0 <= beta_num <= 2^beta_frac_bits (beta <= 1)
  int beta_frac_bits = 0;       // kMultiply: 0..30
  int32_t threshold = 1 << 10;  // theta: 1..V_MAX
  LifReset reset = LifReset::kSoft;
  int max_spike_level = 1;     // >= 1; > 1 gives multi-level (graded) spikes
  bool signed_spikes = false;  // also fire -k when v <= -theta
};

struct LifOutput {
  int32_t v = 0;
  int32_t spike = 0;
};

// Throws std::invalid_argument when a field is outside the ranges above.
void ValidateLifParams(const LifParams& p);

// A validated LIF rule. It holds no membrane state (that lives in the tile's memory), so one
// rule serves a whole layer.
class LifNeuron {
 public:
  explicit LifNeuron(const LifParams& params);

  // One timestep. Throws std::out_of_range if v is outside [V_MIN, V_MAX].
  LifOutput Step(int32_t v, int32_t input) const;
  // Steps through `inputs` from membrane v0; one output per input.
  std::vector<LifOutput> Run(int32_t v0, std::span<const int32_t> inputs) const;

  const LifParams& params() const { return params_; }
  int32_t v_min() const { return v_min_; }
  int32_t v_max() const { return v_max_; }

 private:
  LifParams params_;
  int32_t v_min_;
  int32_t v_max_;
};

}  // namespace pjsim::numerics
