#pragma once
// The SystemC adapter hands the `jedec` controller its requests as they arrive and lets it decide
// up to the next wake-up; a schedule must not depend on those wake-ups. This drives a controller
// that way (random wake-ups from `seed`) on a mixed read/write stream and expects every request
// served as when the whole stream is queued at once.
#include <cstdint>
#include <string>

#include "models/memory/jedec_params.h"

namespace pjsim::test {

void ExpectIncrementalDriverMatchesAllQueued(const JedecParams& p, std::uint64_t seed,
                                             const std::string& what = "");

}  // namespace pjsim::test
