// DRAMsim3's GDDR5 and GDDR5X configurations read by the importer (models/memory/dramsim3_ini.h)
// and served by the `jedec` controller, against DRAMsim3's own figures for the same request
// streams (docs/DRAM.md "Compared with DRAMsim3": DRAMsim3 rebuilt from its sources, driven by
// tools/reference/dramsim3_driver.cc with the streams of `pjsim dram-bench`, 20,000 requests,
// seed 1). The figures are kept here; DRAMsim3 is not needed to run the test.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "models/memory/dramsim3_ini.h"
#include "models/memory/jedec_bench.h"
#include "models/memory/jedec_params.h"
#include "sim/config/yaml_reader.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

// The keys and values of DRAMsim3's configs/GDDR5_8Gb_x32.ini (its comments left out; the file
// sets `queue_size`, which DRAMsim3 does not read, and leaves the queues at its defaults).
constexpr const char* kGddr5 = R"([dram_structure]
protocol = GDDR5
bankgroups = 4
banks_per_group = 4
rows = 16384
columns = 128
device_width = 32
BL = 8
bankgroup_enable = false

[timing]
tCK = 0.5
CL = 24
CWL = 7
tRCDRD = 24
tRCDWR = 20
tRP = 24
tRAS = 56
tRFC = 74
tREFI = 3800
tRPRE = 1
tWPRE = 1
tRRD_S = 10
tRRD_L = 10
tWTR_S = 10
tWTR_L = 10
tFAW = 40
tWR = 24
tCCD_S = 2
tCCD_L = 3
tXS = 94
tCKESR = 2
tXP = 12
tRTRS = 1
tRTP_L = 2
tRTP_S = 2
tPPD = 5
t32AW = 360
tRFCb = 30
tREFIb = 238

[power]
VDD = 1.5
IDD0 = 75
IDD2P = 30
IDD2N = 45
IDD3P = 40
IDD3N = 55
IDD4W = 198
IDD4R = 211
IDD5AB = 286
IDD5PB = 45
IDD6x = 35

[system]
channel_size = 4096
channels = 1
bus_width = 128
address_mapping = chrobabgraco
queue_structure = PER_BANK
queue_size = 16
req_buffering_enabled = false
)";

// configs/GDDR5X_8Gb_x32.ini differs from the GDDR5 file in these keys only.
std::string Gddr5x() {
  std::string s = kGddr5;
  const auto set = [&](const std::string& from, const std::string& to) {
    s.replace(s.find(from), from.size(), to);
  };
  set("protocol = GDDR5", "protocol = GDDR5X");
  set("columns = 128", "columns = 64");
  set("BL = 8", "BL = 16");
  set("tCK = 0.5", "tCK = 0.666");
  set("tCKESR = 2", "tCKSRE = 3");
  set("tXP = 12", "tXP = 10");
  set("VDD = 1.5", "VDD = 1.35");
  return s;
}

std::string WriteFile(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("pjsim-gddr-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

JedecParams Import(const std::string& name, const std::string& text) {
  ConfigMap root = ConfigMap::Root(LoadDramsim3Ini(WriteFile(name, text)));
  const auto p = ReadJedecParams(root);
  root.Finish();
  return *p;
}

// DRAMsim3's conventions (configuration.cc, timing.cc): a GDDR5 column is device_width x BL
// bits, a burst takes BL / 4 clocks (GDDR5X BL / 8), ACT to RD / WR are tRCDRD / tRCDWR, tPPD
// and t32AW apply, and with the bank groups disabled every pair of banks is timed by the _S
// figures.
TEST(Dramsim3Gddr, ImportsAsDramsim3ReadsIt) {
  const JedecParams p = Import("GDDR5_8Gb_x32.ini", kGddr5);
  EXPECT_EQ(p.columns, 128 * 8);
  EXPECT_EQ(p.RowBytes(), 1024 * 32 / 8 * 4);
  EXPECT_EQ(p.ranks, 1);  // 4 GB: 16 banks of 16384 rows of 4 KB x 4 devices
  EXPECT_EQ(p.bank_groups, 1);
  EXPECT_EQ(p.banks_per_group, 16);
  EXPECT_EQ(p.transfers_per_clock, 4);
  EXPECT_EQ(p.BurstClocks(), 2);
  EXPECT_EQ(p.BurstBytes(), 128);
  EXPECT_DOUBLE_EQ(p.PeakBytesPerNs(), 128.0);  // 16 B x 4 per 0.5 ns
  EXPECT_EQ(p.tRCD, 24);
  EXPECT_EQ(p.tRCDWR, 20);
  EXPECT_EQ(p.tPPD, 5);
  EXPECT_EQ(p.t32AW, 360);
  EXPECT_EQ(p.tCCD_L, 2);  // tCCD_S: bankgroup_enable = false
  EXPECT_EQ(p.tRTP, 5);    // DRAMsim3 reads tRTP (default 5), not tRTP_L / tRTP_S
  const JedecParams x = Import("GDDR5X_8Gb_x32.ini", Gddr5x());
  EXPECT_EQ(x.transfers_per_clock, 8);
  EXPECT_EQ(x.BurstClocks(), 2);
  EXPECT_EQ(x.columns, 64 * 16);
  EXPECT_EQ(x.BurstBytes(), 256);
}

// tPPD is DRAMsim3's for GDDR5/5X and LPDDR4 only (an HBM file's tPPD is not applied), and an
// empty value reads as absent (its default), as inih's GetInteger reads it.
TEST(Dramsim3Gddr, TppdOnlyWhereDramsim3AppliesItAndEmptyValuesAreDefaults) {
  std::string lpddr4 = kGddr5, hbm = kGddr5;
  lpddr4.replace(lpddr4.find("protocol = GDDR5"), 16, "protocol = LPDDR4");
  EXPECT_EQ(Import("lpddr4.ini", lpddr4).tPPD, 5);
  hbm.replace(hbm.find("protocol = GDDR5"), 16, "protocol = HBM");
  EXPECT_EQ(Import("hbm.ini", hbm).tPPD, 0);
  std::string empty = kGddr5;
  empty.replace(empty.find("tRFC = 74"), 9, "tRFC = ");
  empty.replace(empty.find("t32AW = 360"), 11, "t32AW =");
  const JedecParams e = Import("empty.ini", empty);
  EXPECT_EQ(e.tRFC, 74);    // DRAMsim3's default
  EXPECT_EQ(e.t32AW, 330);  // DRAMsim3's default
}

// DRAMsim3's figures (20,000 requests of one burst, seed 1; `random-read:16` one request every
// 16 clocks), pjsim within issue #14's 10 % on bandwidth and mean read latency.
TEST(Dramsim3Gddr, AgreesWithDramsim3) {
  const struct {
    const char* name;
    std::string ini;
    const char* pattern;
    std::int64_t interval;
    double gbps, latency_ns;
  } kReference[] = {
      {"GDDR5_8Gb_x32", kGddr5, "seq-read", 0, 120.9, 71.57},
      {"GDDR5_8Gb_x32", kGddr5, "random-read", 0, 21.78, 987.7},
      {"GDDR5_8Gb_x32", kGddr5, "random-mix", 0, 21.73, 1182},
      {"GDDR5_8Gb_x32", kGddr5, "random-read", 16, 15.99, 53.58},
      {"GDDR5X_8Gb_x32", Gddr5x(), "seq-read", 0, 181.1, 113.4},
      {"GDDR5X_8Gb_x32", Gddr5x(), "random-mix", 0, 32.58, 1551},
      {"GDDR5X_8Gb_x32", Gddr5x(), "random-read", 16, 24.02, 71.22},
  };
  for (const auto& ref : kReference) {
    const JedecParams p = Import(std::string(ref.name) + ".ini", ref.ini);
    JedecBenchOptions o;
    o.pattern = ref.pattern;
    o.requests = 20000;
    o.issue_interval = ref.interval;
    const JedecBenchResult r = RunJedecBench(p, o);
    const std::string what = std::string(ref.name) + " " + ref.pattern;
    EXPECT_NEAR(r.bandwidth_GBps / ref.gbps, 1.0, 0.10) << what;
    EXPECT_NEAR(r.avg_read_latency_ns / ref.latency_ns, 1.0, 0.10) << what;
  }
}

}  // namespace
}  // namespace pjsim
