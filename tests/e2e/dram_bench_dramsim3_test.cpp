// `pjsim dram-bench --dram FILE.ini`: a DRAMsim3 configuration read as a preset gives the same
// run as the shipped preset with the file's differing values typed in, and a bad key is one
// located line with exit code 2.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "dramsim3_ddr4_ini.h"
#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::RunPjsim;
namespace fs = std::filesystem;

std::string Write(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("pjsim-ini-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / name) << text;
  return (dir / name).string();
}

TEST(DramBenchDramsim3, IniRunsAsThePresetWithItsValuesTypedIn) {
  const std::string ini = Write("DDR4_8Gb_x8_3200.ini", test::kDramsim3Ddr4x8);
  const std::string preset = test::SourceDir() + "/configs/dram/ddr4-3200-x8.yaml";
  for (const char* pattern : {"random-mix", "row-stride"}) {
    const std::string run = std::string(" --pattern ") + pattern + " --requests 3000 --json";
    const auto from_ini = RunPjsim("dram-bench --dram " + ini + run);
    ASSERT_EQ(from_ini.exit_code, 0) << from_ini.output;
    // What the file says differently from the preset: 2 ranks in 16 GB, tCK 0.63, no power-down,
    // DRAMsim3's controller (16 transactions in front of 8 per bank, round-robin, batch drains,
    // clocked: one command and one move per clock, a row-hit cap of 4), its turnarounds (read to
    // write RL + BL/2 - WL + tRTRS, writes to different ranks a burst apart), no I/O energy.
    const auto typed =
        RunPjsim("dram-bench --dram " + preset +
                 " --set ranks=2 --set tCK=0.63 --set power_down=false"
                 " --set queue_structure=per_bank --set command_queue_depth=8"
                 " --set read_queue=16 --set write_queue=16 --set scheduler=round-robin"
                 " --set write_drain=batch"
                 " --set command_bus=one_per_clock --set moves_per_clock=1 --set row_hit_cap=4"
                 " --set read_to_write_gap=1 --set write_rank_switch=false"
                 " --set \"io_energy=0 pJ/bit\"" +
                 run);
    ASSERT_EQ(typed.exit_code, 0) << typed.output;
    EXPECT_EQ(from_ini.output, typed.output) << pattern;
  }
}

TEST(DramBenchDramsim3, BadKeyIsOneLocatedLineAndExitCodeTwo) {
  std::string text = test::kDramsim3Ddr4x8;
  const size_t at = text.find("tRRD_L");
  text.replace(at, 6, "tRRDL");
  const auto line =
      1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  const std::string ini = Write("bad.ini", text);
  const auto r = RunPjsim("dram-bench --dram " + ini + " --pattern seq-read");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(ini + ":" + std::to_string(line) + ":"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("did you mean 'tRRD_L'"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find('\n'), r.output.size() - 1) << r.output;
}

}  // namespace
}  // namespace pjsim
