#include "sim/cli/simulate_run.h"

#include <cstdint>
#include <utility>

#include "models/simulate.h"
#include "sim/config/config_error.h"
#include "sim/energy/carbon_footprint.h"
#include "sim/energy/carbon_table.h"
#include "sim/run/run_report.h"

namespace pjsim::cli {
namespace {
constexpr std::uint64_t kMaxRunPs = std::uint64_t{1} << 63;
}  // namespace

SimulationResult SimulateRun(const RunConfig& config, TraceRecorder* trace, RunObserver* observer,
                             MappingRefiner refiner) {
  SimulationResult result = Simulate(config.arch, config.tech, config.workload, trace, observer,
                                     true, std::move(refiner));
  // SystemC time is a uint64 count of picoseconds; a run that reaches 2^63 ps (107 days) is
  // too close to wrapping for its report to be trusted (slowest clock, bandwidth and largest
  // layers together can get there), so it is refused like any other out-of-range input.
  if (result.total_ps >= kMaxRunPs) {
    throw ConfigError({config.arch.file, 0, 0},
                      "the simulated time reaches " + std::to_string(result.seconds()) +
                          " s, beyond the 2^63 ps pjsim represents (docs/LIMITS.md); use a faster "
                          "architecture or a smaller workload");
  }
  return result;
}

CarbonInputs CarbonInputsFrom(const std::string& location, const std::string& table_path,
                              const std::string& pue) {
  return SelectCarbon(LoadCarbonTableFile(table_path), location, ParsePueFlag(pue));
}

std::string RunReportJson(const RunInputs& inputs, const CarbonInputs& carbon) {
  RunConfig config = LoadRunConfig(inputs);
  config.carbon = carbon;
  if (config.arch.mapping.refine > 1) {
    // In-process callers (the Python package) cannot start the child runs it needs.
    throw ConfigError({config.arch.file, 0, 0},
                      "'mapping.refine' simulates candidate mappings in child processes of "
                      "`pjsim run`; run this configuration with the pjsim executable");
  }
  const SimulationResult result = SimulateRun(config, nullptr, nullptr);
  return ReportJson(config, ResolvedConfigYaml(config, inputs), result);
}

}  // namespace pjsim::cli
