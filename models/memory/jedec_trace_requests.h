#pragma once
// The requests of a DRAM trace (sim/config/dram_trace.h) for one channel of the jedec model, as
// the reference simulators issue them: one burst-sized request per line (64 B, or one burst
// where a burst is larger), at the trace's address with the bits below a burst dropped and the
// bits above the channel's capacity dropped (DRAMsim3's and Ramulator 2's address mappers slice
// their fields from the address and ignore the rest), due at the trace's cycle (clocks of tCK)
// and never before the line above it (both simulators take a trace in order).
#include <vector>

#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"
#include "sim/config/dram_trace.h"

namespace pjsim {

std::vector<JedecRequest> JedecTraceRequests(const JedecParams& p,
                                             const std::vector<DramTraceEntry>& trace);

}  // namespace pjsim
