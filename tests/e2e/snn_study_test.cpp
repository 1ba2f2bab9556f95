// tools/snn_vs_qann.py end to end on a tiny study: it runs both sweeps, writes the break-even
// table for every (T, b) pair, the per-point energies and the figures; bad input is one line.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

bool HasMatplotlib(const std::string& python) {
  return test::RunCommand(python + " -c 'import matplotlib'").exit_code == 0;
}

void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

// Two chained linear layers named "tiny" on each side.
std::string TinyWorkload(const std::string& wide) {
  return "name: tiny\nphase: prefill\ntokens_per_pass: 16\n" + wide +
         "\nlayers:\n"
         "  - {name: up, op: linear, m: 16, k: 128, n: 256, dtype: int8, inputs: []}\n"
         "  - {name: down, op: linear, m: 16, k: 256, n: 128, dtype: int8}\n";
}

class SnnStudy : public ::testing::Test {
 protected:
  void SetUp() override {
    // One directory per test: ctest runs the tests of this file in parallel.
    dir_ = test::FreshDir(std::string("snn_study_") +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    const std::string arch = test::SourceDir() + "/configs/arch/";
    Write(dir_ / "snn_w.yaml", TinyWorkload("spiking: {timesteps: 1, input_rate: 0.1}"));
    Write(dir_ / "qann_w.yaml", TinyWorkload("activation_bits: 8"));
    Write(
        dir_ / "snn.yaml",
        "base: {arch: " + arch +
            "spiking-mesh4x4.yaml, workload: snn_w.yaml}\n"
            "set: {arch.mesh.width: 1, arch.mesh.height: 1, arch.dram.channels: '[{x: 0, y: 0}]'}\n"
            "axes:\n"
            "  - {key: workload.spiking.timesteps, values: [1, 3]}\n"
            "  - {key: workload.spiking.input_rate, values: [0.02, 0.1, 0.4]}\n"
            "  - {key: arch.tile.spike_batch, values: [1, 4, 4], zip: reuse}\n"
            "  - {key: workload.spiking.correlation, values: [0, 0, 0.8], zip: reuse}\n");
    Write(
        dir_ / "qann.yaml",
        "base: {arch: " + arch +
            "default.yaml, workload: qann_w.yaml}\n"
            "set: {arch.mesh.width: 1, arch.mesh.height: 1, arch.dram.channels: '[{x: 0, y: 0}]'}\n"
            "axes:\n"
            "  - {key: workload.activation_bits, values: [1, 2, 8]}\n"
            "  - {key: arch.tile.zero_gating, values: [false, true], zip: skip}\n"
            "  - {key: workload.activation_sparsity, values: [0, 0.5], zip: skip}\n");
    python_ = HasMatplotlib("python3")            ? "python3"
              : HasMatplotlib("/usr/bin/python3") ? "/usr/bin/python3"
                                                  : "";
  }
  test::CommandResult Study(const std::string& extra) {
    const std::string python = python_.empty() ? "python3" : python_;
    return test::RunCommand(
        "MPLCONFIGDIR=" + (dir_ / "mpl").string() + " " + python + " " + test::SourceDir() +
        "/tools/snn_vs_qann.py --pjsim " + test::PjsimExecutable() + " --snn " +
        (dir_ / "snn.yaml").string() + " --qann " + (dir_ / "qann.yaml").string() + " --out " +
        (dir_ / "out").string() + " --figures " + (dir_ / "fig").string() + " -j 2 " + extra);
  }
  fs::path dir_;
  std::string python_;
};

TEST_F(SnnStudy, WritesTheBreakEvenTableAndFigures) {
  const test::CommandResult r = Study(python_.empty() ? "--no-figures" : "");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string csv = ReadInputFile((dir_ / "out/breakeven.csv").string());
  // One row per (T, spike batch B and correlation rho, b, QANN zero fraction gamma):
  // 2 x 3 x 3 x 2, plus the header; T = 1 pairs with b = 1, T = 3 with b = 2.
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 37) << csv;
  EXPECT_NE(csv.find("tiny,1,1,0.0,1,0.0,1,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("tiny,3,1,0.0,2,0.5,1,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("tiny,3,4,0.8,8,0.0,0,"), std::string::npos) << csv;
  const std::string energy = ReadInputFile((dir_ / "out/energy.csv").string());
  EXPECT_EQ(std::count(energy.begin(), energy.end(), '\n'), 1 + 18 + 6) << energy;
  EXPECT_NE(r.output.find("| tiny | 3 | 2 (paired) |"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("| model | T | QANN b | QANN gamma | r*, B = 1 | r*, B = 4 | r*, B = 4, "
                          "rho = 0.8 |"),
            std::string::npos)
      << r.output;
  // Reading a weight row once per batch of 4 slots only saves SRAM reads: the SNN breaks even
  // at a higher rate against the same QANN; a QANN that skips half its products is cheaper, so
  // the SNN must fire less to match it. Trains whose spikes cluster in time (rho = 0.8) share a
  // batch more often: fewer row reads again.
  const auto full_breakeven = [&csv](const std::string& key) {
    const size_t at = csv.find(key);
    EXPECT_NE(at, std::string::npos) << key;
    return std::stod(csv.substr(at + key.size()));
  };
  for (const std::string t : {"1", "3"}) {
    for (const std::string b : {"1", "2", "8"}) {
      const std::string one = "tiny," + t + ",1,0.0," + b + ",";
      const std::string four = "tiny," + t + ",4,0.0," + b + ",";
      const std::string clustered = "tiny," + t + ",4,0.8," + b + ",";
      const std::string paired = t == "1" ? (b == "1" ? "1," : "0,") : (b == "2" ? "1," : "0,");
      EXPECT_GT(full_breakeven(four + "0.0," + paired), full_breakeven(one + "0.0," + paired))
          << t << " " << b;
      EXPECT_LT(full_breakeven(one + "0.5," + paired), full_breakeven(one + "0.0," + paired))
          << t << " " << b;
      EXPECT_GT(full_breakeven(clustered + "0.0," + paired), full_breakeven(four + "0.0," + paired))
          << t << " " << b;
    }
  }
  if (!python_.empty()) {
    for (const char* f : {"snn_vs_qann.png", "snn_vs_qann.pdf", "snn_vs_qann_breakdown.png",
                          "snn_vs_qann_breakdown.pdf"}) {
      EXPECT_GT(fs::file_size(dir_ / "fig" / f), 1000u) << f;
    }
  }
  // A second run resumes the complete stores and gives the same table.
  const test::CommandResult again = Study("--no-figures");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(ReadInputFile((dir_ / "out/breakeven.csv").string()), csv);
}

TEST_F(SnnStudy, MismatchedSidesFailWithOneLine) {
  // The QANN side names its model differently: nothing to compare with.
  Write(dir_ / "qann_w.yaml",
        "name: other\nphase: prefill\ntokens_per_pass: 16\nactivation_bits: 8\nlayers:\n"
        "  - {name: up, op: linear, m: 16, k: 128, n: 256, dtype: int8, inputs: []}\n");
  const test::CommandResult r = Study("--no-figures");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("no QANN points for model 'tiny'"), std::string::npos) << r.output;
  const test::CommandResult missing = Study("--no-figures --snn /nonexistent.yaml");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("/nonexistent.yaml: no such sweep spec"), std::string::npos)
      << missing.output;
}

}  // namespace
}  // namespace pjsim
