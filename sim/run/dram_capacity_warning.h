#pragma once
// A run whose tensors take more DRAM than its channels address still runs, as DRAMsim3 and
// Ramulator 2 run such traces: the address map drops the bits above a channel's capacity, so the
// tensors past it share rows with those below, and row hits and conflicts between them are an
// artefact of the too-small memory. The run says so, once, before it starts.
#include <string>

#include "sim/run/run_config.h"

namespace pjsim {

// The one-line warning for `config` (`ARCH: dram: ...`, no trailing newline), or empty if its
// tensors fit or its DRAM model has no capacity.
std::string DramCapacityWarning(const RunConfig& config);

}  // namespace pjsim
