#include "models/noc/booksim_config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/config/file_text.h"
#include "sim/config/text_fields.h"
#include "sim/config/yaml_reader.h"

namespace pjsim {
namespace {

// Keys whose other values change what the network does in ways noc-bench does not model, with
// BookSim's default (src/booksim_config.cpp), which is what noc-bench's router was checked
// against; a file may restate the default.
const std::vector<std::pair<std::string_view, std::string_view>> kDefaultOnly = {
    {"router", "iq"},
    {"c", "1"},
    {"subnets", "1"},
    {"classes", "1"},
    {"use_read_write", "0"},
    {"injection_process", "bernoulli"},
    {"include_queuing", "1"},
    {"vct", "0"},
    {"vc_allocator", "islip"},
    {"sw_allocator", "islip"},
    {"vc_alloc_arb_type", "round_robin"},
    {"sw_alloc_arb_type", "round_robin"},
    {"alloc_iters", "1"},
    {"vc_alloc_iters", "0"},
    {"sw_alloc_iters", "0"},
    {"priority", "none"},
    {"hold_switch_for_packet", "0"},
    {"wait_for_tail_credit", "0"},
    {"vc_busy_when_full", "0"},
    {"vc_priority_donation", "0"},
    {"internal_speedup", "1.0"},
    {"input_speedup", "1"},
    {"output_speedup", "1"},
    {"output_delay", "0"},
    {"shared_buf_size", "0"},
    {"buf_size", "-1"},
    {"buffer_policy", "private"},
    {"link_failures", "0"},
    {"express_channels", "0"},
    {"spec_use_prio", "1"},
    {"spec_check_elig", "0"},
    {"spec_mask_by_reqs", "0"},
};

// Keys that steer BookSim's measurement or output only.
const std::set<std::string_view> kMeasurementOnly = {"sim_type",
                                                     "warmup_periods",
                                                     "sample_period",
                                                     "max_samples",
                                                     "latency_thres",
                                                     "warmup_thres",
                                                     "acc_warmup_thres",
                                                     "stopping_thres",
                                                     "acc_stopping_thres",
                                                     "sim_count",
                                                     "measure_stats",
                                                     "print_activity",
                                                     "print_csv_results",
                                                     "print_vc_stats",
                                                     "deadlock_warn_timeout",
                                                     "drain_measured_only",
                                                     "viewer_trace",
                                                     "watch_file",
                                                     "watch_flits",
                                                     "watch_packets",
                                                     "watch_transactions",
                                                     "watch_out",
                                                     "stats_out",
                                                     "flow_out",
                                                     "sent_packets_out",
                                                     "active_packets_out",
                                                     "injected_flits_out",
                                                     "ejected_flits_out",
                                                     "received_flits_out",
                                                     "sent_flits_out",
                                                     "stored_flits_out",
                                                     "sim_power",
                                                     "power_output_file",
                                                     "tech_file",
                                                     "channel_width",
                                                     "channel_sweep",
                                                     "use_noc_latency",
                                                     "perm_seed",
                                                     "x",
                                                     "y",
                                                     "xr",
                                                     "yr",
                                                     "limit",
                                                     "in_ports",
                                                     "out_ports",
                                                     "channel_file",
                                                     "network_file",
                                                     "fail_seed",
                                                     "batch_size",
                                                     "batch_count",
                                                     "max_outstanding_requests"};

// Keys this reader turns into flags, with BookSim's defaults.
const std::vector<std::pair<std::string_view, std::string_view>> kMapped = {
    {"topology", "torus"},
    {"k", "8"},
    {"n", "2"},
    {"routing_function", "none"},
    {"num_vcs", "16"},
    {"vc_buf_size", "8"},
    {"packet_size", "1"},
    {"traffic", "uniform"},
    {"injection_rate", "0.1"},
    {"injection_rate_uses_flits", "0"},
    {"routing_delay", "1"},
    {"vc_alloc_delay", "1"},
    {"sw_alloc_delay", "1"},
    {"st_prepare_delay", "0"},
    {"st_final_delay", "1"},
    {"credit_delay", "0"},
    {"speculative", "0"},
    {"seed", "0"},
};

struct Entry {
  std::string value;
  int line = 0;
};

bool IsKey(std::string_view s) {
  return !s.empty() && (std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_') &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
         });
}

// `key = value;` statements; a statement may span lines and a line may hold several.
std::map<std::string, Entry> Statements(const std::string& text, const std::string& name) {
  std::map<std::string, Entry> out;
  std::string statement;
  int line = 1, start_line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if (c == '\n') ++line;
    if (c != ';') {
      if (Trim(statement).empty()) start_line = line;
      statement += c;
      continue;
    }
    const auto eq = statement.find('=');
    const std::string key = Trim(std::string_view(statement).substr(0, eq));
    if (eq == std::string::npos || !IsKey(key)) {
      throw ConfigError({name, start_line, 0},
                        "expected 'key = value;', got '" + Trim(statement) + ";'");
    }
    const std::string value = Trim(std::string_view(statement).substr(eq + 1));
    if (value.empty()) throw ConfigError({name, start_line, 0}, key + ": no value");
    if (value.find('=') != std::string::npos) {  // no BookSim value holds one
      throw ConfigError({name, start_line, 0}, key + ": no ';' after its value");
    }
    out[key] = {value, start_line};  // a later statement overrides, as in BookSim
    statement.clear();
  }
  if (!Trim(statement).empty()) {
    throw ConfigError({name, start_line, 0},
                      "statement '" + Trim(statement) + "' does not end with ';'");
  }
  return out;
}

class BookSimKeys {
 public:
  BookSimKeys(std::map<std::string, Entry> entries, std::string name)
      : entries_(std::move(entries)), name_(std::move(name)) {}

  [[noreturn]] void Fail(const std::string& key, const std::string& message) const {
    const auto it = entries_.find(key);
    throw ConfigError({name_, it == entries_.end() ? 0 : it->second.line, 0}, key + ": " + message);
  }
  bool Has(const std::string& key) const { return entries_.count(key) > 0; }
  std::string Get(const std::string& key) const {
    if (auto it = entries_.find(key); it != entries_.end()) return it->second.value;
    for (const auto& [k, v] : kMapped) {
      if (k == key) return std::string(v);
    }
    return "";
  }
  std::int64_t Int(const std::string& key, std::int64_t min, std::int64_t max) const {
    const std::string v = Get(key);
    std::int64_t x = 0;
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec != std::errc() || ptr != v.data() + v.size() || x < min || x > max) {
      Fail(key, "expects an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
                    "], got '" + v + "'");
    }
    return x;
  }
  double Number(const std::string& key) const {
    const std::string v = Get(key);
    double x = 0;
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec != std::errc() || ptr != v.data() + v.size() || !(x >= 0)) {
      Fail(key, "expects a non-negative number, got '" + v + "'");
    }
    return x;
  }
  const std::map<std::string, Entry>& entries() const { return entries_; }

 private:
  std::map<std::string, Entry> entries_;
  std::string name_;
};

std::string Pattern(const BookSimKeys& keys) {
  std::string t = keys.Get("traffic");
  t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c == ' ' || c == '\t'; }),
          t.end());
  for (const char* same : {"uniform", "transpose", "bitcomp", "bitrev", "shuffle", "tornado",
                           "neighbor", "randperm"}) {
    if (t == same) return t;
  }
  // randperm(S): the permutation BookSim draws from S is not the one noc-bench draws from --seed.
  if (t.rfind("randperm(", 0) == 0 && t.back() == ')') return "randperm";
  // noc-bench's hotspot is node 0 (the corner a memory controller sits at), alone.
  if (t == "hotspot({0})" || t == "hotspot(0)") return "hotspot";
  keys.Fail("traffic",
            "noc-bench generates uniform, transpose, hotspot({0}), bitcomp, bitrev, "
            "shuffle, tornado, neighbor or randperm traffic, not '" +
                keys.Get("traffic") + "'");
}

}  // namespace

NocBenchFlags ParseBookSimConfig(const std::string& text, const std::string& name) {
  const BookSimKeys keys(Statements(text, name), name);
  std::vector<std::string> known;
  for (const auto& [k, v] : kMapped) known.emplace_back(k);
  for (const auto& [k, v] : kDefaultOnly) known.emplace_back(k);
  known.insert(known.end(), kMeasurementOnly.begin(), kMeasurementOnly.end());
  for (const auto& [key, entry] : keys.entries()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const std::string guess = DidYouMean(key, known);
    keys.Fail(key,
              "unknown BookSim key" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
  }
  for (const auto& [key, fallback] : kDefaultOnly) {
    const std::string k(key);
    if (!keys.Has(k)) continue;
    const std::string v = keys.Get(k);
    // Numbers compare by value (1.0 == 1).
    double a = 0, b = 0;
    const auto ra = std::from_chars(v.data(), v.data() + v.size(), a);
    const auto rb = std::from_chars(fallback.data(), fallback.data() + fallback.size(), b);
    const bool numeric =
        ra.ec == std::errc() && ra.ptr == v.data() + v.size() && rb.ec == std::errc();
    if (numeric ? a != b : v != fallback) {
      keys.Fail(k, "noc-bench models BookSim's default '" + std::string(fallback) +
                       "' only, not '" + v + "'");
    }
  }
  if (keys.Get("topology") != "mesh") {
    keys.Fail("topology",
              "noc-bench simulates a mesh: set 'topology = mesh;' (BookSim's "
              "default is torus), not '" +
                  keys.Get("topology") + "'");
  }
  if (keys.Int("n", 1, 64) != 2) keys.Fail("n", "noc-bench simulates a two-dimensional mesh");
  const std::string routing = keys.Get("routing_function");
  if (routing != "dor" && routing != "dim_order") {
    keys.Fail("routing_function",
              "noc-bench routes in dimension order: 'dor' or 'dim_order', "
              "not '" +
                  routing + "'");
  }
  NocBenchFlags f;
  f["mesh"] = std::to_string(keys.Int("k", 2, 64));
  f["virtual-channels"] = std::to_string(keys.Int("num_vcs", 1, 64));
  f["buffer-flits"] = std::to_string(keys.Int("vc_buf_size", 1, 1024));
  const std::int64_t flits = keys.Int("packet_size", 1, 1024);
  f["packet-flits"] = std::to_string(flits);
  f["pattern"] = Pattern(keys);
  // injection_rate is in packets per node per cycle unless injection_rate_uses_flits.
  const bool in_flits = keys.Int("injection_rate_uses_flits", 0, 1) == 1;
  const double rate = keys.Number("injection_rate") * (in_flits ? 1.0 : static_cast<double>(flits));
  if (rate > 1) {
    keys.Fail("injection_rate", "offers " + std::to_string(rate) +
                                    " flits per node per cycle, more than a port carries (1)");
  }
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, rate);
  f["injection-rate"] = std::string(buffer, end);
  // The router: a body flit is switch-allocated sw_alloc_delay - 1 cycles after it arrives and
  // crosses the crossbar in st_prepare_delay + st_final_delay; a head flit first computes its
  // route and allocates a VC (overlapped with switch allocation when speculative).
  const std::int64_t routing_delay = keys.Int("routing_delay", 0, 1000);
  const std::int64_t vc_alloc = keys.Int("vc_alloc_delay", 0, 1000);
  const std::int64_t sw_alloc = keys.Int("sw_alloc_delay", 0, 1000);
  const std::int64_t crossbar =
      keys.Int("st_prepare_delay", 0, 1000) + keys.Int("st_final_delay", 0, 1000);
  if (sw_alloc + crossbar - 1 < 1) {
    keys.Fail("sw_alloc_delay",
              "with the crossbar's delays gives a router pipeline under one "
              "cycle, which noc-bench does not model");
  }
  f["router-latency"] = std::to_string(sw_alloc + crossbar - 1);
  const bool speculative = keys.Int("speculative", 0, 1) == 1;
  f["head-latency"] =
      std::to_string(speculative ? routing_delay + std::max(vc_alloc, sw_alloc) - sw_alloc
                                 : routing_delay + vc_alloc);
  // Every mesh channel of BookSim (kncube.cpp: links, injection, ejection, credits) has latency
  // 1, and a flit sent in cycle c is read in c + 2.
  constexpr std::int64_t kChannel = 2;
  f["link-latency"] = std::to_string(kChannel);
  f["injection-latency"] = std::to_string(kChannel);
  f["credit-latency"] = std::to_string(kChannel + keys.Int("credit_delay", 0, 1000));
  // BookSim's destinations include the source itself (uniform) and a permutation's fixed points.
  f["self-traffic"] = "";
  f["seed"] = std::to_string(keys.Int("seed", 0, ConfigMap::kMaxInt));
  return f;
}

NocBenchFlags ReadBookSimConfig(const std::string& path) {
  return ParseBookSimConfig(ReadInputFile(path), path);
}

}  // namespace pjsim
