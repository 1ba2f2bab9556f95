// `pjsim dram-bench --dram FILE.ini`: a DRAMsim3 configuration read as a preset gives the same
// run as the shipped preset with the file's differing values typed in, and a bad key is one
// located line with exit code 2.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::RunPjsim;
namespace fs = std::filesystem;

// DRAMsim3's configs/DDR4_8Gb_x8_3200.ini (the file ddr4-3200-x8.yaml took its values from).
constexpr const char* kIni = R"([dram_structure]
protocol = DDR4
bankgroups = 4
banks_per_group = 4
rows = 65536
columns = 1024
device_width = 8
BL = 8

[timing]
tCK = 0.63
AL = 0
CL = 22
CWL = 16
tRCD = 22
tRP = 22
tRAS = 52
tRFC = 560
tREFI = 12480
tRRD_S = 4
tRRD_L = 8
tWTR_S = 4
tWTR_L = 12
tFAW = 34
tWR = 24
tRTP = 12
tCCD_S = 4
tCCD_L = 8
tXP = 10
tRTRS = 1

[power]
VDD = 1.2
IDD0 = 57
IDD2P = 25
IDD2N = 37
IDD3P = 43
IDD3N = 52
IDD4W = 150
IDD4R = 168
IDD5AB = 250
IDD6x = 30

[system]
channel_size = 16384
channels = 1
bus_width = 64
address_mapping = rochrababgco
queue_structure = PER_BANK
refresh_policy = RANK_LEVEL_STAGGERED
row_buf_policy = OPEN_PAGE
cmd_queue_size = 8
trans_queue_size = 16
)";

std::string Write(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("pjsim-ini-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / name) << text;
  return (dir / name).string();
}

TEST(DramBenchDramsim3, IniRunsAsThePresetWithItsValuesTypedIn) {
  const std::string ini = Write("DDR4_8Gb_x8_3200.ini", kIni);
  const std::string preset = test::SourceDir() + "/configs/dram/ddr4-3200-x8.yaml";
  for (const char* pattern : {"random-mix", "row-stride"}) {
    const std::string run = std::string(" --pattern ") + pattern + " --requests 3000 --json";
    const auto from_ini = RunPjsim("dram-bench --dram " + ini + run);
    ASSERT_EQ(from_ini.exit_code, 0) << from_ini.output;
    // What the file says differently from the preset: 2 ranks in 16 GB, tCK 0.63, no power-down,
    // 16 + 8 requests held, no I/O energy.
    const auto typed = RunPjsim("dram-bench --dram " + preset +
                                " --set ranks=2 --set tCK=0.63 --set power_down=false"
                                " --set read_queue=24 --set write_queue=24"
                                " --set \"io_energy=0 pJ/bit\"" +
                                run);
    ASSERT_EQ(typed.exit_code, 0) << typed.output;
    EXPECT_EQ(from_ini.output, typed.output) << pattern;
  }
}

TEST(DramBenchDramsim3, BadKeyIsOneLocatedLineAndExitCodeTwo) {
  std::string text = kIni;
  text.replace(text.find("tRRD_L"), 6, "tRRDL");
  const std::string ini = Write("bad.ini", text);
  const auto r = RunPjsim("dram-bench --dram " + ini + " --pattern seq-read");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(ini + ":21:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("did you mean 'tRRD_L'"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find('\n'), r.output.size() - 1) << r.output;
}

}  // namespace
}  // namespace pjsim
