#pragma once
// Which experts each token of an MoE layer is routed to. Deterministic for a seed on every
// platform (portable random variates only). Sources:
//   uniform     every expert equally popular
//   zipf        popularity of the expert of rank r (a per-layer random ranking) ~ 1 / r^s
//   dirichlet   per-layer popularity drawn from Dirichlet(alpha, ..., alpha) (small alpha = skew)
//   trace       recorded decisions from a file (format below)
// and, for the first three, temporal correlation: with probability `reuse` a token takes the
// previous token's experts in the same layer. Each token gets top_k distinct experts, drawn
// without replacement in proportion to popularity.
//
// Trace file format (text): one decision per line, `layer token expert expert ...` (top_k
// experts, whitespace separated, 0-based); blank lines and lines starting with '#' are ignored.
// Every (layer, token) of the requested range must appear exactly once, with top_k distinct
// experts in [0, num_experts). Any deviation is a ConfigError naming the file and line.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace pjsim {

struct RoutingConfig {
  std::string source = "uniform";  // uniform | zipf | dirichlet | trace
  std::int64_t num_experts = 0;
  std::int64_t top_k = 0;
  double zipf_exponent = 1.0;
  double dirichlet_alpha = 1.0;
  double reuse = 0.0;  // temporal correlation, [0, 1]
  std::uint64_t seed = 1;
  std::string trace_path;
};

class MoeRouter {
 public:
  explicit MoeRouter(RoutingConfig config);

  // Experts of tokens [first_token, first_token + tokens) in `layer`: one vector per token.
  std::vector<std::vector<int>> Route(int layer, std::int64_t first_token, std::int64_t tokens);
  // The popularity distribution of a layer (sums to 1); empty for traces.
  const std::vector<double>& Popularity(int layer);

 private:
  std::vector<int> Draw(const std::vector<double>& popularity, std::uint64_t stream);
  void LoadTrace();

  RoutingConfig config_;
  std::map<int, std::vector<double>> popularity_;
  std::map<int, std::vector<int>> last_;  // previous token's experts per layer
  std::map<std::pair<int, std::int64_t>, std::vector<int>> trace_;
};

// exp(x) with only basic IEEE operations, identical on every platform (range-reduced series).
double PortableExp(double x);

}  // namespace pjsim
