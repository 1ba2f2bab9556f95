// The specs that sweep one workload across arithmetics with the workload-wide keys load, have
// no filter, and expand to exactly the points of the results tables the docs show for them.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string Read(const std::string& relative) {
  std::ifstream in(test::SourceDir() + "/" + relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Rows of the first study table (study_table.py's header) in a Markdown file.
int StudyTableRows(const std::string& markdown) {
  const std::string header = "| node | phase | design |";
  size_t at = markdown.find(header);
  if (at == std::string::npos) return -1;
  std::istringstream lines(markdown.substr(at));
  std::string line;
  std::getline(lines, line);  // header
  std::getline(lines, line);  // alignment row
  int rows = 0;
  while (std::getline(lines, line) && line.rfind("| ", 0) == 0) ++rows;
  return rows;
}

std::string DryRun(const std::string& spec) {
  const auto r = test::RunPjsim("sweep " + test::SourceDir() + "/" + spec + " --dry-run");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return r.output;
}

TEST(WorkloadWideSpecs, BitnetStudyHasTheReadmeTablesPointsAndNoFilter) {
  const int rows = StudyTableRows(Read("README.md"));
  ASSERT_EQ(rows, 24);
  const std::string spec = Read("configs/studies/bitnet_energy.yaml");
  EXPECT_EQ(spec.find("filters:"), std::string::npos);
  EXPECT_NE(spec.find("key: workload.arithmetic"), std::string::npos);
  EXPECT_NE(DryRun("configs/studies/bitnet_energy.yaml")
                .find(std::to_string(rows) + " points, " + std::to_string(rows) +
                      " to run, 0 skipped by filters"),
            std::string::npos);
}

TEST(WorkloadWideSpecs, JedecPacketStudiesHaveTheirTablesPoints) {
  const int rows = StudyTableRows(Read("docs/STUDIES_MEMORY.md"));
  ASSERT_EQ(rows, 12);  // prefill and decode, six designs each
  for (const char* name : {"bitnet_energy_jedec_packet", "bitnet_energy_jedec_packet_decode"}) {
    const std::string spec = "configs/studies/" + std::string(name) + ".yaml";
    EXPECT_EQ(Read(spec).find("filters:"), std::string::npos) << name;
    EXPECT_NE(DryRun(spec).find("6 points, 6 to run, 0 skipped by filters"), std::string::npos)
        << name;
  }
}

TEST(WorkloadWideSpecs, NodeArchHasItsTablesPoints) {
  // docs/SWEEPS.md lists the shipped specs with their point counts.
  const std::string sweeps = Read("docs/SWEEPS.md");
  const std::string row = "| `configs/sweeps/node_arch.yaml` | ";
  const size_t at = sweeps.find(row);
  ASSERT_NE(at, std::string::npos);
  const int points = std::stoi(sweeps.substr(at + row.size()));
  EXPECT_EQ(points, 4);
  const std::string spec = Read("configs/sweeps/node_arch.yaml");
  EXPECT_EQ(spec.find("layers.0.dtype"), std::string::npos);
  EXPECT_NE(spec.find("key: workload.dtype"), std::string::npos);
  EXPECT_NE(DryRun("configs/sweeps/node_arch.yaml")
                .find(std::to_string(points) + " points, " + std::to_string(points) +
                      " to run, 0 skipped by filters"),
            std::string::npos);
}

}  // namespace
}  // namespace pjsim
