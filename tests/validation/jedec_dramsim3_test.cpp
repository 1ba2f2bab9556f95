// The `jedec` model read from DRAMsim3 configurations (models/memory/dramsim3_ini.h) and the
// refresh mechanism the comparison with DRAMsim3 found missing: every rank refreshes once per
// tREFI whether or not requests reach it. docs/DRAM.md "Compared with DRAMsim3".
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "dramsim3_ddr4_ini.h"
#include "jedec_preset.h"
#include "models/memory/dramsim3_ini.h"
#include "models/memory/jedec_bench.h"
#include "models/memory/jedec_params.h"
#include "sim/config/config_error.h"
#include "sim/config/yaml_reader.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

// A file in a per-process temporary directory.
std::string WriteFile(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("pjsim-dramsim3-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

JedecParams Import(const std::string& path) {
  ConfigMap root = ConfigMap::Root(LoadDramsim3Ini(path));
  const auto p = ReadJedecParams(root);
  root.Finish();
  return *p;
}

// DRAMsim3's derived values: ranks = channel_size / (page x rows x banks x devices), tRC = tRAS +
// tRP (it ignores a tRC key), devices = bus / device width; no power-down; no I/O energy.
TEST(Dramsim3Ini, ReadsKeysAsDramsim3DerivesThem) {
  const JedecParams p = Import(WriteFile("ddr4.ini", test::kDramsim3Ddr4x8));
  const double mb_per_rank = 1024.0 * 8 / 8 * 65536 / (1 << 20) * 16 * 8;
  EXPECT_EQ(p.ranks, static_cast<std::int64_t>(16384 / mb_per_rank));
  EXPECT_EQ(p.ranks, 2);
  EXPECT_EQ(p.devices_per_rank, 64 / 8);
  EXPECT_EQ(p.tRC, p.tRAS + p.tRP);
  EXPECT_DOUBLE_EQ(p.tCK, 0.63);
  EXPECT_DOUBLE_EQ(p.IDD5B, 250);
  EXPECT_EQ(p.bank_groups, 4);
  EXPECT_EQ(p.address_mapping, "rochrababgco");
  EXPECT_FALSE(p.power_down);
  EXPECT_EQ(p.io_pj_per_bit, 0);
  // DRAMsim3's controller: transaction queues of 16 in front of per-bank command queues of 8,
  // round-robin between them, writes drained in batches as its write buffer drains them
  // (write_buf_size, 16 when the file does not say).
  EXPECT_EQ(p.queue_structure, JedecParams::QueueStructure::kPerBank);
  EXPECT_EQ(p.command_queue_depth, 8);
  EXPECT_EQ(p.read_queue, 16);
  EXPECT_EQ(p.write_queue, 16);
  EXPECT_TRUE(p.round_robin);
  EXPECT_TRUE(p.batch_write_drain);
  EXPECT_EQ(p.write_drain_idle, 16);
  // It ticks: one command per clock, one transaction into the command queues per clock, and a
  // row closes for an older miss after 4 accesses with hits waiting (command_queue.cc).
  EXPECT_EQ(p.command_bus, JedecParams::CommandBus::kOnePerClock);
  EXPECT_EQ(p.moves_per_clock, 1);
  EXPECT_EQ(p.row_hit_cap, 4);
  EXPECT_EQ(p.RowBytes(), 1024 * 8 * 8 / 8);
  // Its turnarounds (timing.cc): the file's tRTRS between ranks but not between two writes, and
  // read to write RL + BL/2 - WL + tRTRS; without the key, its default of 2.
  EXPECT_EQ(p.tRTRS, 1);
  EXPECT_FALSE(p.write_rank_switch);
  EXPECT_EQ(p.read_to_write_gap, 1);
  std::string no_rtrs = test::kDramsim3Ddr4x8;
  no_rtrs.erase(no_rtrs.find("tRTRS = 1\n"), 10);
  const JedecParams d = Import(WriteFile("ddr4_no_rtrs.ini", no_rtrs));
  EXPECT_EQ(d.tRTRS, 2);
  EXPECT_EQ(d.read_to_write_gap, 2);
}

// DRAMsim3 counts an HBM column as two device-width columns (2n prefetch) and times ACT to RD by
// tRCDRD: a 128-bit HBM2 channel of "64 columns" has a 2 KB row.
TEST(Dramsim3Ini, HbmColumnsAreDoubledAndTrcdIsTrcdrd) {
  std::string hbm = test::kDramsim3Ddr4x8;
  const auto set = [&](const std::string& from, const std::string& to) {
    const size_t at = hbm.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    hbm.replace(at, from.size(), to);
  };
  set("protocol = DDR4", "protocol = HBM");
  set("columns = 1024", "columns = 64");
  set("device_width = 8", "device_width = 128");
  set("BL = 8", "BL = 4");
  set("tRCD = 22", "tRCDRD = 14\ntRCDWR = 14");
  set("bus_width = 64", "bus_width = 128");
  set("channel_size = 16384", "channel_size = 1024");
  const JedecParams p = Import(WriteFile("hbm.ini", hbm));
  EXPECT_EQ(p.columns, 128);
  EXPECT_EQ(p.RowBytes(), 2048);
  EXPECT_EQ(p.tRCD, 14);
  EXPECT_EQ(p.devices_per_rank, 1);
  EXPECT_EQ(p.BurstBytes(), 64);
  // HBM's row and column command buses: DRAMsim3's hbm_dual_cmd (on by default) issues one of
  // each per clock.
  EXPECT_EQ(p.command_bus, JedecParams::CommandBus::kRowColumn);
  hbm.replace(hbm.find("[timing]"), 8, "hbm_dual_cmd = false\n[timing]");
  EXPECT_EQ(Import(WriteFile("hbm_single.ini", hbm)).command_bus,
            JedecParams::CommandBus::kOnePerClock);
}

// A key DRAMsim3 does not read is an error at its line, with the closest key it reads.
TEST(Dramsim3Ini, UnknownKeyIsLocatedWithASuggestion) {
  std::string bad = test::kDramsim3Ddr4x8;
  bad.replace(bad.find("tFAW = 34"), 9, "tFAX = 34");
  const std::string path = WriteFile("bad.ini", bad);
  try {
    Import(path);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path + ":25:"), std::string::npos) << what;
    EXPECT_NE(what.find("did you mean 'tFAW'"), std::string::npos) << what;
  }
}

// What the jedec model cannot represent is refused, at the key's line.
TEST(Dramsim3Ini, UnmodelledSettingsAreLocatedErrors) {
  const struct {
    std::string from, to;
    int line;
  } cases[] = {{"protocol = DDR4", "protocol = HMC", 2},
               {"AL = 0", "AL = 1", 12},
               {"cmd_queue_size = 8", "cmd_queue_size = 8\nunified_queue = true", 55}};
  for (const auto& c : cases) {
    std::string text = test::kDramsim3Ddr4x8;
    text.replace(text.find(c.from), c.from.size(), c.to);
    const std::string path = WriteFile("unmodelled.ini", text);
    try {
      Import(path);
      ADD_FAILURE() << c.to << ": expected a ConfigError";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(path + ":" + std::to_string(c.line) + ":"),
                std::string::npos)
          << e.what();
    }
  }
}

// The saturated patterns of the comparison with DRAMsim3 (docs/DRAM.md "The comparison"): the
// mean read latency of a bench that keeps the controller full is what its queues hold over the
// throughput, so it checks the queue structure and the arbitration the importer reproduces.
// DRAMsim3's figures for DDR4_8Gb_x8_3200.ini, 20,000 requests of 64 B, seed 1 (the request
// streams of `pjsim dram-bench`, driven by tools/reference/dramsim3_driver.cc): random-read
// 20.10 GB/s and 285.0 ns, random-mix 18.52 GB/s and 439.1 ns. Within issue #14's 10%.
TEST(Dramsim3Ini, SaturatedRandomTrafficAgreesWithDramsim3) {
  const JedecParams p = Import(WriteFile("ddr4_x8.ini", test::kDramsim3Ddr4x8));
  const struct {
    const char* pattern;
    double gbps, latency_ns;
  } kReference[] = {{"random-read", 20.10, 285.0}, {"random-mix", 18.52, 439.1}};
  for (const auto& ref : kReference) {
    JedecBenchOptions o;
    o.pattern = ref.pattern;
    o.requests = 20000;
    const JedecBenchResult r = RunJedecBench(p, o);
    EXPECT_NEAR(r.bandwidth_GBps / ref.gbps, 1.0, 0.10) << ref.pattern;
    EXPECT_NEAR(r.avg_read_latency_ns / ref.latency_ns, 1.0, 0.10) << ref.pattern;
  }
  // The tail at saturation follows which banks starve, which the clocked arbitration decides
  // (DRAMsim3 random-read p99 2075 ns; 0.86 of it with PRE and ACT placed ahead).
  JedecBenchOptions o;
  o.requests = 20000;
  o.pattern = "random-read";
  EXPECT_NEAR(RunJedecBench(p, o).p99_read_latency_ns / 2075.0, 1.0, 0.10);
}

// On a saturated mix the p99 is set by a few write drains and refreshes and moves tens of per
// cent with the seed, so it is compared as a mean over seeds 1-5 (DRAMsim3, rebuilt from its
// sources and driven by tools/reference/dramsim3_driver.cc: docs/DRAM.md, "Compared with
// DRAMsim3"). DDR4_8Gb_x4_3200 is the x8 file with x4 devices (twice the rows, 32 GB in two
// ranks) and tFAW 16: ACTs no longer wait for tFAW, and the write drains, which the rank
// switches between writes lengthen, set the tail (1.20 of DRAMsim3's with a clock between writes
// to different ranks). Its currents differ too, which no latency depends on.
TEST(Dramsim3Ini, SaturatedMixTailAgreesWithDramsim3OverSeeds) {
  std::string x4 = test::kDramsim3Ddr4x8;
  const auto set = [&](const std::string& from, const std::string& to) {
    const size_t at = x4.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    x4.replace(at, from.size(), to);
  };
  set("rows = 65536", "rows = 131072");
  set("device_width = 8", "device_width = 4");
  set("tFAW = 34", "tFAW = 16");
  set("channel_size = 16384", "channel_size = 32768");
  const struct {
    const char* name;
    std::string ini;
    double p99_ns[5];  // DRAMsim3, seeds 1-5
  } kCases[] = {{"DDR4_8Gb_x8_3200", test::kDramsim3Ddr4x8, {2265, 2379, 3146, 2250, 1952}},
                {"DDR4_8Gb_x4_3200", x4, {2083, 1845, 2063, 1878, 1812}}};
  for (const auto& c : kCases) {
    const JedecParams p = Import(WriteFile(std::string(c.name) + ".ini", c.ini));
    double pjsim = 0, dramsim3 = 0;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      JedecBenchOptions o;
      o.pattern = "random-mix";
      o.requests = 20000;
      o.seed = seed;
      pjsim += RunJedecBench(p, o).p99_read_latency_ns / 5;
      dramsim3 += c.p99_ns[seed - 1] / 5;
    }
    EXPECT_NEAR(pjsim / dramsim3, 1.0, 0.10) << c.name << ": " << pjsim << " ns";
  }
}

// A DRAM refreshes every rank every tREFI, accessed or not: a row-stride stream that reaches
// one bank of rank 0 still sees rank 1 refreshed (DRAMsim3 issues both; the lazy placement
// before counted only the accessed rank's).
TEST(JedecRefresh, EveryRankRefreshesOncePerTrefiWhetherAccessedOrNot) {
  const JedecParams p = test::JedecPreset("ddr4-3200-x8", {{"ranks", "2"}});
  JedecBenchOptions o;
  o.pattern = "row-stride";
  o.requests = 4000;
  const JedecBenchResult r = RunJedecBench(p, o);
  const double refi_ns = static_cast<double>(p.tREFI) * p.tCK;
  const double per_rank = std::floor(r.simulated_ns / refi_ns);
  ASSERT_GT(per_rank, 10);
  EXPECT_GE(static_cast<double>(r.ref), 2 * per_rank - 2);
  EXPECT_LE(static_cast<double>(r.ref), 2 * per_rank + 2);
  // And the refresh energy is that many refreshes.
  EXPECT_NEAR(r.refresh_pj / static_cast<double>(r.ref),
              (p.IDD5B - p.IDD3N) * static_cast<double>(p.tRFC) * p.tCK * p.VDD *
                  static_cast<double>(p.devices_per_rank),
              1e-6 * r.refresh_pj);
}

}  // namespace
}  // namespace pjsim
