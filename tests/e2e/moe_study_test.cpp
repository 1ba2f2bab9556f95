// The MoE power-gating study end to end on a tiny spec: the sweep runs every policy, the study
// script prints its table and draws both figures, and the oracle never costs more energy than
// never gating in any design of the store.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

void WriteMoeWorkload(const std::string& path, int batch) {
  const std::string slots = std::to_string(batch * 2);
  const std::string experts = "experts: {count: 8, top_k: 2}";
  std::ofstream(path) << "name: tiny\nphase: decode\ndecode_tokens: 3\ntokens_per_pass: " << batch
                      << "\nlayers:\n"
                      << "  - {name: router, op: linear, m: " << batch
                      << ", k: 256, n: 8, dtype: int8}\n"
                      << "  - {name: up, op: linear, m: " << slots
                      << ", k: 256, n: 512, dtype: int8, inputs: [], " << experts << "}\n"
                      << "  - {name: down, op: linear, m: " << slots
                      << ", k: 512, n: 256, dtype: int8, inputs: [up], " << experts << "}\n";
}

// Column `name` of every row of a CSV.
std::vector<std::map<std::string, std::string>> ReadCsv(const std::string& path) {
  std::istringstream in(ReadInputFile(path));
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    for (std::string c; std::getline(ls, c, ',');) cells.push_back(c);
    if (header.empty()) {
      header = cells;
      continue;
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

TEST(MoeStudy, SweepTableAndFiguresAndTheOracleBound) {
  const std::string dir = test::FreshDir("moe_study");
  WriteMoeWorkload(dir + "/Tiny.decode.b1.yaml", 1);
  WriteMoeWorkload(dir + "/Tiny.decode.b8.yaml", 8);
  std::ofstream(dir + "/spec.yaml")
      << "name: tiny_moe\nbase: {arch: " << test::SourceDir() << "/configs/arch/default.yaml}\n"
      << "axes:\n"
      << "  - {key: workload, values: [Tiny.decode.b1.yaml, Tiny.decode.b8.yaml]}\n"
      << "  - {key: workload.routing.source, values: [uniform, zipf]}\n"
      << "  - {key: arch.power_gating.policy, values: [never, immediate, oracle, timeout]}\n"
      << "  - {key: arch.power_gating.timeout, values: [16, 4096]}\n"
      << "filters:\n"
      << "  - {require: \"arch.power_gating.policy == 'timeout' or arch.power_gating.timeout == "
         "16\", "
         "reason: timeout only}\n"
      << "derived:\n"
      << "  - {name: energy_per_token_uj, expr: run.energy_per_token_pj / 1e6}\n"
      << "  - {name: latency_per_token_us, expr: run.seconds_per_token * 1e6}\n";
  const std::string store = dir + "/store";
  const test::CommandResult sweep = test::RunCommand(test::PjsimExecutable() + " sweep " + dir +
                                                     "/spec.yaml -j 2 --out " + store);
  ASSERT_EQ(sweep.exit_code, 0) << sweep.output;

  // Oracle <= never for each (workload, routing) design.
  std::map<std::string, std::map<std::string, double>> energy;
  for (const auto& row : ReadCsv(store + "/results.csv")) {
    if (row.at("status") != "ok") continue;
    energy[row.at("workload") + "/" + row.at("workload.routing.source")]
          [row.at("arch.power_gating.policy")] = std::stod(row.at("energy_per_token_uj"));
  }
  ASSERT_EQ(energy.size(), 4u);
  for (const auto& [design, by_policy] : energy) {
    ASSERT_EQ(by_policy.size(), 4u) << design;
    EXPECT_LE(by_policy.at("oracle"), by_policy.at("never")) << design;
  }

  bool has_matplotlib = false;
  std::string python;
  for (const char* p : {"python3", "/usr/bin/python3"}) {
    if (test::RunCommand(std::string(p) + " -c 'import matplotlib'").exit_code == 0) {
      python = p;
      has_matplotlib = true;
      break;
    }
  }
  if (!has_matplotlib)
    GTEST_SKIP() << "no python3 with matplotlib (apt-get install python3-matplotlib)";
  const std::string out = dir + "/figures";
  const test::CommandResult fig =
      test::RunCommand("MPLCONFIGDIR=" + dir + "/mpl " + python + " " + test::SourceDir() +
                       "/tools/figures/moe_gating.py " + dir + "/spec.yaml --store " + store +
                       " --out " + out + " --batch 1");
  ASSERT_EQ(fig.exit_code, 0) << fig.output;
  EXPECT_NE(fig.output.find("| Tiny | decode | 8 | zipf |"), std::string::npos) << fig.output;
  for (const char* name :
       {"moe_gating.png", "moe_gating.pdf", "moe_gating_batch.png", "moe_gating_batch.pdf"}) {
    ASSERT_TRUE(fs::exists(fs::path(out) / name)) << name;
    EXPECT_GT(fs::file_size(fs::path(out) / name), 5000u) << name;
  }
}

}  // namespace
}  // namespace pjsim
