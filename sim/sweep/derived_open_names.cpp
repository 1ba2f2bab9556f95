#include "sim/sweep/derived_open_names.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "sim/config/yaml_reader.h"
#include "sim/run/chargeable_categories.h"
#include "sim/run/run_config.h"
#include "sim/sweep/report_metrics.h"

namespace pjsim::sweep {
namespace {

const std::string kCategory = "energy_by_category.";
const std::string kConfig = "config.";

bool IsNumber(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

bool Open(const SweepSpec& spec, const std::string& name) {
  return spec.AxisIndex(name) < 0 && (name.rfind(kCategory, 0) == 0 || name.rfind(kConfig, 0) == 0);
}

}  // namespace

void CheckOpenDerivedNames(const SweepSpec& spec, const std::vector<DesignPoint>& points) {
  bool named = false;
  for (const auto& column : spec.derived) {
    for (const auto& ref : column.expr.references()) named |= Open(spec, ref.name);
  }
  if (!named) return;
  // Both sets depend on the point (tile kind, DRAM model, gating, layers, overrides). A point
  // that does not load is left to its own run to report.
  const std::filesystem::path base = spec.dir.empty() ? "." : spec.dir;
  const auto path = [&](const std::string& f) {
    return f.empty() ? f : (base / f).lexically_normal().string();
  };
  // Which categories and keys exist depends on the files and on values that name things (a tile
  // kind, a gating policy, a list of channels), not on numbers (timeouts, rates, sizes): points
  // that differ only in numbers are loaded once. Past kMaxLoads distinct configurations the
  // check is left to the end of the sweep (sweep_driver.cpp), which sees every report.
  constexpr size_t kMaxLoads = 48;
  std::map<std::string, const DesignPoint*> distinct;
  for (const DesignPoint& p : points) {
    if (!p.skip_reason.empty()) continue;
    std::string key = p.arch + "\n" + p.tech + "\n" + p.workload;
    for (const std::string& o : p.overrides) {
      const size_t eq = o.find('=');
      const bool number = eq != std::string::npos && IsNumber(o.substr(eq + 1));
      key += "\n" + (number ? o.substr(0, eq) + "=#" : o);
    }
    distinct.emplace(key, &p);
    if (distinct.size() > kMaxLoads) return;
  }
  std::set<std::string> known;
  for (const auto& entry : distinct) {
    const DesignPoint& p = *entry.second;
    try {
      const RunInputs inputs{path(p.arch), path(p.tech), path(p.workload), p.overrides};
      const RunConfig config = LoadRunConfig(inputs);
      for (const std::string& c : ChargeableCategories(config)) known.insert(kCategory + c);
      const YAML::Node no_report(YAML::NodeType::Map);
      for (const auto& [name, value] :
           FlattenReport(no_report, YAML::Load(ResolvedConfigYaml(config, inputs)))) {
        known.insert(name);
      }
    } catch (const std::exception&) {
    }
  }
  if (known.empty()) return;
  const std::vector<std::string> candidates(known.begin(), known.end());
  for (const auto& column : spec.derived) {
    for (const auto& ref : column.expr.references()) {
      if (!Open(spec, ref.name) || known.count(ref.name) > 0) continue;
      const std::string guess = DidYouMean(ref.name, candidates);
      column.expr.Fail(ref.offset, "no point of the sweep has '" + ref.name + "'" +
                                       (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
    }
  }
}

}  // namespace pjsim::sweep
