#include "sim/workload/spike_trace.h"

#include "sim/graph/spiking.h"
#include "sim/workload/npy_file.h"

namespace pjsim {
namespace {

[[noreturn]] void Bad(const std::string& path, const std::string& what) {
  throw ConfigError({path, 0, 0}, "spike trace: " + what);
}

}  // namespace

std::shared_ptr<const SpikeTrace> SpikeTrace::Load(const std::string& path) {
  NpyArray a;
  try {
    a = LoadNpy(path, {"|b1", "|u1"});
  } catch (const ConfigError& e) {
    Bad(path, e.message());
  }
  if (a.shape.size() != 3) {
    Bad(path, "shape must be (timesteps, rows, inputs), got " + std::to_string(a.shape.size()) +
                  " dimensions");
  }
  if (a.shape[0] > kMaxSpikeTimesteps) Bad(path, "more than 65535 timesteps");
  const auto rows = static_cast<size_t>(a.shape[1]), cols = static_cast<size_t>(a.shape[2]);
  std::vector<std::uint16_t> counts(rows * cols, 0);
  for (size_t i = 0; i < a.data.size(); ++i) {
    const auto v = static_cast<unsigned char>(a.data[i]);
    if (v > 1)
      Bad(path,
          "value " + std::to_string(v) + " at element " + std::to_string(i) + " is not 0 or 1");
    counts[i % (rows * cols)] = static_cast<std::uint16_t>(counts[i % (rows * cols)] + v);
  }
  return Build(path, a.shape[0], a.shape[1], a.shape[2], std::move(counts));
}

std::shared_ptr<const SpikeTrace> SpikeTrace::FromRates(
    const std::string& origin, std::int64_t timesteps, std::int64_t rows, std::int64_t cols,
    const std::function<double(std::int64_t, std::int64_t)>& rate, std::uint64_t seed) {
  std::vector<std::uint16_t> counts(static_cast<size_t>(rows * cols));
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < cols; ++c) {
      const auto i = static_cast<std::uint64_t>(r * cols + c);
      counts[i] = static_cast<std::uint16_t>(
          SampleSpikeCount(timesteps, rate(r, c), seed * 0x9E3779B97F4A7C15ULL + i));
    }
  }
  return Build(origin, timesteps, rows, cols, std::move(counts));
}

std::shared_ptr<const SpikeTrace> SpikeTrace::Build(const std::string& origin,
                                                    std::int64_t timesteps, std::int64_t rows,
                                                    std::int64_t cols,
                                                    std::vector<std::uint16_t> counts) {
  auto t = std::make_shared<SpikeTrace>();
  t->path_ = origin;
  t->timesteps_ = timesteps;
  t->rows_ = rows;
  t->cols_ = cols;
  t->counts_ = std::move(counts);
  const auto R = static_cast<size_t>(rows), C = static_cast<size_t>(cols);
  t->prefix_.assign((R + 1) * (C + 1), 0);
  for (size_t r = 0; r < R; ++r) {
    for (size_t c = 0; c < C; ++c) {
      t->prefix_[(r + 1) * (C + 1) + c + 1] =
          t->counts_[r * C + c] + t->prefix_[r * (C + 1) + c + 1] +
          t->prefix_[(r + 1) * (C + 1) + c] - t->prefix_[r * (C + 1) + c];
    }
  }
  return t;
}

std::int64_t SpikeTrace::SpikesIn(std::int64_t r0, std::int64_t nr, std::int64_t c0,
                                  std::int64_t nc) const {
  const auto w = static_cast<size_t>(cols_ + 1);
  const auto P = [&](std::int64_t r, std::int64_t c) {
    return prefix_[static_cast<size_t>(r) * w + static_cast<size_t>(c)];
  };
  return P(r0 + nr, c0 + nc) - P(r0, c0 + nc) - P(r0 + nr, c0) + P(r0, c0);
}

std::int64_t SpikeTrace::ActiveInputs(std::int64_t r0, std::int64_t nr, std::int64_t c0,
                                      std::int64_t nc) const {
  std::int64_t active = 0;
  for (std::int64_t c = c0; c < c0 + nc; ++c) {
    if (SpikesIn(r0, nr, c, 1) > 0) ++active;
  }
  return active;
}

std::int64_t SpikeTrace::TotalSpikes() const { return SpikesIn(0, rows_, 0, cols_); }

}  // namespace pjsim
