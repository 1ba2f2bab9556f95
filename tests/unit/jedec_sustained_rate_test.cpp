// The rate the mapping search expects of a `jedec` channel (JedecSustainedReadFraction): the
// controller's own streaming rate, so it must move with the mechanisms that set it — refresh
// (tRFC of every tREFI), the column spacing of the preset's address mapping (tCCD_L when
// consecutive bursts stay in one bank group) — and reach the search through the architecture.
#include "models/memory/jedec_sustained_rate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "jedec_preset.h"
#include "models/memory/jedec_address_map.h"
#include "models/memory/jedec_params.h"
#include "models/memory/jedec_row_switch.h"
#include "sim/config/arch_config.h"
#include "sim/config/yaml_reader.h"
#include "test_paths.h"

namespace pjsim {
namespace {

double RefreshShare(const JedecParams& p) {
  return static_cast<double>(p.tRFC) / static_cast<double>(p.tREFI);
}

// Bank groups interleaved below the column (DDR4) or a column spacing no longer than a burst
// (HBM2/HBM2E: tCCD_L = 2 clocks = BL4): bursts go back to back, and refresh, which blocks the
// rank tRFC of every tREFI (all-bank refresh, the presets' default), takes its share.
TEST(JedecSustainedRate, LosesRefreshTimeAndLittleElseWhereBurstsGoBackToBack) {
  using Sets = std::vector<std::pair<std::string, std::string>>;
  const std::vector<std::pair<std::string, Sets>> configs = {
      {"ddr4-3200-x16", {{"address_mapping", "rorabacobg"}}},
      {"ddr4-3200-x8", {{"address_mapping", "rorabacobg"}}},
      {"hbm2e", {}},
      {"hbm2", {}},
  };
  for (const auto& [preset, sets] : configs) {
    SCOPED_TRACE(preset);
    Sets off = sets;
    off.emplace_back("refresh", "false");
    const JedecParams with = test::JedecPreset(preset, sets);
    const double f = JedecSustainedReadFraction(with);
    const double f0 = JedecSustainedReadFraction(test::JedecPreset(preset, off));
    EXPECT_GT(f0, 0.97);
    EXPECT_LE(f0, 1.0);
    EXPECT_NEAR(f / f0, 1 - RefreshShare(with), 0.01);
  }
}

TEST(JedecSustainedRate, FallsToTheTccdLLimitWhenBurstsStayInOneBankGroup) {
  const JedecParams p = test::JedecPreset("ddr4-3200-x8", {{"address_mapping", "bgrorabaco"}});
  const double limit = static_cast<double>(p.BurstClocks()) / static_cast<double>(p.tCCD_L);
  const double f = JedecSustainedReadFraction(p);
  EXPECT_LE(f, limit * 1.0001);
  EXPECT_GE(f, limit * (1 - RefreshShare(p)) * 0.98);
}

ArchConfig ReadArch(const std::string& name) {
  ConfigMap root =
      ConfigMap::Root(ConfigDocument::Load(test::SourceDir() + "/configs/arch/" + name + ".yaml"));
  root.Has("tech");
  return ReadArchConfig(root, 1e9);
}

TEST(JedecSustainedRate, IsWhatTheArchitectureOffersTheMappingSearch) {
  const ArchConfig jedec = ReadArch("mesh8x8-int8-hbm-jedec-packet");
  ASSERT_TRUE(jedec.dram.params);
  const double f = JedecSustainedReadFraction(test::JedecPreset("hbm2e"));
  EXPECT_LT(f, 0.95);
  EXPECT_DOUBLE_EQ(jedec.dram.params->SustainedReadFraction(), f);
  const double peak = jedec.dram.channel_bandwidth_bytes_per_s / 1e9 *
                      static_cast<double>(jedec.dram.channels.size());
  EXPECT_DOUBLE_EQ(jedec.dram.SustainedBytesPerCycle(1e9), peak * f);
  // The `simple` model streams at its peak: its architectures are priced as before.
  const ArchConfig simple = ReadArch("mesh8x8-int8-hbm");
  EXPECT_DOUBLE_EQ(simple.dram.SustainedBytesPerCycle(1e9), peak);
}

// A channel that turns its data bus from a read transaction to a write and back loses what the
// JEDEC timing leaves idle there: after read data, read_to_write_gap clocks before write data
// (tRTW = CL + BL/2 - CWL + gap); after write data, tWTR (_S to another bank group, _L within
// one) and then CL before read data. A whole-row request whose bursts stay in one bank group
// idles the bus at every boundary anyway (tCCD_L, tCCD_L_WR longer than a burst: DDR4, DDR5),
// so a turn adds the rest. Measured on the channel's own controller (JedecBusTurnaroundPs),
// exactly that on every preset; the mapping search charges it where stores fall between loads.
TEST(JedecBusTurnaround, IsTheIdleBusOfTheReadWriteTimingPerTurn) {
  for (const std::string preset : {"ddr4-3200-x16", "ddr4-3200-x8", "ddr5-4800", "hbm2", "hbm2e",
                                   "hbm3", "lpddr4-3200", "lpddr5-6400"}) {
    SCOPED_TRACE(preset);
    const JedecParams p = test::JedecPreset(preset);
    const JedecAddressMap map(p);
    const auto row = static_cast<std::uint64_t>(p.RowBytes());
    // The measurement's reads are at address 0, its writes in the next row-sized block of
    // another bank of that rank.
    const JedecAddress reads = map.Decode(0);
    std::uint64_t at = row;
    while (map.Decode(at).bank_group == reads.bank_group && map.Decode(at).bank == reads.bank)
      at += row;
    const JedecAddress writes = map.Decode(at);
    const bool one_group =
        map.Decode(static_cast<std::uint64_t>(p.BurstBytes())).bank_group == reads.bank_group;
    const auto idle = [&](std::int64_t spacing) {
      return std::max<std::int64_t>(0, spacing - p.BurstClocks());
    };
    const std::int64_t wtr = writes.bank_group == reads.bank_group ? p.tWTR_L : p.tWTR_S;
    const std::int64_t boundaries =
        one_group ? idle(p.tCCD_L) + idle(p.tCCD_L_WR) : idle(p.tCCD_S) + idle(p.tCCD_S);
    const double expected = static_cast<double>(p.read_to_write_gap + wtr + p.CL - boundaries) / 2;
    EXPECT_NEAR(JedecBusTurnaroundPs(p) / (p.tCK * 1000), expected, 0.01);
    // The closed-form row runs turn as the scheduler's burst-by-burst decisions do.
    EXPECT_EQ(JedecBusTurnaroundPs(test::JedecPreset(preset, {{"exact", "true"}})),
              JedecBusTurnaroundPs(p));
  }
  // Through the architecture: what the cost model reads, in cycles of the accelerator's clock.
  const ArchConfig jedec = ReadArch("mesh8x8-int8-hbm-jedec");
  ASSERT_TRUE(jedec.dram.params);
  EXPECT_NEAR(jedec.dram.params->BusTurnaroundCycles(1e9),
              JedecBusTurnaroundPs(test::JedecPreset("hbm2e")) * 1e-3, 1e-9);
  EXPECT_EQ(ReadArch("mesh8x8-int8-hbm").dram.params->BusTurnaroundCycles(1e9), 0);
}

}  // namespace
}  // namespace pjsim
