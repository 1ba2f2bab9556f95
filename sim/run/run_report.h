#pragma once
// The outputs of `pjsim run`: report.json (totals, categories, counts with unit prices, layers,
// resolved config), layers.csv, and the human summary printed on the terminal.
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
std::string LayersCsv(const RunConfig& config, const SimulationResult& result);
std::string SummaryText(const RunConfig& config, const SimulationResult& result);

}  // namespace pjsim
