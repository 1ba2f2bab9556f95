#include "sim/workload/moe_routing.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <sstream>

#include "sim/config/config_error.h"
#include "sim/config/file_text.h"
#include "sim/numerics/portable_random.h"

namespace pjsim {
namespace {

// Seeds a generator for one independent stream of a router.
std::mt19937_64 Stream(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(a >> 32),
                    static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32)};
  return std::mt19937_64(seq);
}

// Gamma(alpha, 1) by Marsaglia and Tsang, with the alpha < 1 boost, from portable variates.
double Gamma(double alpha, std::mt19937_64& rng) {
  if (alpha < 1) {
    const double u = 1 - numerics::UniformUnit(rng);
    return Gamma(alpha + 1, rng) * PortableExp(numerics::PortableLog(u) / alpha);
  }
  const double d = alpha - 1.0 / 3, c = 1 / std::sqrt(9 * d);
  for (;;) {
    double x, v;
    do {
      x = numerics::StandardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = 1 - numerics::UniformUnit(rng);
    if (numerics::PortableLog(u) < 0.5 * x * x + d - d * v + d * numerics::PortableLog(v)) return d * v;
  }
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
  if (config_.source == "trace") LoadTrace();
}

const std::vector<double>& MoeRouter::Popularity(int layer) {
  auto it = popularity_.find(layer);
  if (it != popularity_.end()) return it->second;
  const auto e = static_cast<size_t>(config_.num_experts);
  std::vector<double> p(e, 1.0);
  std::mt19937_64 rng = Stream(config_.seed, 0x706f70, static_cast<std::uint64_t>(layer));
  if (config_.source == "zipf") {
    std::vector<size_t> rank(e);
    for (size_t i = 0; i < e; ++i) rank[i] = i;
    for (size_t i = e; i > 1; --i) {  // Fisher-Yates with the portable generator
      std::swap(rank[i - 1], rank[static_cast<size_t>(rng() % i)]);
    }
    for (size_t i = 0; i < e; ++i) {
      p[rank[i]] = PortableExp(-config_.zipf_exponent * numerics::PortableLog(static_cast<double>(i + 1)));
    }
  } else if (config_.source == "dirichlet") {
    for (auto& x : p) x = Gamma(config_.dirichlet_alpha, rng);
  }
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

std::vector<std::vector<int>> MoeRouter::Route(int layer, std::int64_t first_token, std::int64_t tokens) {
  std::vector<std::vector<int>> out;
  for (std::int64_t t = first_token; t < first_token + tokens; ++t) {
    if (config_.source == "trace") {
      auto it = trace_.find({layer, t});
      if (it == trace_.end()) {
        throw ConfigError({config_.trace_path, 0, 0}, "routing trace has no decision for layer " +
                                                          std::to_string(layer) + " token " + std::to_string(t));
      }
      out.push_back(it->second);
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

void MoeRouter::LoadTrace() {
  const std::string& path = config_.trace_path;
  std::stringstream in(ReadInputFile(path));
  int line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    const auto start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line[start] == '#') continue;
    std::stringstream fields(line);
    std::vector<std::int64_t> v;
    std::string field;
    while (fields >> field) {
      std::size_t used = 0;
      std::int64_t x = -1;
      try {
        x = std::stoll(field, &used);
      } catch (const std::logic_error&) {
        used = 0;
      }
      if (used != field.size() || x < 0) {
        throw ConfigError({path, line_no, 0}, "routing trace: '" + field + "' is not a non-negative integer");
      }
      v.push_back(x);
    }
    if (static_cast<std::int64_t>(v.size()) != 2 + config_.top_k) {
      throw ConfigError({path, line_no, 0}, "routing trace: expected 'layer token' and " +
                                                std::to_string(config_.top_k) + " experts, got " +
                                                std::to_string(v.size()) + " fields");
    }
    std::vector<int> experts(v.begin() + 2, v.end());
    for (int e : experts) {
      if (e >= config_.num_experts) {
        throw ConfigError({path, line_no, 0}, "routing trace: expert " + std::to_string(e) +
                                                  " is out of range (num_experts " +
                                                  std::to_string(config_.num_experts) + ")");
      }
    }
    if (std::set<int>(experts.begin(), experts.end()).size() != experts.size()) {
      throw ConfigError({path, line_no, 0}, "routing trace: a token's experts must be distinct");
    }
    std::sort(experts.begin(), experts.end());
    const auto key = std::make_pair(static_cast<int>(v[0]), v[1]);
    if (!trace_.emplace(key, std::move(experts)).second) {
      throw ConfigError({path, line_no, 0}, "routing trace: layer " + std::to_string(v[0]) + " token " +
                                                std::to_string(v[1]) + " appears twice");
    }
  }
}

}  // namespace pjsim
