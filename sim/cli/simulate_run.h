#pragma once
// One `pjsim run`, from its inputs to the report.json text, shared by the command line and the
// Python package (sim/python) so that both give the same bytes for the same inputs.
#include <string>

#include "sim/mapping/mapping_search.h"
#include "sim/report/run_observer.h"
#include "sim/report/simulation_result.h"
#include "sim/report/trace_recorder.h"
#include "sim/run/run_config.h"

namespace pjsim::cli {

// Simulates `config` and refuses a run whose simulated time comes too close to the 2^63 ps
// SystemC represents (ConfigError naming the architecture file). `refiner`: for
// `mapping.refine` (sim/cli/simulated_refiner.h).
SimulationResult SimulateRun(const RunConfig& config, TraceRecorder* trace, RunObserver* observer,
                             MappingRefiner refiner = {});

// The carbon inputs of --carbon LOCATION, --carbon-table FILE and --pue X (empty: the defaults).
CarbonInputs CarbonInputsFrom(const std::string& location, const std::string& table_path,
                              const std::string& pue);

// Loads, simulates and returns report.json's text (no files written, nothing printed).
std::string RunReportJson(const RunInputs& inputs, const CarbonInputs& carbon);

}  // namespace pjsim::cli
