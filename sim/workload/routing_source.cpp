#include "sim/workload/routing_source.h"

#include <stdexcept>

#include "sim/workload/moe_routing.h"

namespace pjsim {

std::vector<double> RoutingSource::Popularity(std::size_t experts, std::mt19937_64&) const {
  return std::vector<double>(experts, 1.0);
}

std::vector<int> RoutingSource::Replay(int, std::int64_t) const {
  throw std::logic_error("routing source replays no decisions");
}

Registry<RoutingSourceEntry>& RoutingSourceRegistry() {
  static Registry<RoutingSourceEntry> registry("routing source");
  return registry;
}

double RoutingParam(const RoutingConfig& config, const std::string& key, double fallback) {
  const auto it = config.params.find(key);
  return it == config.params.end() ? fallback : it->second;
}

}  // namespace pjsim
