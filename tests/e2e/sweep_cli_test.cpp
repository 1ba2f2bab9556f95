// `pjsim sweep` and `pjsim report` as a user runs them: a 12-point sweep end to end, identical
// stores whatever -j, failing and timed-out points recorded without stopping the sweep, and bad
// specs rejected with one located line and exit code 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) { return ReadInputFile(p.string()); }

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string Tiny12() { return test::SourceDir() + "/configs/sweeps/tiny12.yaml"; }

std::string WriteSpec(const std::string& dir, const std::string& body) {
  const std::string path = dir + "/spec.yaml";
  std::ofstream(path) << "base:\n  arch: " << test::SourceDir()
                      << "/configs/arch/default.yaml\n  workload: " << test::SourceDir()
                      << "/workloads/ffn_bitnet_prefill128.yaml\n"
                      << body;
  return path;
}

TEST(SweepCli, TwelvePointsWithTwoJobsThenOneJobGiveIdenticalStores) {
  const std::string j2 = test::FreshDir("sweep_j2"), j1 = test::FreshDir("sweep_j1");
  const test::CommandResult run = test::RunPjsim("sweep " + Tiny12() + " -j 2 --out " + j2);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("[12/12]"), std::string::npos) << run.output;  // plain progress lines
  EXPECT_NE(run.output.find("12 points: 12 ok, 0 failed, 0 timed out, 0 skipped"),
            std::string::npos);

  const auto csv = Lines(Read(fs::path(j2) / "results.csv"));
  ASSERT_EQ(csv.size(), 13u);
  EXPECT_EQ(csv[0].rfind("point,config_hash,arch.tile.rows,arch.tile.cols,arch.dram.type,status,"
                         "error,total.energy_pj,total.cycles,total.seconds",
                         0),
            0u);
  EXPECT_NE(csv[0].find("energy_by_category.dram.read"), std::string::npos);
  EXPECT_NE(csv[0].find(",tops_per_w,pe_count"), std::string::npos);
  EXPECT_EQ(csv[1].rfind("0000,32080f9f3ce5fd27,16,16,ddr4,ok,,", 0), 0u) << csv[1];
  EXPECT_EQ(csv[12].rfind("0011,", 0), 0u);
  for (size_t i = 1; i < csv.size(); ++i) EXPECT_NE(csv[i].find(",ok,,"), std::string::npos);

  const auto jsonl = Lines(Read(fs::path(j2) / "results.jsonl"));
  ASSERT_EQ(jsonl.size(), 12u);
  EXPECT_EQ(jsonl[3].rfind("{\"point\":\"0003\",\"index\":3,\"config_hash\":\"", 0), 0u);
  for (const char* key :
       {"\"status\":\"ok\"", "\"axes\":{\"arch.tile.rows\":16,",
        "\"config\":{\"arch_file\":\"../arch/default.yaml\"", "\"report\":{\"pjsim_version\"",
        "\"layers\":[", "\"energy_by_category\""}) {
    EXPECT_NE(jsonl[3].find(key), std::string::npos) << key;
  }
  EXPECT_FALSE(fs::exists(fs::path(j2) / "scratch"));
  EXPECT_NE(Read(fs::path(j2) / "run_log.txt").find("point 0011 ok"), std::string::npos);

  const test::CommandResult report = test::RunPjsim("report " + j2 + " --top 3");
  ASSERT_EQ(report.exit_code, 0) << report.output;
  EXPECT_NE(report.output.find("Top 3 by total.energy_pj [pJ], lowest first"), std::string::npos);
  EXPECT_NE(report.output.find("Pareto set over energy (total.energy_pj) and latency "
                               "(total.seconds)"),
            std::string::npos)
      << report.output;
  const test::CommandResult md =
      test::RunPjsim("report " + j2 + " --metric tops_per_w --maximize --markdown");
  ASSERT_EQ(md.exit_code, 0) << md.output;
  EXPECT_NE(md.output.find("### Pareto set"), std::string::npos);
  EXPECT_NE(md.output.find("| rank | point | arch.tile.rows |"), std::string::npos) << md.output;

  const test::CommandResult serial = test::RunPjsim("sweep " + Tiny12() + " -j 1 --out " + j1);
  ASSERT_EQ(serial.exit_code, 0) << serial.output;
  for (const char* f : {"results.csv", "results.jsonl", "sweep.json", "spec.yaml"}) {
    EXPECT_EQ(Read(fs::path(j1) / f), Read(fs::path(j2) / f)) << f;
  }
  for (const auto& entry : fs::directory_iterator(fs::path(j2) / "points")) {
    EXPECT_EQ(Read(entry.path()), Read(fs::path(j1) / "points" / entry.path().filename()))
        << entry.path();
  }
}

TEST(SweepCli, FailingPointsAreRecordedWithTheirErrorAndTheRestComplete) {
  const std::string dir = test::FreshDir("sweep_failing");
  const std::string spec = WriteSpec(dir,
                                     "axes:\n"
                                     "  - key: arch.tile.sram.capacity\n"
                                     "    values: [256 KiB, 1 B, 1 parsec, 2 KiB]\n"
                                     "filters:\n"
                                     "  - require: \"arch.tile.sram.capacity != '2 KiB'\"\n"
                                     "    reason: too small to be interesting\n");
  const test::CommandResult run = test::RunPjsim("sweep " + spec + " -j 2 --out " + dir + "/store");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("4 points: 1 ok, 2 failed, 0 timed out, 1 skipped"), std::string::npos)
      << run.output;
  const auto csv = Lines(Read(fs::path(dir) / "store" / "results.csv"));
  ASSERT_EQ(csv.size(), 5u);
  EXPECT_NE(csv[1].find(",256 KiB,ok,,"), std::string::npos) << csv[1];
  // The error is the child's one-line message (exit 1: simulation failure; exit 2: bad input).
  EXPECT_NE(csv[2].find(",1 B,failed,pjsim run: error: "), std::string::npos) << csv[2];
  EXPECT_NE(csv[2].find("no mapping fits the 1-byte tile SRAM"), std::string::npos) << csv[2];
  EXPECT_NE(csv[3].find(",1 parsec,failed,\"pjsim run: error: --set arch.tile.sram.capacity=1 "
                        "parsec: 'tile.sram.capacity': unknown unit 'parsec'"),
            std::string::npos)
      << csv[3];
  EXPECT_NE(csv[4].find(",2 KiB,skipped,too small to be interesting,"), std::string::npos)
      << csv[4];
  EXPECT_NE(Read(fs::path(dir) / "store" / "results.jsonl").find("\"status\":\"failed\""),
            std::string::npos);

  const test::CommandResult report = test::RunPjsim("report " + dir + "/store");
  EXPECT_EQ(report.exit_code, 0);
  EXPECT_NE(report.output.find("Failed points: 2"), std::string::npos) << report.output;

  // Resuming a store whose failures are recorded runs nothing: they are not missing.
  const test::CommandResult again =
      test::RunPjsim("sweep " + spec + " --out " + dir + "/store --resume");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("4 points, 1 skipped by filters, 3 already done, running 0"),
            std::string::npos)
      << again.output;
}

TEST(SweepCli, TimedOutPointsAreKilledAndRecorded) {
  const std::string dir = test::FreshDir("sweep_timeout");
  const std::string spec = WriteSpec(dir, "axes:\n  - {key: arch.tile.rows, values: [16, 32]}\n");
  const test::CommandResult run =
      test::RunPjsim("sweep " + spec + " -j 2 --timeout 0.001 --out " + dir + "/store");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  const auto csv = Lines(Read(fs::path(dir) / "store" / "results.csv"));
  ASSERT_EQ(csv.size(), 3u);
  EXPECT_NE(csv[1].find(",timeout,timed out after 0.001 s (killed),"), std::string::npos) << csv[1];
  EXPECT_FALSE(fs::exists(fs::path(dir) / "store" / "scratch"));
}

TEST(SweepCli, DryRunPrintsPointsAndBadInputExitsTwoWithOneLine) {
  const test::CommandResult dry = test::RunPjsim("sweep " + Tiny12() + " --dry-run");
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("12 points, 12 to run, 0 skipped by filters"), std::string::npos);
  EXPECT_NE(dry.output.find("0000  32080f9f3ce5fd27  arch.tile.rows=16 arch.tile.cols=16 "
                            "arch.dram.type=ddr4"),
            std::string::npos)
      << dry.output;

  const std::string dir = test::FreshDir("sweep_bad");
  const std::string bad_filter = WriteSpec(dir,
                                           "axes:\n"
                                           "  - {key: arch.tile.rows, values: [16]}\n"
                                           "filters:\n"
                                           "  - {require: arch.tile.row < 4, reason: x}\n");
  struct Case {
    std::string args, expected;
  };
  const std::vector<Case> cases = {
      {"sweep " + bad_filter,
       "spec.yaml:7:15: 'filters.0.require': unknown axis key "
       "'arch.tile.row' (did you mean 'arch.tile.rows'?)"},
      {"sweep " + dir + "/missing.yaml", "missing.yaml: no such file"},
      {"sweep " + Tiny12() + " -j 0", "-j needs a positive integer, got '0'"},
      {"sweep " + Tiny12() + " --timeout soon", "--timeout needs a positive number of seconds"},
      {"sweep", "missing the sweep spec"},
      {"report " + dir, "sweep.json: no such file: not a results store"},
  };
  for (const auto& c : cases) {
    const test::CommandResult o = test::RunPjsim(c.args);
    EXPECT_EQ(o.exit_code, 2) << c.args << "\n" << o.output;
    EXPECT_NE(o.output.find(c.expected), std::string::npos) << c.args << "\n" << o.output;
    EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << o.output;
  }
  const test::CommandResult help = test::RunPjsim("--help");
  EXPECT_NE(help.output.find("sweep"), std::string::npos);
  EXPECT_NE(help.output.find("report"), std::string::npos);
}

TEST(SweepCli, AnExistingStoreIsNotOverwrittenWithoutResume) {
  const std::string dir = test::FreshDir("sweep_reuse");
  const std::string spec = WriteSpec(dir, "axes:\n  - {key: arch.tile.rows, values: [16]}\n");
  ASSERT_EQ(test::RunPjsim("sweep " + spec + " --out " + dir + "/store").exit_code, 0);
  const test::CommandResult again = test::RunPjsim("sweep " + spec + " --out " + dir + "/store");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.output.find("already holds a results store; pass --resume"), std::string::npos)
      << again.output;
  // A spec with other points may not resume into it.
  const std::string other = WriteSpec(dir, "axes:\n  - {key: arch.tile.rows, values: [32]}\n");
  const test::CommandResult mixed =
      test::RunPjsim("sweep " + other + " --out " + dir + "/store --resume");
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.output.find("the store was made from a different spec"), std::string::npos)
      << mixed.output;
}

}  // namespace
}  // namespace pjsim
