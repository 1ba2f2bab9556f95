#include "sim/sweep/report_metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "sim/config/units.h"

namespace pjsim::sweep {
namespace {

std::optional<double> Number(const std::string& s) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

// A report value: quoted JSON strings stay strings; config strings with units become numbers.
Value ScalarValue(const YAML::Node& n, bool parse_units) {
  const std::string& s = n.Scalar();
  if (n.Tag() != "!") {
    if (s == "true" || s == "false") return Value(s == "true" ? 1.0 : 0.0);
    if (const auto v = Number(s)) return Value(*v);
  }
  if (parse_units) {
    std::string error;
    if (const auto q = ParseQuantity(s, &error)) return Value(q->value);
  }
  return Value(s);
}

void Flatten(const YAML::Node& n, const std::string& prefix, bool parse_units, FlatMetrics& out) {
  if (n.IsMap()) {
    for (auto it = n.begin(); it != n.end(); ++it) {
      Flatten(it->second, prefix + "." + it->first.Scalar(), parse_units, out);
    }
  } else if (n.IsSequence()) {
    for (size_t i = 0; i < n.size(); ++i) {
      Flatten(n[i], prefix + "." + std::to_string(i), parse_units, out);
    }
  } else if (n.IsScalar()) {
    out[prefix] = ScalarValue(n, parse_units);
  }
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.size() > prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

const std::vector<MetricInfo>& StandardMetrics() {
  static const std::vector<MetricInfo> metrics = {
      {"total.energy_pj", "pJ"},
      {"total.cycles", "cycles"},
      {"total.seconds", "s"},
      {"total.macs", "MAC"},
      {"total.dram_read_bytes", "B"},
      {"total.dram_write_bytes", "B"},
      {"total.achieved_dram_bandwidth_bytes_per_s", "B/s"},
      {"total.compute_utilization", ""},
      {"total.clock_hz", "Hz"},
      {"simulation.tile_tasks", "tasks"},
  };
  return metrics;
}

const std::vector<std::string>& TotalKeys() {
  static const std::vector<std::string> keys = {"energy_pj",
                                                "cycles",
                                                "seconds",
                                                "clock_hz",
                                                "macs",
                                                "dram_read_bytes",
                                                "dram_write_bytes",
                                                "achieved_dram_bandwidth_bytes_per_s",
                                                "compute_utilization"};
  return keys;
}

const std::vector<std::string>& SimulationKeys() {
  static const std::vector<std::string> keys = {
      "tile_tasks",      "kernel_waits",           "transactions",         "multicast_copy_bytes",
      "reduction_bytes", "gather_overfetch_bytes", "dram_footprint_bytes", "dram_capacity_bytes"};
  return keys;
}

bool IsReportName(const std::string& name) {
  return StartsWith(name, "total.") || StartsWith(name, "energy_by_category.") ||
         StartsWith(name, "simulation.") || StartsWith(name, "config.") ||
         StartsWith(name, "run.") || StartsWith(name, "power_gating.") ||
         StartsWith(name, "area.") || StartsWith(name, "carbon.");
}

const std::vector<std::string>& RunKeys() {
  static const std::vector<std::string> keys = {"phase",
                                                "passes",
                                                "tokens_per_pass",
                                                "total_params",
                                                "active_params",
                                                "tokens",
                                                "energy_per_token_pj",
                                                "seconds_per_token",
                                                "time_to_first_token_s"};
  return keys;
}

namespace {

bool OneOf(const std::string& s, const std::vector<std::string>& options) {
  return std::find(options.begin(), options.end(), s) != options.end();
}

bool IsIndex(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// power_gating.* (run_report.cpp's WritePowerGating): policy, reload_bytes, and per domain (an
// index) its fields, cycles per state, wake-ups per tile and each tile's timeline.
bool IsPowerGatingKey(const std::string& key) {
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    const size_t dot = key.find('.', start);
    parts.push_back(key.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  const std::vector<std::string> states = {"on", "idle", "retention", "off"};
  const std::vector<std::string> counts = {"gatings", "wakeups", "stall_cycles"};
  if (parts.size() == 1) return OneOf(parts[0], {"policy", "reload_bytes"});
  if (parts[0] != "domains" || parts.size() < 3 || !IsIndex(parts[1])) return false;
  const std::string& field = parts[2];
  if (parts.size() == 3) {
    return OneOf(field, counts) || OneOf(field, {"domain", "gated_state", "instances",
                                                 "leakage_mw_each", "break_even_cycles"});
  }
  if (field == "cycles_in_state") return parts.size() == 4 && OneOf(parts[3], states);
  if (field == "wakeups_per_tile") return parts.size() == 4 && IsIndex(parts[3]);
  if (field == "tiles") {
    return parts.size() == 5 && IsIndex(parts[3]) &&
           (OneOf(parts[4], states) || OneOf(parts[4], counts));
  }
  return false;
}

}  // namespace

std::string CheckReportName(const std::string& name) {
  const auto check = [&](const std::string& prefix, const std::vector<std::string>& keys) {
    const std::string key = name.substr(prefix.size());
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) return std::string();
    std::string known;
    for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k;
    return "unknown metric '" + name + "' (" + prefix + "* has: " + known + ")";
  };
  if (StartsWith(name, "total.")) return check("total.", TotalKeys());
  if (StartsWith(name, "simulation.")) return check("simulation.", SimulationKeys());
  if (StartsWith(name, "run.")) return check("run.", RunKeys());
  if (StartsWith(name, "power_gating.") && !IsPowerGatingKey(name.substr(13))) {
    return "unknown metric '" + name +
           "' (power_gating.* has: policy, reload_bytes, domains.N.{domain, gated_state, "
           "instances, leakage_mw_each, break_even_cycles, gatings, wakeups, stall_cycles, "
           "cycles_in_state.STATE, wakeups_per_tile.N, tiles.N.{STATE, gatings, wakeups, "
           "stall_cycles}}; STATE: on, idle, retention, off)";
  }
  if (IsReportName(name)) return "";
  return "unknown name '" + name + "'";
}

FlatMetrics FlattenReport(const YAML::Node& report, const YAML::Node& config) {
  FlatMetrics out;
  for (const char* section :
       {"total", "energy_by_category", "simulation", "run", "power_gating", "area", "carbon"}) {
    if (report[section]) Flatten(report[section], section, false, out);
  }
  if (config) Flatten(config, "config", true, out);
  return out;
}

}  // namespace pjsim::sweep
