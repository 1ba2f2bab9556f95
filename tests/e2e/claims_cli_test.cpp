// `pjsim claims` as a user runs it: the BitNet row reproduces the published 71.4× from the 7 nm
// technology table through the simulated ledger, the outputs regenerate byte-identically whatever
// -j, the row docs/CLAIMS.md shows is the one the command writes, and malformed claim files or
// flags fail with one located line and exit code 2.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "sim/config/units.h"
#include "sim/report/csv.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

std::string ClaimsDir() { return test::SourceDir() + "/configs/claims"; }

std::string Read(const fs::path& p) { return ReadInputFile(p.string()); }

// Column `name` of the row of claim `claim` in claims.csv.
std::string CsvCell(const std::string& csv_text, const std::string& claim,
                    const std::string& name) {
  const auto rows = ParseCsv(csv_text, "claims.csv");
  size_t column = 0;
  while (column < rows[0].size() && rows[0][column] != name) ++column;
  for (const auto& row : rows) {
    if (row[0] == claim && column < row.size()) return row[column];
  }
  return "<missing>";
}

// A tech table's op energy in pJ.
double OpEnergy(const std::string& tech, const std::string& op) {
  const YAML::Node t = YAML::LoadFile(test::SourceDir() + "/configs/tech/" + tech);
  std::string error;
  return ParseQuantity(t["ops"][op]["energy"].Scalar(), &error)->value;
}

TEST(ClaimsCli, BitnetArithmeticReproducesTheTechTableRatioAndRegeneratesIdentically) {
  const std::string a = test::FreshDir("claims_j2"), b = test::FreshDir("claims_j1");
  const auto run_a =
      test::RunPjsim("claims bitnet_arithmetic --dir " + ClaimsDir() + " --out " + a + " -j 2");
  ASSERT_EQ(run_a.exit_code, 0) << run_a.output;
  const auto run_b =
      test::RunPjsim("claims " + ClaimsDir() + "/bitnet_arithmetic.yaml --out " + b + " -j 1");
  ASSERT_EQ(run_b.exit_code, 0) << run_b.output;

  // What the claim counts, from the simulated ledger: FP16 MAC energy per MAC (fp16 multiply +
  // fp16 add) over the ternary array's energy per INT8 add. It must equal the table's
  // (0.34 + 0.16) / 0.007 = 71.43; pricing the add at int32, counting fp32 accumulation or
  // dividing by all MACs instead of adds would move it.
  const double expected = (OpEnergy("7nm.yaml", "fp16_mult") + OpEnergy("7nm.yaml", "fp16_add")) /
                          OpEnergy("7nm.yaml", "int8_add");
  const std::string csv = Read(fs::path(a) / "claims.csv");
  const double counted = std::stod(CsvCell(csv, "bitnet_arithmetic", "counted_value"));
  EXPECT_NEAR(counted, expected, 1e-6 * expected);
  EXPECT_EQ(CsvCell(csv, "bitnet_arithmetic", "counted"), "71.4×");
  EXPECT_EQ(CsvCell(csv, "bitnet_arithmetic", "claimed"), "71.4×");
  // The whole system saves far less than the arithmetic: memory and leakage stay.
  const double full = std::stod(CsvCell(csv, "bitnet_arithmetic", "full_value"));
  EXPECT_GT(full, 1.0);
  EXPECT_LT(full, counted / 5);

  // Deterministic: the same files whatever -j and however the claim was named.
  const std::string md = Read(fs::path(a) / "claims.md");
  EXPECT_EQ(md, Read(fs::path(b) / "claims.md"));
  EXPECT_EQ(csv, Read(fs::path(b) / "claims.csv"));
  // Traceable: the reports the row names exist.
  EXPECT_TRUE(fs::is_regular_file(fs::path(a) / "runs/bitnet_arithmetic/fp16/report.json"));
  EXPECT_TRUE(fs::is_regular_file(fs::path(a) / "runs/bitnet_arithmetic/ternary/report.json"));
  EXPECT_NE(md.find("`runs/bitnet_arithmetic/ternary/report.json`"), std::string::npos);

  // Rerunning into the same directory overwrites it with identical files.
  const auto again =
      test::RunPjsim("claims bitnet_arithmetic --dir " + ClaimsDir() + " --out " + a + " -j 2");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(md, Read(fs::path(a) / "claims.md"));

  // docs/CLAIMS.md holds the table the command generates: its BitNet row is this row.
  std::istringstream lines(md);
  std::string row;
  while (std::getline(lines, row) && row.rfind("| BitNet", 0) != 0) {
  }
  ASSERT_FALSE(row.empty());
  EXPECT_NE(Read(test::SourceDir() + "/docs/CLAIMS.md").find(row + "\n"), std::string::npos)
      << "regenerate docs/CLAIMS.md with `pjsim claims` (docs/CLAIMS.md says how); row:\n"
      << row;
}

TEST(ClaimsCli, MalformedClaimFileIsOneLocatedErrorWithExitTwo) {
  const std::string dir = test::FreshDir("claims_bad");
  const std::string file = dir + "/bad.yaml";
  std::string text = Read(ClaimsDir() + "/bitnet_arithmetic.yaml");
  const std::string from = "fp16.total.energy_pj / ternary.total.energy_pj";
  text.replace(text.find(from), from.size(), "fp16.total.energy_pj / ternary.totl.energy_pj");
  // Relative paths stay valid: the file sits in a directory two levels below the source tree's.
  for (const std::string rel : {"../arch/", "../tech/", "../../workloads/"}) {
    for (size_t at = text.find(rel); at != std::string::npos; at = text.find(rel, at + 1)) {
      const std::string abs = test::SourceDir() + "/configs/" + rel.substr(3);
      text.replace(at, rel.size(), abs);
      at += abs.size() - 1;
    }
  }
  std::ofstream(file) << text;
  const auto run = test::RunPjsim("claims " + file + " --out " + dir + "/out");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
  EXPECT_NE(run.output.find(file + ":"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("'full.expr': unknown metric 'totl.energy_pj' of run 'ternary'"),
            std::string::npos)
      << run.output;
  EXPECT_FALSE(fs::exists(dir + "/out/claims.md"));

  const auto missing = test::RunPjsim("claims no_such_claim --dir " + ClaimsDir());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("no_such_claim.yaml"), std::string::npos) << missing.output;
  const auto jobs = test::RunPjsim("claims bitnet_arithmetic --dir " + ClaimsDir() + " -j 0");
  EXPECT_EQ(jobs.exit_code, 2);
  EXPECT_NE(jobs.output.find("-j needs a positive integer"), std::string::npos) << jobs.output;
}

TEST(ClaimsCli, AFailedRunMakesItsRowSaySoAndTheOthersAreWritten) {
  const std::string dir = test::FreshDir("claims_failed");
  const std::string arch = test::SourceDir() + "/configs/arch/default.yaml";
  const std::string workload = test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml";
  const auto write = [&](const std::string& name, const std::string& set) {
    std::ofstream(dir + "/" + name + ".yaml")
        << "title: " << name << "\nclaim: c\nsource: s\ncounts: n\nclaimed: '2x'\nruns:\n"
        << "  - {name: a, arch: " << arch << ", workload: " << workload << ", set: [" << set
        << "]}\ncounted: {expr: a.total.macs / a.total.macs}\nfull: {expr: a.total.energy_pj}\n"
        << "explains: 'counted {counted}'\n";
  };
  write("good", "arch.tile.rows=16");
  write("bad", "arch.tile.rows=0");
  const auto run = test::RunPjsim("claims good bad --dir " + dir + " --out " + dir + "/out -j 2");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  const std::string md = Read(fs::path(dir) / "out/claims.md");
  EXPECT_NE(md.find("| good [^good] | 2x | 1.0 | "), std::string::npos) << md;
  EXPECT_NE(md.find("| bad [^bad] | 2x | failed | failed | run `a` run failed: pjsim run: error:"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("(log: runs/bad/a.log) |"), std::string::npos) << md;
}

TEST(ClaimsCli, RefusesAnOutputDirectoryHoldingOtherFiles) {
  const std::string dir = test::FreshDir("claims_refuse");
  std::ofstream(dir + "/notes.txt") << "mine";
  const auto run =
      test::RunPjsim("claims bitnet_arithmetic --dir " + ClaimsDir() + " --out " + dir);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_EQ(Read(dir + "/notes.txt"), "mine");
  EXPECT_FALSE(fs::exists(dir + "/runs"));
}

}  // namespace
}  // namespace pjsim
