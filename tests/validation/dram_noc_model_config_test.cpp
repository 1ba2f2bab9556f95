// Choosing the DRAM and NoC models by name: `dram.model` / `noc.model` are optional (default
// `simple`), a wrong name is a ConfigError at its file:line with the closest registered name, the
// simple models' own keys are read strictly, and naming the default changes no output.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config_error_text.h"
#include "sim/config/arch_config.h"
#include "sim/config/dram_model_registry.h"
#include "sim/config/noc_model_registry.h"
#include "sim/config/yaml_reader.h"
#include "sim/run/run_report.h"
#include "simulate_yaml.h"

namespace pjsim {
namespace {

// An architecture whose noc and dram sections get `noc_extra` / `dram_extra` appended.
ArchConfig ReadArch(const std::string& noc_extra, const std::string& dram_extra) {
  const std::string yaml =
      "name: a\n"
      "mesh: {width: 2, height: 2}\n"
      "tile: {kind: int8_mac, rows: 4, cols: 4, sram: {capacity: 64 KiB, port_width: 16 B/cycle},"
      " vector_lanes: 4}\n"
      "noc:\n"
      "  link_width: 16 B/cycle\n"
      "  hop_latency: 1 cycles\n"
      "  link_length: 1 mm\n" +
      noc_extra +
      "dram:\n"
      "  type: ddr4\n"
      "  channel_bandwidth: 25.6 GB/s\n"
      "  access_latency: 30 ns\n"
      "  row_miss_penalty: 20 ns\n"
      "  banks: 8\n"
      "  row_size: 2 KiB\n"
      "  interleave: 2 KiB\n"
      "  channels: [{x: 0, y: 0}]\n" +
      dram_extra;
  return ReadArchConfig(ConfigMap::Root(ConfigDocument::Parse(yaml, "a.yaml")), 1e9);
}

using test::ErrorOf;

TEST(DramNocModelConfig, SimpleIsRegisteredAndTheDefault) {
  EXPECT_NE(DramModelRegistry().Find("simple"), nullptr);
  EXPECT_NE(NocModelRegistry().Find("simple"), nullptr);
  const ArchConfig omitted = ReadArch("", "");
  EXPECT_EQ(omitted.dram.model, "simple");
  EXPECT_EQ(omitted.noc.model, "simple");
  // The simple DRAM model's own keys went into its parameters, not into DramConfig.
  EXPECT_NE(omitted.dram.params, nullptr);
  const ArchConfig named = ReadArch("  model: simple\n", "  model: simple\n");
  EXPECT_EQ(named.dram.model, "simple");
  EXPECT_EQ(named.noc.model, "simple");
}

TEST(DramNocModelConfig, UnknownModelNamesFileLineAndClosestName) {
  // The appended line is 8 (noc) or 17 (dram); the value starts at column 10.
  const std::string dram = ErrorOf([] { ReadArch("", "  model: simpel\n"); });
  EXPECT_TRUE(dram.starts_with(
      "a.yaml:17:10: 'dram.model': unknown value 'simpel' (did you mean 'simple'?)"))
      << dram;
  const std::string noc = ErrorOf([] { ReadArch("  model: simle\n", ""); });
  EXPECT_TRUE(
      noc.starts_with("a.yaml:8:10: 'noc.model': unknown value 'simle' (did you mean 'simple'?)"))
      << noc;
}

TEST(DramNocModelConfig, SimpleModelsRejectForeignKeys) {
  // A key of no model (a JEDEC timing) inside the section of the simple DRAM model.
  const std::string dram = ErrorOf([] { ReadArch("", "  tRCD: 14 ns\n"); });
  EXPECT_NE(dram.find("a.yaml:17:3: unknown key 'dram.tRCD'"), std::string::npos) << dram;
  const std::string typo = ErrorOf([] { ReadArch("", "  bank: 4\n"); });
  EXPECT_NE(typo.find("'dram.bank'"), std::string::npos) << typo;
  EXPECT_NE(typo.find("did you mean 'banks'"), std::string::npos) << typo;
  const std::string noc = ErrorOf([] { ReadArch("  virtual_channels: 2\n", ""); });
  EXPECT_NE(noc.find("a.yaml:8:3: unknown key 'noc.virtual_channels'"), std::string::npos) << noc;
}

std::string SmallWorkload() {
  return test::WriteWorkloadYaml(
      "dram_noc_model_config",
      "name: small\nlayers:\n"
      "  - {name: up, op: linear, m: 32, k: 512, n: 768, dtype: int8}\n"
      "  - {name: down, op: linear, m: 32, k: 768, n: 512, dtype: int8}\n");
}

// The report, layers table and summary of one run (the resolved config is left out: it lists
// the overrides themselves).
std::string Outputs(const std::string& workload, std::vector<std::string> overrides) {
  const test::SimRun run =
      test::SimulateYaml(test::ArchFile("default.yaml"), workload, std::move(overrides));
  return ReportJson(run.config, "{}", run.result) + LayersCsv(run.config, run.result) +
         SummaryText(run.config, run.result);
}

TEST(DramNocModelConfig, NamingTheSimpleModelsChangesNoOutput) {
  const std::string workload = SmallWorkload();
  const std::string omitted = Outputs(workload, {});
  EXPECT_EQ(Outputs(workload, {"arch.dram.model=simple", "arch.noc.model=simple"}), omitted);
  EXPECT_NE(omitted.find("\"row_hits\""), std::string::npos);
}

}  // namespace
}  // namespace pjsim
