// The `jedec` controller's write-to-write spacing in one bank group: DDR5 writes to one bank
// group are tCCD_L_WR apart (JESD79-5), longer than the reads' tCCD_L; writes to other groups
// stay tCCD_S apart. A preset without the field spaces writes as reads (tCCD_L).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "jedec_preset.h"
#include "models/memory/jedec_address_map.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"

namespace pjsim {
namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;

// DDR5-4800, no refresh or power-down (every time below follows from the timings alone).
JedecParams Ddr5(Sets extra) {
  Sets sets = {{"power_down", "false"}, {"refresh", "false"}};
  sets.insert(sets.end(), extra.begin(), extra.end());
  return test::JedecPreset("ddr5-4800", sets);
}

// The first burst-aligned address of rank 0 in (bank group, bank 0, row 0) at `column`.
std::uint64_t AddressOf(const JedecParams& p, std::uint32_t group, std::uint64_t column) {
  const JedecAddressMap map(p);
  const auto burst = static_cast<std::uint64_t>(p.BurstBytes());
  for (std::uint64_t a = 0;; a += burst) {
    const JedecAddress d = map.Decode(a);
    if (d.rank == 0 && d.bank_group == group && d.bank == 0 && d.row == 0 && d.column == column) {
      return a;
    }
  }
}

// Clocks between the column commands of two bursts submitted at time 0 (their first data are
// the same latency after them), to the nearest clock (the clocked bus runs on whole ps clocks).
std::int64_t Gap(const JedecParams& p, std::uint64_t first, std::uint64_t second, bool write) {
  JedecController c(p);
  c.Submit({first, 64, write, 0});
  c.Submit({second, 64, write, 0});
  const JedecCompletion a = c.RunUntil(0), b = c.RunUntil(1);
  EXPECT_GT(b.first_data_ps, a.first_data_ps);
  return std::llround(static_cast<double>(b.first_data_ps - a.first_data_ps) / (p.tCK * 1000));
}

TEST(JedecWriteSpacing, WritesToOneBankGroupAreTccdLWrApart) {
  for (const std::string bus : {"ahead", "one_per_clock"}) {
    for (const std::string exact : {"false", "true"}) {
      const JedecParams p = Ddr5({{"command_bus", bus}, {"exact", exact}});
      const std::string what = bus + " exact=" + exact;
      ASSERT_GT(p.tCCD_L_WR, p.tCCD_L) << what;
      const std::uint64_t c0 = AddressOf(p, 0, 0), c1 = AddressOf(p, 0, 1);
      const std::uint64_t other_group = AddressOf(p, 1, 0);
      EXPECT_EQ(Gap(p, c0, c1, true), p.tCCD_L_WR) << what;
      EXPECT_EQ(Gap(p, c0, c1, false), p.tCCD_L) << what;
      // Another bank group: the data bus (a burst) and tRRD_S between the two ACTs bound it.
      EXPECT_LT(Gap(p, c0, other_group, true), p.tCCD_L_WR) << what;
    }
  }
}

TEST(JedecWriteSpacing, DefaultsToTccdL) {
  const JedecParams ddr4 = test::JedecPreset("ddr4-3200-x8", {});
  EXPECT_EQ(ddr4.tCCD_L_WR, ddr4.tCCD_L);
  const JedecParams set = Ddr5({{"tCCD_L", "9"}, {"tCCD_L_WR", "20"}});
  EXPECT_EQ(set.tCCD_L_WR, 20);
  EXPECT_EQ(Gap(set, AddressOf(set, 0, 0), AddressOf(set, 0, 1), true), 20);
}

}  // namespace
}  // namespace pjsim
