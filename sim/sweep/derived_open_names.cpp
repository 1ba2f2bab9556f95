#include "sim/sweep/derived_open_names.h"

#include <filesystem>
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
  // Both sets depend on the point (tile kind, DRAM model, gating, layers, overrides): load each
  // distinct point once. A point that does not load is left to its own run to report.
  const std::filesystem::path base = spec.dir.empty() ? "." : spec.dir;
  const auto path = [&](const std::string& f) {
    return f.empty() ? f : (base / f).lexically_normal().string();
  };
  std::set<std::string> loaded, known;
  for (const DesignPoint& p : points) {
    if (!p.skip_reason.empty()) continue;
    std::string key = p.arch + "\n" + p.tech + "\n" + p.workload;
    for (const std::string& o : p.overrides) key += "\n" + o;
    if (!loaded.insert(key).second) continue;
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
