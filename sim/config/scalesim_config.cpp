#include "sim/config/scalesim_config.h"

#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "sim/config/config_error.h"
#include "sim/config/file_text.h"
#include "sim/config/text_fields.h"
#include "sim/config/whole_number.h"
#include "sim/config/yaml_reader.h"

namespace pjsim {
namespace {

struct Entry {
  std::string key;  // as written
  std::string value;
  int line = 0;
  int column = 0;
};

// section -> lower-cased key -> entry, as configparser holds it (its option names are folded to
// lower case; section names are not).
using Sections = std::map<std::string, std::map<std::string, Entry>>;

Sections Parse(const std::string& path, std::map<std::string, int>& section_lines) {
  std::istringstream in(ReadInputFile(path));
  Sections sections;
  std::string section, raw;
  int line = 0;
  bool after_key = false;
  while (std::getline(in, raw)) {
    ++line;
    const std::string s = Trim(raw);
    if (s.empty() || s.front() == '#' || s.front() == ';') {
      after_key = after_key && !s.empty();
      continue;
    }
    const int column = static_cast<int>(raw.find_first_not_of(" \t")) + 1;
    if (column > 1 && after_key) {
      throw ConfigError({path, line, column},
                        "an indented line continues the value above it in configparser; "
                        "write each value on its key's line");
    }
    if (s.front() == '[') {
      if (s.back() != ']') throw ConfigError({path, line, column}, "malformed section header");
      section = s.substr(1, s.size() - 2);
      if (section_lines.count(section)) {
        throw ConfigError({path, line, column}, "section [" + section + "] appears twice (line " +
                                                    std::to_string(section_lines[section]) + ")");
      }
      section_lines[section] = line;
      sections[section];
      after_key = false;
      continue;
    }
    const size_t delimiter = s.find_first_of("=:");
    if (delimiter == std::string::npos || Trim(s.substr(0, delimiter)).empty()) {
      throw ConfigError({path, line, column}, "expected KEY = VALUE or KEY : VALUE");
    }
    if (section.empty()) throw ConfigError({path, line, column}, "key outside a [section]");
    const std::string key = Trim(s.substr(0, delimiter));
    auto& keys = sections[section];
    const auto [it, added] =
        keys.emplace(Lower(key), Entry{key, Trim(s.substr(delimiter + 1)), line, column});
    if (!added) {
      throw ConfigError({path, line, column}, "'" + key + "' is set twice in [" + section +
                                                  "] (line " + std::to_string(it->second.line) +
                                                  ")");
    }
    after_key = true;
  }
  return sections;
}

// Keys each section holds that pjsim reads (lower case, as configparser folds them).
const std::map<std::string, std::set<std::string>>& ReadKeys() {
  static const std::map<std::string, std::set<std::string>> keys = {
      {"general", {"run_name"}},
      {"architecture_presets",
       {"arrayheight", "arraywidth", "ifmapsramszkb", "filtersramszkb", "ofmapsramszkb",
        "ifmapoffset", "filteroffset", "ofmapoffset", "dataflow", "bandwidth"}},
      {"run_presets", {"interfacebandwidth"}},
      {"network_presets", {"topologycsvloc"}},
      {"sparsity", {"sparsitysupport"}},
  };
  return keys;
}

// Keys SCALE-Sim's configurations carry that do not change a single array's cycles or DRAM
// traffic as pjsim models them (addresses, SRAM banking for its layout study, trace options,
// the sparse mode's parameters when it is off): accepted without a note.
const std::set<std::string>& QuietKeys() {
  static const std::set<std::string> keys = {"memorybanks",
                                             "onchipmemorybanks",
                                             "onchipmemorybankports",
                                             "ifmapsrambankbandwidth",
                                             "ifmapsrambanknum",
                                             "ifmapsrambankport",
                                             "filtersrambankbandwidth",
                                             "filtersrambanknum",
                                             "filtersrambankport",
                                             "ofmapsrambankbandwidth",
                                             "ofmapsrambanknum",
                                             "ofmapsrambankport",
                                             "sram_row_size",
                                             "sram_bank_size",
                                             "dram_row_size",
                                             "dram_bank_size",
                                             "sparserep",
                                             "optimizedmapping",
                                             "blocksize",
                                             "randomnumbergeneratorseed",
                                             "nonzeroelems",
                                             "ifmapcustomlayout",
                                             "filtercustomlayout",
                                             "savediskspace",
                                             "usetraces"};
  return keys;
}

class Reader {
 public:
  Reader(std::string path, Sections sections, std::map<std::string, int> section_lines)
      : path_(std::move(path)), s_(std::move(sections)), lines_(std::move(section_lines)) {}

  const Entry* Find(const std::string& section, const std::string& key) const {
    const auto sec = s_.find(section);
    if (sec == s_.end()) return nullptr;
    const auto it = sec->second.find(key);
    return it == sec->second.end() ? nullptr : &it->second;
  }
  const Entry& Require(const std::string& section, const std::string& key,
                       const std::string& name) const {
    if (const Entry* e = Find(section, key)) return *e;
    // At the section's header, when there is one.
    const auto header = lines_.find(section);
    throw ConfigError({path_, header == lines_.end() ? 0 : header->second, 0},
                      "missing '" + name + "' in [" + section + "] (SCALE-Sim requires it)");
  }
  [[noreturn]] void Fail(const Entry& e, const std::string& message) const {
    throw ConfigError({path_, e.line, e.column}, e.key + ": " + message);
  }
  std::int64_t Int(const Entry& e, std::int64_t lo, std::int64_t hi) const {
    const std::optional<std::int64_t> parsed = ParseWholeNumber(e.value);
    if (!parsed) Fail(e, "expected a whole number, got '" + e.value + "'");
    const std::int64_t v = *parsed;
    if (v < lo || v > hi) {
      Fail(e,
           "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + e.value);
    }
    return v;
  }
  const Sections& sections() const { return s_; }

 private:
  std::string path_;
  Sections s_;
  std::map<std::string, int> lines_;
};

constexpr std::int64_t kMaxArray = 1 << 16;
constexpr std::int64_t kMaxBufferKiB = std::int64_t{1} << 30;  // 1 TiB

}  // namespace

std::int64_t ScaleSimConfig::DramReadWordsPerCycle() const {
  return user_bandwidth ? 2 * bandwidth_words : array_rows + array_cols;
}

ScaleSimConfig ReadScaleSimConfig(const std::string& path) {
  std::map<std::string, int> section_lines;
  Sections sections = Parse(path, section_lines);
  const Reader r(path, std::move(sections), std::move(section_lines));
  ScaleSimConfig c;
  c.file = path;
  if (const Entry* e = r.Find("general", "run_name")) c.run_name = e->value;

  const Entry& mode = r.Require("run_presets", "interfacebandwidth", "InterfaceBandwidth");
  if (mode.value != "USER" && mode.value != "CALC") {
    r.Fail(mode, "must be USER or CALC, got '" + mode.value + "'");
  }
  c.user_bandwidth = mode.value == "USER";

  const std::string arch = "architecture_presets";
  c.array_rows = r.Int(r.Require(arch, "arrayheight", "ArrayHeight"), 1, kMaxArray);
  c.array_cols = r.Int(r.Require(arch, "arraywidth", "ArrayWidth"), 1, kMaxArray);
  c.ifmap_kib = r.Int(r.Require(arch, "ifmapsramszkb", "IfmapSramSzkB"), 1, kMaxBufferKiB);
  c.filter_kib = r.Int(r.Require(arch, "filtersramszkb", "FilterSramSzkB"), 1, kMaxBufferKiB);
  c.ofmap_kib = r.Int(r.Require(arch, "ofmapsramszkb", "OfmapSramSzkB"), 1, kMaxBufferKiB);
  for (const char* offset : {"ifmapoffset", "filteroffset", "ofmapoffset"}) {
    if (const Entry* e = r.Find(arch, offset)) r.Int(*e, 0, std::int64_t{1} << 62);
  }
  const Entry& dataflow = r.Require(arch, "dataflow", "Dataflow");
  if (dataflow.value != "os" && dataflow.value != "ws" && dataflow.value != "is") {
    r.Fail(dataflow, "must be os, ws or is, got '" + dataflow.value + "'");
  }
  c.dataflow = dataflow.value;
  if (const Entry* bw = c.user_bandwidth ? &r.Require(arch, "bandwidth", "Bandwidth")
                                         : r.Find(arch, "bandwidth")) {
    std::istringstream list(bw->value);
    std::string item;
    std::vector<std::int64_t> values;
    while (std::getline(list, item, ',')) {
      Entry one = *bw;
      one.value = Trim(item);
      values.push_back(r.Int(one, 1, std::int64_t{1} << 40));
    }
    if (values.empty()) r.Fail(*bw, "expected words per cycle, e.g. 10");
    if (c.user_bandwidth) {
      // single_layer_sim.py gives every buffer the first bank's rate.
      c.bandwidth_words = values.front();
      if (values.size() > 1) {
        c.notes.push_back(bw->key + " lists " + std::to_string(values.size()) +
                          " rates; SCALE-Sim gives each buffer the first (" +
                          std::to_string(values.front()) + " words/cycle), and so does pjsim");
      }
    }
  }
  if (const Entry* e = r.Find("network_presets", "topologycsvloc")) {
    std::string t = e->value;
    if (t.size() >= 2 && t.front() == '"' && t.back() == '"') t = t.substr(1, t.size() - 2);
    c.topology = t;
  }
  if (const Entry* e = r.Find("sparsity", "sparsitysupport")) {
    if (Lower(e->value) == "true") {
      r.Fail(*e,
             "SCALE-Sim's sparse mode (compressed filter rows) is not modelled by pjsim; "
             "set it false to compare the dense array");
    }
  }
  // What pjsim does not read: a note each, so a configuration of a later SCALE-Sim still loads
  // and the user sees what was left out.
  for (const auto& [section, keys] : r.sections()) {
    const auto read = ReadKeys().find(section);
    for (const auto& [lower, e] : keys) {
      if (read != ReadKeys().end() && read->second.count(lower)) continue;
      if (QuietKeys().count(lower)) {
        if ((lower == "ifmapcustomlayout" || lower == "filtercustomlayout") &&
            Lower(e.value) == "true") {
          c.notes.push_back(e.key + " (line " + std::to_string(e.line) +
                            "): SCALE-Sim's SRAM bank layout study is not modelled; pjsim's "
                            "SRAM ports never limit the array");
        }
        continue;
      }
      std::vector<std::string> names;
      if (read != ReadKeys().end()) names.assign(read->second.begin(), read->second.end());
      const std::string guess = DidYouMean(lower, names);
      c.notes.push_back("'" + e.key + "' in [" + section + "] (line " + std::to_string(e.line) +
                        ") is not read by pjsim; ignored" +
                        (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
    }
  }
  return c;
}

}  // namespace pjsim
