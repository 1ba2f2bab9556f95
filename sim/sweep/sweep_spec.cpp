#include "sim/sweep/sweep_spec.h"

#include <filesystem>
#include <map>

#include "sim/config/file_text.h"
#include "sim/sweep/report_metrics.h"
#include "sim/sweep/spec_names.h"
#include "sim/sweep/yaml_node_at.h"

namespace pjsim::sweep {
namespace {

namespace fs = std::filesystem;

bool ValidScopedKey(const std::string& key) {
  const auto dot = key.find('.');
  const std::string scope = key.substr(0, dot);
  return (scope == "arch" || scope == "tech" || scope == "workload") && dot != std::string::npos &&
         dot + 1 < key.size() && key.back() != '.' && key.find("..") == std::string::npos;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

Expression ReadExpression(ConfigMap& m, const std::string& key) {
  const std::string text = m.String(key);
  const std::string path = (m.path().empty() ? "" : m.path() + ".") + key;
  return Expression::Parse(text, ScalarTextStart(m.document(), path), "'" + path + "'");
}

void CheckFileExists(const SweepSpec& s, const std::string& path, const SourceLocation& where) {
  std::error_code ec;
  const std::string resolved = s.Resolve(path);
  if (!fs::is_regular_file(resolved, ec)) {
    throw ConfigError(where, "no such file '" + resolved + "' (paths are relative to the spec)");
  }
}

void ReadBase(ConfigMap root, SweepSpec& s) {
  ConfigMap base = root.Map("base");
  s.arch = base.StringOr("arch", "");
  s.tech = base.StringOr("tech", "");
  s.workload = base.StringOr("workload", "");
  base.Finish();
  for (const char* key : {"arch", "tech", "workload"}) {
    const std::string& path = key == std::string("arch")   ? s.arch
                              : key == std::string("tech") ? s.tech
                                                           : s.workload;
    if (!path.empty()) CheckFileExists(s, path, base.WhereKey(key));
  }
  for (const char* key : {"arch", "workload"}) {
    const bool given = key == std::string("arch") ? !s.arch.empty() : !s.workload.empty();
    if (!given && s.AxisIndex(key) < 0) {
      base.FailHere(std::string("missing '") + key + "' (give base." + key +
                    " or an axis with key: " + key + ")");
    }
  }
}

void ReadSet(ConfigMap root, SweepSpec& s) {
  if (!root.Has("set")) return;
  ConfigMap set = root.Map("set");
  for (const auto& key : set.Keys()) {
    const std::string value = set.String(key);
    if (!ValidScopedKey(key)) {
      set.Fail(key, "override keys start with arch., tech. or workload.");
    }
    if (s.AxisIndex(key) >= 0) set.Fail(key, "'" + key + "' is also an axis; remove one of them");
    s.set.emplace_back(key, value);
  }
  set.Finish();
}

void ReadAxes(ConfigMap root, SweepSpec& s) {
  const std::vector<ConfigMap> entries = root.MapList("axes");
  if (entries.empty()) root.Fail("axes", "needs at least one axis");
  std::map<std::string, size_t> zip_first;  // group -> first axis index
  for (const auto& entry : entries) {
    Axis axis = ReadAxis(entry);
    if (const int prior = s.AxisIndex(axis.key); prior >= 0) {
      throw ConfigError(
          axis.where, "axis '" + axis.key + "' is already swept by axes." + std::to_string(prior));
    }
    if (axis.IsFileAxis()) {
      for (const auto& v : axis.values) CheckFileExists(s, v.text, v.where);
    }
    if (!axis.zip.empty()) {
      if (auto it = zip_first.find(axis.zip); it != zip_first.end()) {
        const Axis& first = s.axes[it->second];
        if (first.values.size() != axis.values.size()) {
          throw ConfigError(axis.where, "zip group '" + axis.zip + "': axis '" + axis.key +
                                            "' has " + std::to_string(axis.values.size()) +
                                            " values but '" + first.key + "' has " +
                                            std::to_string(first.values.size()) +
                                            " (zipped axes advance together)");
        }
      } else {
        zip_first[axis.zip] = s.axes.size();
      }
    }
    s.axes.push_back(std::move(axis));
  }
  // Each zip group's points must differ: its value tuples are distinct.
  for (const auto& [group, first] : zip_first) {
    std::map<std::string, size_t> seen;
    const Axis& lead = s.axes[first];
    for (size_t i = 0; i < lead.values.size(); ++i) {
      std::string tuple;
      for (const Axis& a : s.axes) {
        if (a.zip == group) tuple += (tuple.empty() ? "" : ", ") + a.values[i].text;
      }
      if (auto [it, fresh] = seen.emplace(tuple, i); !fresh) {
        throw ConfigError(lead.values[i].where, "zip group '" + group + "' has the values (" +
                                                    tuple + ") twice (positions " +
                                                    std::to_string(it->second + 1) + " and " +
                                                    std::to_string(i + 1) + ")");
      }
    }
  }
}

std::vector<std::string> AxisKeys(const SweepSpec& s) {
  std::vector<std::string> keys;
  for (const auto& a : s.axes) keys.push_back(a.key);
  return keys;
}

void ReadFilters(ConfigMap root, SweepSpec& s) {
  if (!root.Has("filters")) return;
  const std::vector<std::string> keys = AxisKeys(s);
  for (ConfigMap entry : root.MapList("filters")) {
    FilterRule rule;
    rule.require = ReadExpression(entry, "require");
    rule.reason = entry.String("reason");
    entry.Finish();
    for (const auto& ref : rule.require.references()) {
      if (s.AxisIndex(ref.name) >= 0) continue;
      rule.require.Fail(ref.offset, "unknown axis key '" + ref.name + "'" +
                                        DidYouMeanHint(ref.name, keys) +
                                        "; filters see axis keys: " + JoinNames(keys));
    }
    s.filters.push_back(std::move(rule));
  }
}

void ReadDerived(ConfigMap root, SweepSpec& s) {
  if (!root.Has("derived")) return;
  std::vector<std::string> candidates = AxisKeys(s);
  for (const auto& k : TotalKeys()) candidates.push_back("total." + k);
  for (const auto& k : SimulationKeys()) candidates.push_back("simulation." + k);
  for (const auto& k : RunKeys()) candidates.push_back("run." + k);
  std::vector<std::string> derived_names;
  for (ConfigMap entry : root.MapList("derived")) {
    DerivedColumn column;
    column.name = entry.String("name");
    if (!IsIdentifier(column.name)) {
      entry.Fail("name", "column names are letters, digits and '_' (not starting with a digit)");
    }
    for (const char* reserved : {"point", "config_hash", "status", "error"}) {
      if (column.name == reserved) entry.Fail("name", "'" + column.name + "' is a built-in column");
    }
    for (const auto& other : derived_names) {
      if (other == column.name)
        entry.Fail("name", "derived column '" + other + "' is defined twice");
    }
    column.expr = ReadExpression(entry, "expr");
    column.unit = entry.StringOr("unit", "");
    entry.Finish();
    for (const auto& ref : column.expr.references()) {
      if (s.AxisIndex(ref.name) >= 0) continue;
      bool earlier = false;
      for (const auto& n : derived_names) earlier = earlier || n == ref.name;
      if (earlier) continue;
      if (ref.name == column.name) {
        column.expr.Fail(ref.offset, "derived column '" + ref.name + "' refers to itself");
      }
      if (IsReportName(ref.name)) {
        const std::string problem = CheckReportName(ref.name);
        if (problem.empty()) continue;
        column.expr.Fail(ref.offset, problem + DidYouMeanHint(ref.name, candidates));
      }
      column.expr.Fail(ref.offset,
                       "unknown name '" + ref.name + "'" + DidYouMeanHint(ref.name, candidates) +
                           "; derived columns see axis keys, earlier derived columns, total.*, "
                           "energy_by_category.*, simulation.* and config.*");
    }
    derived_names.push_back(column.name);
    candidates.push_back(column.name);
    s.derived.push_back(std::move(column));
  }
}

}  // namespace

int SweepSpec::AxisIndex(const std::string& key) const {
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i].key == key) return static_cast<int>(i);
  }
  return -1;
}

std::string SweepSpec::Resolve(const std::string& path) const {
  const fs::path p(path);
  return p.is_absolute() || dir.empty() ? path : (fs::path(dir) / p).string();
}

SweepSpec ParseSweepSpec(const std::string& text, const std::string& file) {
  auto doc = ConfigDocument::Parse(text, file);
  ConfigMap root = ConfigMap::Root(doc);
  // Unknown top-level keys first, so a misspelt 'axes' is reported as such, not as missing.
  for (const char* key : {"name", "description", "base", "set", "axes", "filters", "derived"}) {
    root.Has(key);
  }
  root.Finish();

  SweepSpec s;
  s.file = file;
  s.dir = fs::path(file).parent_path().string();
  s.text = text;
  s.name = root.StringOr("name", fs::path(file).stem().string());
  for (const char c : s.name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      root.Fail("name", "names are letters, digits, '-', '_' and '.' (the name is a directory)");
    }
  }
  if (s.name.empty()) root.Fail("name", "must not be empty");
  s.description = root.StringOr("description", "");
  ReadAxes(root, s);
  ReadBase(root, s);
  ReadSet(root, s);
  ReadFilters(root, s);
  ReadDerived(root, s);
  return s;
}

SweepSpec LoadSweepSpec(const std::string& path) {
  return ParseSweepSpec(ReadInputFile(path), path);
}

}  // namespace pjsim::sweep
