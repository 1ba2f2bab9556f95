#pragma once
// Ramulator 2's DDR4 and DDR5 device presets and the rules it derives the remaining timings by
// (github.com/CMU-SAFARI/ramulator2, commit 525d045f: src/dram/impl/DDR4.cpp, DDR5.cpp,
// src/base/utils.cpp), so that a Ramulator configuration naming `org: {preset: DDR4_8Gb_x8}` and
// `timing: {preset: DDR4_3200AA}` imports with the numbers Ramulator itself would simulate. The
// values are JEDEC's (JESD79-4C speed bins and Tables 169-170, JESD79-5 for DDR5) as Ramulator
// lists them; docs/RAMULATOR.md, "Ramulator 2 configurations".
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pjsim::ramulator2 {

enum class Standard { kDdr4, kDdr5 };

// One device organisation: density in Mb, DQ width, and the level counts.
struct Organization {
  std::int64_t density_mb = -1;
  std::int64_t dq = -1;
  std::int64_t channel = -1, rank = -1, bankgroup = -1, bank = -1, row = -1, column = -1;
};

// Timings by Ramulator's names (nCL, nRCD, ...; "rate" in MT/s, "tCK_ps"); -1 = not yet known.
using Timings = std::map<std::string, std::int64_t>;

// The timing names of a standard in Ramulator's order.
const std::vector<std::string>& TimingNames(Standard s);

// A named preset, or nullptr.
const Organization* FindOrganization(Standard s, std::string_view name);
const Timings* FindTimingPreset(Standard s, std::string_view name);
std::vector<std::string> OrganizationNames(Standard s);
std::vector<std::string> TimingPresetNames(Standard s);

// The clock period Ramulator computes from the rate: 1e6 / (rate / 2) ps, the division of
// integers first (DDR4-2933: 682 ps).
std::int64_t ClockPeriodPs(std::int64_t rate);

// Ramulator's conversion of a time in ns to clocks: JEDEC_rounding for DDR4 (a 0.974-clock
// correction, then truncation), JEDEC_rounding_DDR5 (a 0.997 factor, then rounding up), both
// computed in single precision as Ramulator does.
std::int64_t JedecRounding(Standard s, float t_ns, std::int64_t tck_ps);

// Fills in what Ramulator derives from the rate, the DQ width and the density, as it does before
// applying a configuration's own timings: DDR4 nRRDS, nRRDL, nFAW (by DQ and rate), nRFC (tRFC1
// by density) and nREFI (7.8 us); DDR5 nRRDL and nFAW (3200 only), nCCDL_WR for x4, nRFC1,
// nRFC2, nRFCsb, nREFI (3.9 us), the RFM timings and the DRFM ones (`brc` x tRRF). Entries a
// table does not cover (another rate or density) stay -1.
void DeriveTimings(Standard s, std::int64_t dq, std::int64_t density_mb, std::int64_t brc,
                   Timings& t);

}  // namespace pjsim::ramulator2
