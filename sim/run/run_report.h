#pragma once
// The outputs of `pjsim run`: report.json (totals, categories, counts with unit prices, layers,
// resolved config), layers.csv, ops.csv (layers rolled up by op group), passes.csv (one row per
// pass, i.e. per decode token), and the human summary printed on the terminal. The CSV columns are
// described in docs/OUTPUTS.md.
#include <yaml-cpp/yaml.h>

#include <string>

#include "sim/report/json_writer.h"
#include "sim/report/simulation_result.h"
#include "sim/run/run_config.h"

namespace pjsim {

std::string ReportJson(const RunConfig& config, const std::string& resolved_yaml,
                       const SimulationResult& result);
// A YAML tree as JSON: scalars become numbers when they are numbers, booleans when true/false,
// else strings (how report.json records the resolved configuration).
void YamlToJson(const YAML::Node& n, JsonWriter& j);
// The report's `area` section as JSON text ("" when the table has no area prices), for a
// design that ran `seconds`: what `pjsim reprice` writes for its new table.
std::string AreaSectionJson(const ArchConfig& arch, const TechTable& tech, const Workload& workload,
                            double seconds);
std::string LayersCsv(const RunConfig& config, const SimulationResult& result);
std::string OpsCsv(const RunConfig& config, const SimulationResult& result);
std::string PassesCsv(const RunConfig& config, const SimulationResult& result);
// Totals, energy by category and the op-group rollup; with `per_layer`, every layer too.
std::string SummaryText(const RunConfig& config, const SimulationResult& result,
                        bool per_layer = false);

}  // namespace pjsim
