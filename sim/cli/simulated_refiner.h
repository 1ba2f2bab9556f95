#pragma once
// `mapping.refine: K` (docs/MAPPING.md, "Simulated refinement"): the mapping search's K best
// candidates for a layer are each simulated alone and the run takes the best by what the
// simulation measured. A SystemC kernel runs one simulation per process, so each candidate is a
// child `pjsim run` of the run's own inputs with `--only-layer` and the candidate pinned by
// `mapping.constraints`, in a temporary directory that is removed afterwards.
#include <string>
#include <vector>

#include "sim/mapping/mapping_search.h"
#include "sim/run/run_config.h"

namespace pjsim::cli {

// A refiner for the run of `inputs` (on an arch that double-buffers or not; the workload run in
// `phase`), running `executable` (a pjsim binary) for each candidate. A candidate whose child
// fails is left out (nullopt) and named on stderr; a decode layer that changes from pass to pass
// (`SameInEveryPass`) is not simulated (every candidate nullopt, no child, no message).
MappingRefiner SimulatedRefiner(const RunInputs& inputs, std::string executable,
                                bool double_buffering, Phase phase);

// The `--set` overrides that pin `m` as a layer's only mapping (every mapping.constraints key),
// for an arch that double-buffers or not.
std::vector<std::string> PinnedMappingOverrides(const GemmMapping& m, bool double_buffering);

}  // namespace pjsim::cli
