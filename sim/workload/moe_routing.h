#pragma once
// Which experts each token of an MoE layer is routed to. Deterministic for a seed on every
// platform (portable random variates only). Sources are registered (routing_source.h):
//   uniform     every expert equally popular
//   zipf        popularity of the expert of rank r (a per-layer random ranking) ~ 1 / r^s
//   dirichlet   per-layer popularity drawn from Dirichlet(alpha, ..., alpha) (small alpha = skew)
//   trace       recorded decisions from a file (format below)
// and, for sources that draw from a popularity, temporal correlation: with probability `reuse` a
// token takes the previous token's experts in the same layer. Each token gets top_k distinct
// experts, drawn without replacement in proportion to popularity.
//
// Trace file format (text): one decision per line, `layer token expert expert ...` (top_k
// experts, whitespace separated, 0-based); blank lines and lines starting with '#' are ignored.
// Every (layer, token) of the requested range must appear exactly once, with top_k distinct
// experts in [0, num_experts). Any deviation is a ConfigError naming the file and line.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/config/plugin_key.h"

namespace pjsim {

struct RoutingConfig {
  std::string source = "uniform";  // registered source (RoutingSourceRegistry)
  std::int64_t num_experts = 0;
  std::int64_t top_k = 0;
  PluginParams params;  // the sources' keys by YAML name, e.g. zipf_exponent, dirichlet_alpha
  double reuse = 0.0;   // temporal correlation, [0, 1]
  std::uint64_t seed = 1;
  std::string trace_path;  // the file a replaying source reads (its entry's file_key)
  // Tokens the run routes per MoE block (passes x tokens per pass); a replayed trace must hold
  // exactly these (block, token) decisions. Empty: not checked up front.
  std::map<std::int64_t, std::int64_t> tokens_per_block;
};

class RoutingSource;

class MoeRouter {
 public:
  // Throws std::invalid_argument for an unregistered source, ConfigError for a bad trace.
  explicit MoeRouter(RoutingConfig config);
  ~MoeRouter();

  // Experts of tokens [first_token, first_token + tokens) in `layer`: one vector per token.
  std::vector<std::vector<int>> Route(int layer, std::int64_t first_token, std::int64_t tokens);
  // The popularity distribution of a layer (sums to 1); empty for traces.
  const std::vector<double>& Popularity(int layer);

 private:
  std::vector<int> Draw(const std::vector<double>& popularity, std::uint64_t stream);

  RoutingConfig config_;
  std::unique_ptr<const RoutingSource> source_;
  std::map<int, std::vector<double>> popularity_;
  std::map<int, std::vector<int>> last_;  // previous token's experts per layer
};

// exp(x) with only basic IEEE operations, identical on every platform (range-reduced series).
double PortableExp(double x);

}  // namespace pjsim
