#pragma once
// The one door from plain C++ (sim/) into the SystemC platform: configuration objects in,
// ledger and timings out. No SystemC types cross it. Each call elaborates a fresh platform in a
// fresh SystemC context, so a process may simulate any number of design points one after another.
#include "sim/config/arch_config.h"
#include "sim/energy/tech_table.h"
#include "sim/mapping/mapping_search.h"
#include "sim/report/run_observer.h"
#include "sim/report/simulation_result.h"
#include "sim/report/trace_recorder.h"
#include "sim/workload/workload.h"

namespace pjsim {

// Throws ConfigError if the workload cannot run on the architecture (e.g. a dtype the tile kind
// lacks); std::runtime_error if a layer cannot be mapped.
// With `trace`, the run's timeline is recorded into it (see sim/report/trace_recorder.h); with
// `observer`, it is told of each layer and pass as it finishes (progress). `replay` lets a layer
// run that repeats an earlier one exactly be applied from its record instead of simulated
// (models/layer_replay.h; same results, for tests to compare). `refiner` simulates candidate
// mappings for `mapping.refine` (sim/cli/simulated_refiner.h; none: the cost model decides).
SimulationResult Simulate(const ArchConfig& arch, const TechTable& tech, const Workload& workload,
                          TraceRecorder* trace = nullptr, RunObserver* observer = nullptr,
                          bool replay = true, MappingRefiner refiner = {});

}  // namespace pjsim
