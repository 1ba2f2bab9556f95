#pragma once
// The outputs of `pjsim run`: report.json (totals, categories, counts with unit prices, layers,
// resolved config), layers.csv, and the human summary printed on the terminal.
#include <string>

#include "sim/report/simulation_result.h"
#include "sim/run/run_config.h"

namespace pjsim {

std::string ReportJson(const RunConfig& config, const std::string& resolved_yaml,
                       const SimulationResult& result);
std::string LayersCsv(const RunConfig& config, const SimulationResult& result);
std::string SummaryText(const RunConfig& config, const SimulationResult& result);

}  // namespace pjsim
