// Routing source `trace`: recorded decisions replayed from a text file (format in
// sim/workload/moe_routing.h), checked when the router is built.
#include <algorithm>
#include <climits>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "sim/config/config_error.h"
#include "sim/config/file_text.h"
#include "sim/config/printable.h"
#include "sim/workload/moe_routing.h"
#include "sim/workload/routing_source.h"

namespace pjsim {
namespace {

class TraceRouting : public RoutingSource {
 public:
  explicit TraceRouting(const RoutingConfig& config)
      : path_(config.trace_path), tokens_per_block_(config.tokens_per_block) {
    Load(config.num_experts, config.top_k);
  }
  bool Replays() const override { return true; }
  std::vector<int> Replay(int layer, std::int64_t token) const override {
    const auto it = trace_.find({layer, token});
    if (it == trace_.end()) {
      throw ConfigError({path_, 0, 0}, "routing trace has no decision for layer " +
                                           std::to_string(layer) + " token " +
                                           std::to_string(token));
    }
    return it->second;
  }

 private:
  void Load(std::int64_t num_experts, std::int64_t top_k);
  // Rejects a decision for a (layer, token) the run never routes.
  void CheckInRun(int line_no, std::int64_t layer, std::int64_t token) const;

  std::string path_;
  std::map<std::int64_t, std::int64_t> tokens_per_block_;
  std::map<std::pair<int, std::int64_t>, std::vector<int>> trace_;
};

void TraceRouting::Load(std::int64_t num_experts, std::int64_t top_k) {
  const std::string& path = path_;
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
        throw ConfigError({path, line_no, 0}, "routing trace: '" + PrintableToken(field) +
                                                  "' is not a non-negative integer");
      }
      v.push_back(x);
    }
    if (static_cast<std::int64_t>(v.size()) != 2 + top_k) {
      throw ConfigError({path, line_no, 0}, "routing trace: expected 'layer token' and " +
                                                std::to_string(top_k) + " experts, got " +
                                                std::to_string(v.size()) + " fields");
    }
    for (auto e = v.begin() + 2; e != v.end(); ++e) {
      if (*e >= num_experts) {
        throw ConfigError({path, line_no, 0}, "routing trace: expert " + std::to_string(*e) +
                                                  " is out of range (num_experts " +
                                                  std::to_string(num_experts) + ")");
      }
    }
    CheckInRun(line_no, v[0], v[1]);
    std::vector<int> experts(v.begin() + 2, v.end());
    if (std::set<int>(experts.begin(), experts.end()).size() != experts.size()) {
      throw ConfigError({path, line_no, 0}, "routing trace: a token's experts must be distinct");
    }
    std::sort(experts.begin(), experts.end());
    const auto key = std::make_pair(static_cast<int>(v[0]), v[1]);
    if (!trace_.emplace(key, std::move(experts)).second) {
      throw ConfigError({path, line_no, 0}, "routing trace: layer " + std::to_string(v[0]) +
                                                " token " + std::to_string(v[1]) +
                                                " appears twice");
    }
  }
  // Every line is in range and none repeats, so a count short of the run's is a missing decision.
  std::int64_t expected = 0;
  for (const auto& entry : tokens_per_block_) expected += entry.second;
  if (static_cast<std::int64_t>(trace_.size()) == expected) return;
  for (const auto& [block, tokens] : tokens_per_block_) {
    for (std::int64_t t = 0; t < tokens; ++t) {
      if (!trace_.count({static_cast<int>(block), t})) {
        throw ConfigError({path, 0, 0}, "routing trace has no decision for layer " +
                                            std::to_string(block) + " token " + std::to_string(t) +
                                            " (the run routes " + std::to_string(tokens) +
                                            " tokens in that layer)");
      }
    }
  }
}

void TraceRouting::CheckInRun(int line_no, std::int64_t layer, std::int64_t token) const {
  if (tokens_per_block_.empty()) {
    if (layer > INT_MAX) {
      throw ConfigError({path_, line_no, 0},
                        "routing trace: layer " + std::to_string(layer) + " is out of range");
    }
    return;
  }
  const auto it = tokens_per_block_.find(layer);
  if (it == tokens_per_block_.end()) {
    throw ConfigError({path_, line_no, 0}, "routing trace: the workload has no MoE layer (block) " +
                                               std::to_string(layer));
  }
  if (token >= it->second) {
    throw ConfigError({path_, line_no, 0}, "routing trace: token " + std::to_string(token) +
                                               " is beyond the " + std::to_string(it->second) +
                                               " tokens the run routes in layer " +
                                               std::to_string(layer));
  }
}

[[maybe_unused]] const bool kRegistered = RoutingSourceRegistry().Add(
    {.name = "trace",
     .summary = "recorded decisions replayed from the file named by `trace`",
     .keys = {},
     .file_key = "trace",
     .factory = [](const RoutingConfig& config) -> std::unique_ptr<RoutingSource> {
       return std::make_unique<TraceRouting>(config);
     }});

}  // namespace
}  // namespace pjsim
