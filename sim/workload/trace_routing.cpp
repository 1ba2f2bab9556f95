// Routing source `trace`: recorded decisions replayed from a text file (format in
// sim/workload/moe_routing.h), checked when the router is built.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "sim/config/config_error.h"
#include "sim/config/file_text.h"
#include "sim/workload/moe_routing.h"
#include "sim/workload/routing_source.h"

namespace pjsim {
namespace {

class TraceRouting : public RoutingSource {
 public:
  explicit TraceRouting(const RoutingConfig& config) : path_(config.trace_path) {
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

  std::string path_;
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
        throw ConfigError({path, line_no, 0},
                          "routing trace: '" + field + "' is not a non-negative integer");
      }
      v.push_back(x);
    }
    if (static_cast<std::int64_t>(v.size()) != 2 + top_k) {
      throw ConfigError({path, line_no, 0}, "routing trace: expected 'layer token' and " +
                                                std::to_string(top_k) + " experts, got " +
                                                std::to_string(v.size()) + " fields");
    }
    std::vector<int> experts(v.begin() + 2, v.end());
    for (int e : experts) {
      if (e >= num_experts) {
        throw ConfigError({path, line_no, 0}, "routing trace: expert " + std::to_string(e) +
                                                  " is out of range (num_experts " +
                                                  std::to_string(num_experts) + ")");
      }
    }
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
