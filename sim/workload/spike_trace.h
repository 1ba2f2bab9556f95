#pragma once
// Spike counts of a spiking layer's input per (row, input neuron), summed over timesteps: from a
// recorded spike train or drawn from per-neuron rates. A recorded train is a NumPy .npy file: a
// C-order array of shape (T, M, K) — timestep, row (token), input neuron — with dtype bool ('|b1')
// or uint8 ('|u1'), every value 0 or 1. Versions 1.0, 2.0 and 3.0 of the .npy header are accepted.
// Any other dtype or order, a wrong shape, a value other than 0/1, or a file shorter than its
// header promises is a ConfigError naming the file and what is wrong.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/config/config_error.h"

namespace pjsim {

class SpikeTrace {
 public:
  static std::shared_ptr<const SpikeTrace> Load(const std::string& path);
  // Spike counts drawn per (row, input) as Binomial(timesteps, rate(row, input)), seeded: a
  // per-neuron rate vector or the rate coding of a real-valued input.
  static std::shared_ptr<const SpikeTrace> FromRates(
      const std::string& origin, std::int64_t timesteps, std::int64_t rows, std::int64_t cols,
      const std::function<double(std::int64_t, std::int64_t)>& rate, std::uint64_t seed);

  std::int64_t timesteps() const { return timesteps_; }
  std::int64_t rows() const { return rows_; }
  std::int64_t cols() const { return cols_; }
  const std::string& path() const { return path_; }

  // Spikes in rows [r0, r0 + nr) x input neurons [c0, c0 + nc), over all timesteps.
  std::int64_t SpikesIn(std::int64_t r0, std::int64_t nr, std::int64_t c0, std::int64_t nc) const;
  // Input neurons in [c0, c0 + nc) that spike at least once in rows [r0, r0 + nr).
  std::int64_t ActiveInputs(std::int64_t r0, std::int64_t nr, std::int64_t c0,
                            std::int64_t nc) const;
  std::int64_t TotalSpikes() const;

 private:
  static std::shared_ptr<const SpikeTrace> Build(const std::string& origin, std::int64_t timesteps,
                                                 std::int64_t rows, std::int64_t cols,
                                                 std::vector<std::uint16_t> counts);
  std::string path_;
  std::int64_t timesteps_ = 0, rows_ = 0, cols_ = 0;
  std::vector<std::uint16_t> counts_;  // [row][col]: spikes over all timesteps
  std::vector<std::int64_t> prefix_;   // 2-D prefix sums of counts_, (rows+1) x (cols+1)
};

}  // namespace pjsim
