#pragma once
// The result metrics of one design point, read from its report.json, under the names that
// results.csv columns, derived-column expressions, `pjsim report --metric` and the figure scripts
// all share:
//   total.<key>               the report's totals (total.energy_pj, total.seconds, ...)
//   energy_by_category.<cat>  energy per ledger category, pJ (energy_by_category.dram.read)
//   simulation.<key>          simulation work (simulation.tile_tasks, ...)
//   run.<key>                 the run's phase, passes and per-token figures
//   (run.energy_per_token_pj) power_gating.<path>       the gating summary
//   (power_gating.reload_bytes,
//                             power_gating.domains.0.gatings, ...)
//   area.<path>               silicon area and per-mm2 figures (area.total_mm2,
//                             area.breakdown_mm2.sram, area.peak_tops_per_mm2,
//                             area.tokens_per_s_per_mm2)
//   carbon.<path>             the carbon footprint (carbon.per_token_g, docs/CARBON.md)
//   config.<dotted path>      the resolved config; values with units in base units (bytes, Hz,
//                             pJ, s, bytes/s, ...), e.g. config.arch.tile.sram.capacity
#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

#include "sim/sweep/expression.h"

namespace pjsim::sweep {

struct MetricInfo {
  std::string name;
  std::string unit;  // for table headers and figure labels; "" = dimensionless
};

// total.* and simulation.* metrics every report has, in results.csv column order.
const std::vector<MetricInfo>& StandardMetrics();
// Every total.* key a report has (a superset of those in StandardMetrics()).
const std::vector<std::string>& TotalKeys();
const std::vector<std::string>& SimulationKeys();
// Every run.* key a report can have (some only for token workloads or prefill).
const std::vector<std::string>& RunKeys();

// True if `name` is answered from a point's report (one of the prefixes above).
bool IsReportName(const std::string& name);
// "" when `name` is a valid report name; otherwise why not (e.g. an unknown total.* key).
std::string CheckReportName(const std::string& name);

using FlatMetrics = std::map<std::string, Value>;

// Flattens a report (as parsed JSON) and its resolved config into dotted names.
FlatMetrics FlattenReport(const YAML::Node& report, const YAML::Node& config);

}  // namespace pjsim::sweep
