#pragma once
// Where an MoE layer's routing decisions come from (`routing.source`, sim/workload/moe_routing.h):
// a popularity of the experts per layer that tokens are drawn from, or recorded decisions that
// are replayed. A source is one file in sim/workload holding its RoutingSource and its
// RoutingSourceRegistry() entry (name, summary, the keys it reads, factory); sim/workload is a
// plug-in layer, so the entry's static initialiser is always linked in.
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sim/config/plugin_key.h"
#include "sim/config/registry.h"

namespace pjsim {

struct RoutingConfig;  // sim/workload/moe_routing.h

class RoutingSource {
 public:
  virtual ~RoutingSource() = default;
  // Unnormalised popularity of a layer's `experts` experts, drawn from the layer's own stream
  // `rng` (deterministic per seed and layer; portable variates only). Default: all equal.
  virtual std::vector<double> Popularity(std::size_t experts, std::mt19937_64& rng) const;
  // Sources that replay recorded decisions (no popularity, no reuse) return true and give each
  // token's sorted experts from Replay, which throws ConfigError for a token not recorded.
  virtual bool Replays() const { return false; }
  virtual std::vector<int> Replay(int layer, std::int64_t token) const;
};

struct RoutingSourceEntry {
  std::string name;
  std::string summary;
  std::vector<PluginKey> keys;  // read from `routing` into RoutingConfig::params
  // Non-empty: the source reads a file named by this key (relative to the workload) into
  // RoutingConfig::trace_path.
  std::string file_key;
  std::function<std::unique_ptr<RoutingSource>(const RoutingConfig&)> factory;
};

Registry<RoutingSourceEntry>& RoutingSourceRegistry();

// params[key] if the config has it, else `fallback` (for configs built in code).
double RoutingParam(const RoutingConfig& config, const std::string& key, double fallback);

}  // namespace pjsim
