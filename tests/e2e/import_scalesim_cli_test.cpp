// `pjsim import-scalesim` as a SCALE-Sim user runs it: the config and topology become an arch
// and a workload whose simulation is SCALE-Sim's fold schedule (its Total Cycles + 2, the
// counting convention of docs/MAPPING.md "Compared with SCALE-Sim") with a DRAM that never
// stalls, for the three dataflows on a non-square array; a convolution runs as its im2col
// GEMM; SCALE-Sim's own measured cycles on its shipped Eyeriss configuration are reproduced;
// bad inputs exit 2 and write nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string Config(const std::string& dir, const std::string& name, int rows, int cols,
                   const std::string& dataflow, int kib, const std::string& bandwidth_mode) {
  const std::string path = dir + "/" + name + ".cfg";
  std::ofstream(path) << "[general]\nrun_name = " << name
                      << "\n\n[architecture_presets]\nArrayHeight: " << rows
                      << "\nArrayWidth: " << cols << "\nIfmapSramSzkB: " << kib
                      << "\nFilterSramSzkB: " << kib << "\nOfmapSramSzkB: " << kib
                      << "\nIfmapOffset: 0\nFilterOffset: 10000000\nOfmapOffset: 20000000\n"
                      << "Dataflow : " << dataflow << "\nBandwidth : 10\nMemoryBanks: 1\n\n"
                      << "[run_presets]\nInterfaceBandwidth: " << bandwidth_mode << "\n";
  return path;
}

std::string Topology(const std::string& dir, const std::string& name, const std::string& rows) {
  const std::string path = dir + "/" + name + ".csv";
  std::ofstream(path) << rows;
  return path;
}

// Imports and runs; the report's layers' cycles, then the run's total.
std::vector<double> ImportAndRun(const std::string& dir, const std::string& cfg,
                                 const std::string& csv, const std::string& flags = "") {
  const auto imported =
      test::RunPjsim("import-scalesim " + cfg + " " + csv + " -o " + dir + "/in " + flags);
  EXPECT_EQ(imported.exit_code, 0) << imported.output;
  const auto run = test::RunPjsim("run --arch " + dir + "/in/arch.yaml --workload " + dir +
                                  "/in/workload.yaml --quiet --out " + dir + "/out");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  std::ifstream in(dir + "/out/report.json");
  const nlohmann::json report = nlohmann::json::parse(in);
  std::vector<double> cycles;
  for (const auto& layer : report.at("layers")) cycles.push_back(layer.at("cycles").get<double>());
  cycles.push_back(report.at("total").at("cycles").get<double>());
  return cycles;
}

std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// SCALE-Sim's fold schedule (compute/systolic_compute_*.py): folds one after another, each R + C
// + T - 2 cycles (OS) or 2R + C + T - 2 (WS, IS: the stationary operand's R lines first).
std::int64_t FoldSchedule(const std::string& df, std::int64_t r, std::int64_t c, std::int64_t m,
                          std::int64_t k, std::int64_t n) {
  if (df == "os") return CeilDiv(m, r) * CeilDiv(n, c) * (r + c + k - 2);
  if (df == "ws") return CeilDiv(k, r) * CeilDiv(n, c) * (2 * r + c + m - 2);
  return CeilDiv(k, r) * CeilDiv(m, c) * (2 * r + c + n - 2);
}

TEST(ImportScaleSim, NoStallRunsAreTheFoldScheduleForEveryDataflow) {
  for (const std::string df : {"os", "ws", "is"}) {
    const std::string dir = test::FreshDir("import_scalesim_" + df);
    const auto cycles =
        ImportAndRun(dir, Config(dir, "a", 16, 64, df, 512, "CALC"),
                     Topology(dir, "g", "Layer, M, N, K,\ng, 100, 70, 300,\n"), "--no-stall");
    ASSERT_EQ(cycles.size(), 2u);
    // pjsim counts from the first DRAM request to the last byte stored: the schedule + 1.
    EXPECT_EQ(cycles.back(), FoldSchedule(df, 16, 64, 100, 300, 70) + 1) << df;
  }
}

TEST(ImportScaleSim, AConvolutionRunsAsItsIm2colGemm) {
  const std::string dir = test::FreshDir("import_scalesim_conv");
  const std::string cfg = Config(dir, "c", 32, 32, "ws", 512, "CALC");
  // 30x30 input, 3x3 filter, 8 channels, 24 filters, stride 2: ceil((30-3+2)/2)^2 = 15^2 pixels.
  const auto conv = ImportAndRun(
      dir + "/conv", cfg,
      Topology(dir, "conv",
               "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
               "Num Filter, Strides,\nc1, 30, 30, 3, 3, 8, 24, 2,\nc2, 30, 30, 3, 3, 8, 24, 2,\n"),
      "--no-stall");
  const auto gemm = ImportAndRun(
      dir + "/gemm", cfg,
      Topology(dir, "gemm", "Layer, M, N, K,\ng1, 225, 24, 72,\ng2, 225, 24, 72,\n"), "--no-stall");
  ASSERT_EQ(conv.size(), 3u);
  EXPECT_EQ(conv, gemm);
  // Layers run one after another, as SCALE-Sim runs them: the schedule twice.
  const auto schedule = static_cast<double>(FoldSchedule("ws", 32, 32, 225, 72, 24));
  EXPECT_NEAR(conv[0], schedule, 1.0);
  EXPECT_GE(conv[2], 2 * schedule);
}

// SCALE-Sim v2's Total Cycles, measured on its shipped Eyeriss configuration (12x14 WS,
// 3 x 108 KiB, CALC) with the comparison of docs/MAPPING.md: 16,999 and 42,999.
TEST(ImportScaleSim, ReproducesSCALESimsMeasuredEyerissCycles) {
  const struct {
    int m, k, n;
    double scalesim_total_cycles;
  } cases[] = {{100, 300, 70, 16999}, {64, 512, 128, 42999}};
  for (const auto& c : cases) {
    const std::string dir = test::FreshDir("import_scalesim_eyeriss_" + std::to_string(c.m));
    const std::string cfg = Config(dir, "eyeriss", 12, 14, "ws", 108, "CALC");
    const std::string csv = Topology(dir, "g",
                                     "Layer, M, N, K,\ng, " + std::to_string(c.m) + ", " +
                                         std::to_string(c.n) + ", " + std::to_string(c.k) + ",\n");
    EXPECT_EQ(ImportAndRun(dir + "/free", cfg, csv, "--no-stall").back(),
              c.scalesim_total_cycles + 2);
    // At SCALE-Sim's CALC rates pjsim also pays its first load and last store: within 5%.
    const double at_rate = ImportAndRun(dir + "/rate", cfg, csv).back();
    EXPECT_GE(at_rate, c.scalesim_total_cycles + 2);
    EXPECT_LE(at_rate, 1.05 * c.scalesim_total_cycles);
  }
}

TEST(ImportScaleSim, TheArchitectureTakesTheInterfaceRate) {
  const std::string dir = test::FreshDir("import_scalesim_rate");
  const std::string csv = Topology(dir, "g", "Layer, M, N, K,\ng, 8, 8, 8,\n");
  auto r = test::RunPjsim("import-scalesim " + Config(dir, "calc", 16, 64, "is", 64, "CALC") + " " +
                          csv + " -o " + dir + "/calc");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream calc(dir + "/calc/arch.yaml");
  const std::string calc_text((std::istreambuf_iterator<char>(calc)), {});
  // 45 nm's 1 GHz clock: 16 + 64 words of 1 byte per cycle.
  EXPECT_NE(calc_text.find("channel_bandwidth: 80 GB/s"), std::string::npos) << calc_text;
  EXPECT_NE(calc_text.find("dataflow: input_stationary"), std::string::npos);
  EXPECT_NE(calc_text.find("capacity: 192 KiB"), std::string::npos);
  r = test::RunPjsim("import-scalesim " + Config(dir, "user", 16, 64, "os", 64, "USER") + " " +
                     csv + " -o " + dir + "/user");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream user(dir + "/user/arch.yaml");
  const std::string user_text((std::istreambuf_iterator<char>(user)), {});
  EXPECT_NE(user_text.find("channel_bandwidth: 20 GB/s"), std::string::npos) << user_text;
}

TEST(ImportScaleSim, BadInputsExitTwoAndWriteNothing) {
  const std::string dir = test::FreshDir("import_scalesim_bad");
  const std::string good_cfg = Config(dir, "good", 8, 8, "os", 64, "CALC");
  const std::string good_csv = Topology(dir, "good", "Layer, M, N, K,\ng, 8, 8, 8,\n");
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {Config(dir, "bad", 8, 8, "xs", 64, "CALC") + " " + good_csv,
            "bad.cfg:13:1: Dataflow: must be os, ws or is, got 'xs'"},
           {good_cfg + " " + Topology(dir, "bad", "Layer, M, N, K,\ng, 8, 0, 8,\n"),
            "bad.csv:2:7: N must be in [1, "},
           {good_cfg + " " + good_csv + " --topology-format rows",
            "--topology-format must be auto, conv or gemm, got 'rows'"},
           {good_cfg + " " + dir + "/missing.csv", "missing.csv"},
       }) {
    const auto r = test::RunPjsim("import-scalesim " + args + " -o " + dir + "/out");
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir + "/out")) << args;
  }
}

// tools/reference/scalesim_compare.sh's pjsim side (--pjsim-only) runs through the importer:
// its no-stall column is the closed form + 1 on a case of each dataflow.
TEST(ImportScaleSim, TheComparisonScriptRunsThroughTheImporter) {
  const auto run = test::RunCommand("python3 " + test::SourceDir() +
                                    "/tools/reference/scalesim_compare.py --pjsim " +
                                    test::PjsimExecutable() + " --pjsim-only --filter 100x300x70");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  int rows = 0;
  std::istringstream lines(run.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("gen ", 0) != 0) continue;
    ++rows;
    // case, closed form, SCALE-Sim +1, stalls, same BW, ratio, no-stall, no-stall / closed, ...
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, '\t');) cells.push_back(cell);
    ASSERT_GE(cells.size(), 8u) << line;
    EXPECT_EQ(std::stol(cells[6]), std::stol(cells[1]) + 1) << line;
    EXPECT_GE(std::stol(cells[4]), std::stol(cells[6])) << line;
  }
  EXPECT_GE(rows, 3) << run.output;
}

}  // namespace
}  // namespace pjsim
