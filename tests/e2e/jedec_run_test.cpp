// A shipped workload on the shipped `jedec` arch variant: the plan and so the bytes each channel
// moves are the simple model's; the DRAM energy comes from the preset's currents in the new
// categories, and the report shows the command counts only for jedec channels.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "run_command.h"
#include "sim/run/run_report.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

TEST(JedecRun, ConservesBytesAndReportsTheNewCategories) {
  const std::string workload = test::SourceDir() + "/workloads/linear_2048x2560x2560.yaml";
  const test::SimRun simple = test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm.yaml"), workload);
  const test::SimRun jedec =
      test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm-jedec.yaml"), workload);
  ASSERT_EQ(simple.result.channels.size(), jedec.result.channels.size());
  double bytes = 0;
  for (size_t c = 0; c < jedec.result.channels.size(); ++c) {
    const ChannelResult& s = simple.result.channels[c];
    const ChannelResult& j = jedec.result.channels[c];
    EXPECT_EQ(j.bytes_read, s.bytes_read) << c;
    EXPECT_EQ(j.bytes_written, s.bytes_written) << c;
    EXPECT_FALSE(s.has_commands);
    EXPECT_TRUE(j.has_commands);
    EXPECT_GT(j.act, 0);
    EXPECT_GT(j.rd, 0);
    EXPECT_EQ(j.row_hits + j.row_misses, j.rd + j.wr);  // per column access
    EXPECT_GT(j.avg_read_latency_ns, 0);
    EXPECT_GE(j.p99_read_latency_ns, j.avg_read_latency_ns * 0.5);
    bytes += j.bytes_read + j.bytes_written;
  }
  const std::map<std::string, double> energy = jedec.result.ledger.EnergyByCategory();
  for (const char* category :
       {"dram.act", "dram.read", "dram.write", "dram.refresh", "dram.background", "dram.io"}) {
    ASSERT_TRUE(energy.count(category)) << category;
    EXPECT_GT(energy.at(category), 0) << category;
  }
  // The tech table's per-bit price and background are not charged too.
  EXPECT_EQ(energy.at("leakage.dram"), 0);
  EXPECT_EQ(energy.at("dram.activate"), 0);
  // dram.read / dram.write still count bits: the per-layer DRAM bytes stay right.
  double counted = 0;
  for (int l = 0; l < jedec.result.ledger.layer_count(); ++l) {
    counted += jedec.result.ledger.LayerCountIn(l, "dram.read") +
               jedec.result.ledger.LayerCountIn(l, "dram.write");
  }
  EXPECT_DOUBLE_EQ(counted, bytes * 8);

  const std::string with = ReportJson(jedec.config, "", jedec.result);
  const std::string without = ReportJson(simple.config, "", simple.result);
  EXPECT_NE(with.find("\"commands\""), std::string::npos);
  EXPECT_NE(with.find("\"p99_read_latency_ns\""), std::string::npos);
  EXPECT_EQ(without.find("\"commands\""), std::string::npos);
  EXPECT_EQ(without.find("\"p99_read_latency_ns\""), std::string::npos);
}

// A workload larger than what the channels address runs, says so once on stderr before the run,
// and records both figures in report.json; one that fits says nothing.
TEST(JedecRun, WarnsWhenTheTensorsExceedWhatTheChannelsAddress) {
  const std::string run = "run --arch " + test::ArchFile("mesh8x8-int8-hbm-jedec.yaml") +
                          " --workload " + test::SourceDir() +
                          "/workloads/linear_2048x2560x2560.yaml --quiet";
  const std::string small = test::FreshDir("jedec_capacity_small");
  const test::CommandResult over =
      test::RunPjsim(run + " --set arch.dram.rows=256 --out " + small + " 2>&1");
  ASSERT_EQ(over.exit_code, 0) << over.output;
  EXPECT_NE(over.output.find("pjsim run: warning: "), std::string::npos) << over.output;
  // The layer's three tensors, row-aligned, above the 64 KiB its reused outputs start at.
  EXPECT_NE(over.output.find("dram: the workload's tensors take 18.25 MiB, more than the 16.00 MiB "
                             "its 4 'jedec' channels address"),
            std::string::npos)
      << over.output;
  const std::string report = test::RunCommand("cat " + small + "/report.json").output;
  EXPECT_NE(report.find("\"dram_capacity_bytes\": 16777216"), std::string::npos);
  EXPECT_NE(report.find("\"dram_footprint_bytes\": "), std::string::npos);

  const test::CommandResult fits = test::RunPjsim(run + " 2>&1");
  ASSERT_EQ(fits.exit_code, 0) << fits.output;
  EXPECT_EQ(fits.output.find("warning"), std::string::npos) << fits.output;
}

}  // namespace
}  // namespace pjsim
