#include "sim/workload/moe_routing.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "sim/numerics/portable_random.h"
#include "sim/workload/routing_source.h"
#include "sim/workload/seed_sequence.h"

namespace pjsim {
namespace {

// Seeds a generator for one independent stream of a router: as from std::seed_seq of the three
// values' 32-bit halves, low half first (SeedSequence gives the same words, faster).
std::mt19937_64 Stream(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  const std::uint32_t words[] = {
      static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
      static_cast<std::uint32_t>(a),    static_cast<std::uint32_t>(a >> 32),
      static_cast<std::uint32_t>(b),    static_cast<std::uint32_t>(b >> 32)};
  SeedSequence seq(words);
  return std::mt19937_64(seq);
}

}  // namespace

double PortableExp(double x) {
  // e^x = 2^k e^r with r = x - k ln2, |r| <= ln2/2; Taylor series to 2^-60.
  constexpr double kLn2 = 0.693147180559945309417232121458176568;
  const double k = std::floor(x / kLn2 + 0.5);
  const double r = x - k * kLn2;
  double term = 1, sum = 1;
  for (int i = 1; i < 24; ++i) {
    term *= r / i;
    sum += term;
  }
  return std::ldexp(sum, static_cast<int>(k));
}

MoeRouter::MoeRouter(RoutingConfig config) : config_(std::move(config)) {
  if (config_.top_k < 1 || config_.top_k > config_.num_experts) {
    throw std::invalid_argument("routing: top_k must be in [1, num_experts]");
  }
  source_ = RoutingSourceRegistry().Get(config_.source).factory(config_);
}

MoeRouter::~MoeRouter() = default;

const std::vector<double>& MoeRouter::Popularity(int layer) {
  auto it = popularity_.find(layer);
  if (it != popularity_.end()) return it->second;
  std::mt19937_64 rng = Stream(config_.seed, 0x706f70, static_cast<std::uint64_t>(layer));
  std::vector<double> p = source_->Popularity(static_cast<size_t>(config_.num_experts), rng);
  double sum = 0;
  for (double x : p) sum += x;
  for (auto& x : p) x /= sum;
  return popularity_.emplace(layer, std::move(p)).first->second;
}

std::vector<int> MoeRouter::Draw(const std::vector<double>& popularity, std::uint64_t stream) {
  std::mt19937_64 rng = Stream(config_.seed, 0x647261, stream);
  std::vector<double> weight = popularity;
  std::vector<int> chosen;
  for (std::int64_t j = 0; j < config_.top_k; ++j) {
    double total = 0;
    for (double w : weight) total += w;
    double u = numerics::UniformUnit(rng) * total;
    size_t pick = 0;
    for (size_t i = 0; i < weight.size(); ++i) {
      if (weight[i] <= 0) continue;
      pick = i;
      if (u < weight[i]) break;
      u -= weight[i];
    }
    chosen.push_back(static_cast<int>(pick));
    weight[pick] = 0;  // without replacement
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

std::vector<std::vector<int>> MoeRouter::Route(int layer, std::int64_t first_token,
                                               std::int64_t tokens) {
  std::vector<std::vector<int>> out;
  for (std::int64_t t = first_token; t < first_token + tokens; ++t) {
    if (source_->Replays()) {
      out.push_back(source_->Replay(layer, t));
      continue;
    }
    const auto stream = static_cast<std::uint64_t>(layer) << 40 ^ static_cast<std::uint64_t>(t);
    auto last = last_.find(layer);
    if (last != last_.end() && config_.reuse > 0) {
      std::mt19937_64 rng = Stream(config_.seed, 0x726575, stream);
      if (numerics::UniformUnit(rng) < config_.reuse) {
        out.push_back(last->second);
        continue;
      }
    }
    out.push_back(Draw(Popularity(layer), stream));
    last_[layer] = out.back();
  }
  return out;
}

}  // namespace pjsim
