#include "sim/sweep/claim_spec.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "sim/config/file_text.h"
#include "sim/config/yaml_reader.h"
#include "sim/sweep/claim_metrics.h"
#include "sim/sweep/spec_names.h"
#include "sim/sweep/yaml_node_at.h"

namespace pjsim::sweep {
namespace {

namespace fs = std::filesystem;

std::string Child(const ConfigMap& m, const std::string& key) {
  return (m.path().empty() ? "" : m.path() + ".") + key;
}

void CheckFile(const ClaimSpec& s, ConfigMap& m, const std::string& key, const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(s.Resolve(path), ec)) {
    m.Fail(key, "no such file '" + s.Resolve(path) + "' (paths are relative to the claim file)");
  }
}

ClaimRun ReadRun(const ClaimSpec& s, ConfigMap m) {
  ClaimRun r;
  r.name = m.String("name");
  if (!IsIdentifier(r.name)) {
    m.Fail("name", "run names are letters, digits and '_' (not starting with a digit)");
  }
  if (m.Has("numerics")) {
    for (const char* key : {"arch", "tech", "workload", "import", "set"}) {
      if (m.Has(key)) {
        m.Fail(key, "run '" + r.name + "' is a numerics computation: it takes no '" + key + "'");
      }
    }
    r.numerics = ReadClaimNumerics(m.Map("numerics"));
    m.Finish();
    return r;
  }
  r.arch = m.String("arch");
  CheckFile(s, m, "arch", r.arch);
  r.tech = m.StringOr("tech", "");
  if (!r.tech.empty()) CheckFile(s, m, "tech", r.tech);
  const bool has_workload = m.Has("workload");
  const bool has_import = m.Has("import");
  if (has_workload == has_import) {
    m.FailHere("run '" + r.name + "' needs exactly one of 'workload', 'import' and 'numerics'");
  }
  if (has_workload) {
    r.workload = m.String("workload");
    CheckFile(s, m, "workload", r.workload);
  } else {
    ConfigMap imp = m.Map("import");
    r.import_config = imp.String("config");
    CheckFile(s, imp, "config", r.import_config);
    if (imp.Has("args")) r.import_args = imp.StringList("args");
    for (const auto& a : r.import_args) {
      if (a == "-o" || a == "--o" || a == "--out" || a.rfind("-o=", 0) == 0 ||
          a.rfind("--o=", 0) == 0 || a.rfind("--out=", 0) == 0) {
        imp.Fail("args", "the register chooses where the workload goes: drop '" + a + "'");
      }
    }
    imp.Finish();
  }
  if (m.Has("set")) r.set = m.StringList("set");
  for (const auto& kv : r.set) {
    const auto eq = kv.find('=');
    const std::string key = kv.substr(0, eq);
    const std::string scope = key.substr(0, key.find('.'));
    if (eq == std::string::npos || key.find('.') == std::string::npos ||
        (scope != "arch" && scope != "tech" && scope != "workload")) {
      m.Fail("set", "'" + kv + "' is not KEY=VALUE with KEY under arch., tech. or workload.");
    }
  }
  m.Finish();
  return r;
}

ClaimValue ReadValue(ConfigMap m, const std::string& name) {
  ClaimValue v;
  v.name = name;
  const std::string text = m.String("expr");
  const std::string path = Child(m, "expr");
  v.expr = Expression::Parse(text, ScalarTextStart(m.document(), path), "'" + path + "'");
  v.unit = m.StringOr("unit", "");
  v.digits = static_cast<int>(m.IntOr("digits", 1, 0, 9));
  m.Finish();
  return v;
}

// Every name an expression uses is RUN.METRIC for a run of the claim, or an earlier value.
void CheckReferences(const ClaimSpec& s, const ClaimValue& v,
                     const std::vector<std::string>& known) {
  std::vector<std::string> candidates = known;
  for (const auto& r : s.runs) candidates.push_back(r.name + ".total.energy_pj");
  for (const auto& ref : v.expr.references()) {
    if (std::find(known.begin(), known.end(), ref.name) != known.end()) continue;
    if (ref.name == v.name) v.expr.Fail(ref.offset, "'" + v.name + "' refers to itself");
    const auto dot = ref.name.find('.');
    const std::string run = ref.name.substr(0, dot);
    const ClaimRun* found = nullptr;
    for (const auto& r : s.runs) found = r.name == run ? &r : found;
    if (!found || dot == std::string::npos) {
      v.expr.Fail(ref.offset, "unknown name '" + ref.name + "'" +
                                  DidYouMeanHint(ref.name, candidates) +
                                  "; expressions see RUN.METRIC of this claim's runs and the "
                                  "values defined before this one");
    }
    const std::string metric = ref.name.substr(dot + 1);
    if (found->numerics.has_value() != IsNumericsMetricName(metric)) {
      v.expr.Fail(ref.offset, found->numerics ? "run '" + run +
                                                    "' is a numerics computation: its metrics are "
                                                    "numerics.DISTRIBUTION.VARIANT.METRIC"
                                              : "run '" + run +
                                                    "' is a simulation: numerics.* metrics "
                                                    "belong to numerics runs");
    }
    if (!found->numerics && !IsClaimMetricName(metric)) {
      v.expr.Fail(ref.offset, "unknown metric '" + metric + "' of run '" + run +
                                  "' (metrics start with total., energy_by_category., run., "
                                  "simulation., config., power_gating., counts., layers., ops. "
                                  "or ops_only_estimate.)");
    }
    const std::string problem = CheckReportName(metric);
    if (IsReportName(metric) && !problem.empty()) v.expr.Fail(ref.offset, problem);
  }
}

// {name} placeholders of the explanation must name values.
void CheckPlaceholders(const ClaimSpec& s, ConfigMap& root, const std::vector<std::string>& known) {
  size_t pos = 0;
  while ((pos = s.explains.find('{', pos)) != std::string::npos) {
    const auto end = s.explains.find('}', pos);
    if (end == std::string::npos) root.Fail("explains", "'{' without a closing '}'");
    const std::string name = s.explains.substr(pos + 1, end - pos - 1);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string all;
      for (const auto& k : known) all += (all.empty() ? "" : ", ") + k;
      root.Fail("explains", "unknown value '{" + name + "}'" + DidYouMeanHint(name, known) +
                                "; the text can quote " + all);
    }
    pos = end + 1;
  }
}

}  // namespace

std::string ClaimSpec::Resolve(const std::string& path) const {
  const fs::path p(path);
  return p.is_absolute() || dir.empty() ? path : (fs::path(dir) / p).string();
}

ClaimSpec ParseClaimSpec(const std::string& text, const std::string& file) {
  auto doc = ConfigDocument::Parse(text, file);
  ConfigMap root = ConfigMap::Root(doc);
  // Unknown top-level keys first, so a misspelt key is reported as such, not as missing.
  for (const char* key : {"title", "claim", "source", "counts", "claimed", "runs", "values",
                          "counted", "full", "explains"}) {
    root.Has(key);
  }
  root.Finish();

  ClaimSpec s;
  s.file = file;
  s.dir = fs::path(file).parent_path().string();
  s.name = fs::path(file).stem().string();
  s.title = root.String("title");
  s.claim = root.String("claim");
  s.source = root.String("source");
  s.counts = root.String("counts");
  s.claimed = root.String("claimed");
  for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"title", &s.title},
                                   {"claim", &s.claim},
                                   {"source", &s.source},
                                   {"counts", &s.counts},
                                   {"claimed", &s.claimed}}) {
    if (value->find_first_not_of(" \t\n") == std::string::npos) {
      root.Fail(key, "must not be empty");
    }
  }
  std::vector<std::string> run_names;
  for (ConfigMap entry : root.MapList("runs")) {
    ClaimRun r = ReadRun(s, entry);
    if (std::find(run_names.begin(), run_names.end(), r.name) != run_names.end()) {
      entry.Fail("name", "run '" + r.name + "' is defined twice");
    }
    run_names.push_back(r.name);
    s.runs.push_back(std::move(r));
  }
  if (s.runs.empty()) root.Fail("runs", "a claim needs at least one run");

  std::vector<std::string> known;
  const auto add = [&](ClaimValue v, ConfigMap& where, const std::string& key) {
    if (std::find(run_names.begin(), run_names.end(), v.name) != run_names.end() ||
        std::find(known.begin(), known.end(), v.name) != known.end()) {
      where.Fail(key, "'" + v.name + "' is already the name of a run or value");
    }
    CheckReferences(s, v, known);
    known.push_back(v.name);
    s.values.push_back(std::move(v));
  };
  if (root.Has("values")) {
    for (ConfigMap entry : root.MapList("values")) {
      const std::string name = entry.String("name");
      if (!IsIdentifier(name) || name == "counted" || name == "full") {
        entry.Fail("name",
                   "value names are letters, digits and '_' (not 'counted' or 'full', which "
                   "are the table's columns)");
      }
      add(ReadValue(entry, name), entry, "name");
    }
  }
  for (const char* column : {"counted", "full"}) {
    ConfigMap m = root.Map(column);
    add(ReadValue(m, column), root, column);
  }
  s.explains = root.String("explains");
  CheckPlaceholders(s, root, known);
  return s;
}

ClaimSpec LoadClaimSpec(const std::string& path) {
  return ParseClaimSpec(ReadInputFile(path), path);
}

std::string FormatClaimValue(double v, const ClaimValue& value) {
  if (!std::isfinite(v)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", value.digits, v);
  std::string text = buffer;
  if (text.find_first_not_of("-0.") == std::string::npos && text[0] == '-') text.erase(0, 1);
  return text + value.unit;
}

}  // namespace pjsim::sweep
