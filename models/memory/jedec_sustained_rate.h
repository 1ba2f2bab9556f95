#pragma once
// What a JEDEC channel sustains on a long stream of reads, measured by running the channel's own
// controller (the `pjsim dram-bench --pattern seq-read` stream) over several refresh intervals:
// refresh, the activation window (tRRD, tFAW) and the column-to-column spacing of the preset's
// address mapping all take their share, as they do in a simulation. The mapping search prices
// DRAM transfers at this rate (ModelParams::SustainedReadFraction).
#include "models/memory/jedec_params.h"

namespace pjsim {

// Sustained bandwidth over peak, in (0, 1]; JedecParams::SustainedReadFraction memoises it.
double JedecSustainedReadFraction(const JedecParams& p);

}  // namespace pjsim
