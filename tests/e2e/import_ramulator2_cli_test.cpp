// A Ramulator 2 configuration as a Ramulator user hands it to pjsim: `dram-bench --dram
// CONFIG.yaml` simulates exactly what the comparison's preset with its --set list simulates
// (docs/RAMULATOR.md), `import-ramulator2` writes a preset that gives the same results and that an
// arch can name; bad configurations exit 2 with one located line and write nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string Data(const std::string& file) {
  return test::SourceDir() + "/tests/data/ramulator2/" + file;
}

// The JSON without the notes (a Ramulator file's, on stderr).
std::string Bench(const std::string& dram, const std::string& pattern) {
  const auto r = test::RunPjsim("dram-bench --dram " + dram + " --pattern " + pattern +
                                " --requests 4000 --json");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return r.output.substr(r.output.find('{'));
}

TEST(ImportRamulator2Cli, ItsConfigurationSimulatesTheComparisonsTypedInPreset) {
  // tools/reference/ramulator2_compare.sh's DDR4 case: ddr4-3200-x8 with Ramulator's controller
  // typed in; the importer also takes Ramulator's 8 Gb tRFC1 (360 ns: 576 clocks) and mapping
  // with its channel field (no bits on one channel).
  const std::string typed_in =
      "ddr4-3200-x8 --set power_down=false --set read_queue=33 --set write_queue=33 "
      "--set write_high_watermark=0.787 --set write_low_watermark=0.19 "
      "--set command_bus=one_per_clock --set active_buffer=33 --set tRTRS=2 --set tRTRS_RW=0 "
      "--set tRTRS_WR=14 --set tRTRS_WW=0 --set address_mapping=robabgraco --set tRFC=576";
  for (const char* pattern : {"seq-read", "random-mix", "row-stride"}) {
    EXPECT_EQ(Bench(Data("ddr4_8gb_x8_3200aa.yaml"), pattern), Bench(typed_in, pattern)) << pattern;
  }
}

TEST(ImportRamulator2Cli, TheWrittenPresetGivesTheSameResultsAndLoadsInAnArch) {
  const std::string dir = test::FreshDir("import_ramulator2");
  const std::string preset = dir + "/ddr5.yaml";
  const auto imported =
      test::RunPjsim("import-ramulator2 " + Data("ddr5_16gb_x8_3200an.yaml") + " -o " + preset);
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  EXPECT_NE(imported.output.find("wrote " + preset + " (DDR5, DDR5_16Gb_x8, DDR5_3200AN"),
            std::string::npos)
      << imported.output;
  EXPECT_NE(imported.output.find("note: "), std::string::npos);  // where the currents come from
  for (const char* pattern : {"seq-write", "random-read"}) {
    EXPECT_EQ(Bench(preset, pattern), Bench(Data("ddr5_16gb_x8_3200an.yaml"), pattern)) << pattern;
  }
  // An arch names a written preset (DDR4: the arch's 8 KiB rank row and 25.6 GB/s channel);
  // naming the Ramulator file itself is refused with a hint.
  const std::string ddr4 = dir + "/ddr4.yaml";
  ASSERT_EQ(test::RunPjsim("import-ramulator2 " + Data("ddr4_8gb_x8_3200aa.yaml") + " -o " + ddr4)
                .exit_code,
            0);
  const std::string run =
      "run --arch " + test::SourceDir() + "/configs/arch/default-jedec-packet.yaml --workload " +
      test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml --quiet --out " + dir +
      "/run --set arch.dram.preset=";
  const auto ok = test::RunPjsim(run + ddr4);
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_TRUE(std::filesystem::exists(dir + "/run/report.json"));
  const auto refused = test::RunPjsim(run + Data("ddr4_8gb_x8_3200aa.yaml"));
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("is a Ramulator 2 configuration: convert it with `pjsim "
                                "import-ramulator2 FILE -o PRESET.yaml`"),
            std::string::npos)
      << refused.output;
}

// The count after `"NAME": ` in the bench's JSON.
long Count(const std::string& json, const std::string& name) {
  const size_t at = json.find("\"" + name + "\": ");
  EXPECT_NE(at, std::string::npos) << name << "\n" << json;
  return at == std::string::npos ? -1 : std::stol(json.substr(at + name.size() + 4));
}

// Ramulator's own example_config.yaml (ClosedRowPolicy, cap 4): a sequential stream's row is
// closed every fourth read, one ACT per four reads (and per refresh); its written preset gives the
// same results; with the default cap (ten million) no row is closed early; a cap of 0 is one
// located line.
TEST(ImportRamulator2Cli, RamulatorsExampleConfigClosesRowsAfterFourAccesses) {
  const std::string example = Data("ddr4_8gb_x8_2400r_closedrow.yaml");
  const std::string capped = Bench(example, "seq-read");
  EXPECT_GE(Count(capped, "ACT"), 1000);
  EXPECT_LE(Count(capped, "ACT"), 1000 + Count(capped, "REF"));
  EXPECT_EQ(Count(capped, "PRE"), Count(capped, "ACT"));
  const std::string dir = test::FreshDir("import_ramulator2_closed");
  ASSERT_EQ(test::RunPjsim("import-ramulator2 " + example + " -o " + dir + "/p.yaml").exit_code, 0);
  EXPECT_EQ(Bench(dir + "/p.yaml", "seq-read"), capped);
  const std::string open = Bench(example + " --set close_after_accesses=10000000", "seq-read");
  EXPECT_LT(Count(open, "ACT"), 50);
  EXPECT_GT(std::stod(open.substr(open.find("\"bandwidth_GBps\": ") + 18)),
            1.5 * std::stod(capped.substr(capped.find("\"bandwidth_GBps\": ") + 18)));
  std::ifstream in(example);
  std::string text(std::istreambuf_iterator<char>(in), {});
  text.replace(text.find("cap: 4"), 6, "cap: 0");
  std::ofstream(dir + "/bad.yaml") << text;
  const auto r = test::RunPjsim("dram-bench --dram " + dir + "/bad.yaml --pattern seq-read");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:32:12: 'MemorySystem.Controller.RowPolicy.cap': must be "
                          "within 1..2147483647, got 0"),
            std::string::npos)
      << r.output;
}

TEST(ImportRamulator2Cli, BadConfigurationsExitTwoWithOneLineAndWriteNothing) {
  const std::string dir = test::FreshDir("import_ramulator2_bad");
  const std::string good = [] {
    std::ifstream in(Data("ddr4_8gb_x8_3200aa.yaml"));
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  const auto variant = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    text.replace(text.find(from), from.size(), to);
    const std::string path = dir + "/bad.yaml";
    std::ofstream(path) << text;
    return path;
  };
  const struct {
    std::string from, to, expected;
  } cases[] = {
      {"preset: DDR4_3200AA", "preset: DDR4_3200AB",
       "bad.yaml:20:15: 'MemorySystem.DRAM.timing.preset': unknown DDR4 timing preset "
       "'DDR4_3200AB' (did you mean 'DDR4_3200AA'?)"},
      {"impl: FRFCFS", "impl: BLISS",
       "bad.yaml:24:13: 'MemorySystem.Controller.Scheduler.impl': BLISS: pjsim simulates the "
       "scheduler as Ramulator 2 does for FRFCFS only"},
      {"rank: 1", "rank: x",
       "bad.yaml:18:13: 'MemorySystem.DRAM.org.rank': expected a whole number, got 'x'"},
      {"rank: 1", "rank: 3", "bad.yaml:18:8: 'ranks': must be a power of two, got 3"},
      {"MemorySystem:", "MemorySystem: [\n", "bad.yaml:13:14: YAML syntax error"},
  };
  for (const auto& c : cases) {
    const std::string path = variant(c.from, c.to);
    const std::string out = dir + "/out.yaml";
    for (const std::string& command :
         {"import-ramulator2 " + path + " -o " + out,
          "dram-bench --dram " + path + " --pattern seq-read --requests 100"}) {
      const auto r = test::RunPjsim(command);
      EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.output;
      EXPECT_NE(r.output.find(c.expected), std::string::npos) << command << "\n" << r.output;
      // One line: the notes of a configuration that loads are not printed for one that fails.
      EXPECT_EQ(r.output.find("note: "), std::string::npos) << command << "\n" << r.output;
      EXPECT_FALSE(std::filesystem::exists(out)) << command;
    }
  }
}

}  // namespace
}  // namespace pjsim
