// MoE workload keys (`experts:`, `routing:`) and the architecture's `power_gating:` read strictly:
// every malformed value fails with one line naming the file, line and key.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "config_error_text.h"
#include "sim/config/arch_config.h"
#include "sim/config/yaml_reader.h"
#include "sim/workload/workload.h"

namespace pjsim {
namespace {

using test::ErrorOf;

Workload ReadW(const std::string& yaml) {
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml")));
}

std::string Expert(const std::string& extra, std::int64_t m = 8) {
  return "  - {name: up, op: linear, m: " + std::to_string(m) +
         ", k: 64, n: 64, dtype: int8, inputs: [], experts: {count: 8, top_k: 2" + extra + "}}\n";
}

TEST(MoeWorkload, ExpertsAndRoutingAreRead) {
  const Workload w = ReadW(
      "name: w\nrouting: {source: zipf, zipf_exponent: 1.5, reuse: 0.25, seed: 4}\nlayers:\n" +
      Expert(", block: 3, capacity_factor: 1.25"));
  const Layer& l = w.graph->layers()[0];
  EXPECT_EQ(l.expert.experts, 8);
  EXPECT_EQ(l.expert.top_k, 2);
  EXPECT_EQ(l.expert.block, 3);
  EXPECT_DOUBLE_EQ(l.expert.capacity_factor, 1.25);
  EXPECT_EQ(w.routing.source, "zipf");
  EXPECT_EQ(w.routing.num_experts, 8);
  EXPECT_DOUBLE_EQ(w.routing.params.at("zipf_exponent"), 1.5);
  EXPECT_DOUBLE_EQ(w.routing.reuse, 0.25);
  EXPECT_EQ(w.routing.seed, 4u);
}

TEST(MoeWorkload, MalformedKeysFailWithOneLocatedLine) {
  EXPECT_EQ(ErrorOf([] { ReadW("name: w\nlayers:\n" + Expert("", 7)); }),
            "w.yaml:3:31: 'layers.0.m': an expert op's m (7) is tokens x top_k (2)");
  EXPECT_EQ(ErrorOf([] {
              ReadW(
                  "name: w\nlayers:\n  - {name: up, op: linear, m: 8, k: 64, n: 64, dtype: int8, "
                  "experts: {count: 4, top_k: 5}}\n");
            }),
            "w.yaml:3:88: 'layers.0.experts.top_k': must be <= 4, got 5");
  EXPECT_NE(
      ErrorOf([] {
        ReadW(
            "name: w\nrouting: {source: zipf}\nlayers:\n  - {name: a, op: linear, m: 8, k: 8, "
            "n: 8, dtype: int8}\n");
      }).find("'routing': no layer has 'experts' to route"),
      std::string::npos);
  EXPECT_NE(ErrorOf([] {
              ReadW("name: w\nrouting: {source: lottery}\nlayers:\n" + Expert(""));
            }).find("'routing.source'"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf([] {
        ReadW("name: w\nrouting: {source: trace, trace: missing.txt}\nlayers:\n" + Expert(""));
      }).find("missing.txt"),
      std::string::npos);
  const std::string other =
      "  - {name: down, op: linear, m: 12, k: 64, n: 64, dtype: int8, experts: {count: 8, top_k: "
      "3}}\n";
  EXPECT_NE(ErrorOf([&] {
              ReadW("name: w\nlayers:\n" + Expert("") + other);
            }).find("expert op 'down' has 8 experts, top 3"),
            std::string::npos);
  EXPECT_EQ(ErrorOf([] {
              ReadW(
                  "name: w\nlayers:\n  - {name: b, op: linear, m: 8, k: 64, n: 64, dtype: int8, "
                  "arithmetic: binary, "
                  "weight_sparsity: 0.1}\n");
            }),
            "w.yaml:3:97: 'layers.0.weight_sparsity': binary weights are +-1: they have no zeros "
            "to skip");
}

ArchConfig ReadArch(const std::string& gating) {
  const std::string yaml = R"(name: a
mesh: {width: 2, height: 2}
tile: {kind: int8_mac, rows: 4, cols: 4, sram: {capacity: 64 KiB, port_width: 16 B/cycle}, vector_lanes: 4}
noc: {link_width: 16 B/cycle, hop_latency: 1 cycles, link_length: 1 mm}
dram: {type: ddr4, channel_bandwidth: 25.6 GB/s, access_latency: 30 ns, row_miss_penalty: 20 ns, banks: 8,
       row_size: 2 KiB, interleave: 2 KiB, channels: [{x: 0, y: 0}]}
)" + gating;
  return ReadArchConfig(ConfigMap::Root(ConfigDocument::Parse(yaml, "a.yaml")), 1e9);
}

TEST(PowerGatingConfig, ReadStrictly) {
  const ArchConfig a = ReadArch(
      "power_gating: {policy: timeout, timeout: 200, gated_state: off, wake_latency: 7}\n");
  EXPECT_TRUE(a.power_gating.enabled);
  EXPECT_EQ(a.power_gating.policy, "timeout");
  EXPECT_DOUBLE_EQ(a.power_gating.params.at("timeout"), 200);
  EXPECT_EQ(a.power_gating.gated_state, "off");
  EXPECT_DOUBLE_EQ(a.power_gating.wake_latency_cycles, 7);
  EXPECT_FALSE(ReadArch("").power_gating.enabled);
  EXPECT_NE(ErrorOf([] {
              ReadArch("power_gating: {policy: timeout}\n");
            }).find("missing required key 'timeout'"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] {
              ReadArch("power_gating: {policy: sometimes}\n");
            }).find("'power_gating.policy'"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] {
              ReadArch("power_gating: {gated_state: asleep}\n");
            }).find("'power_gating.gated_state'"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] {
              ReadArch("power_gating: {retention_fraction: 1.5}\n");
            }).find("'power_gating.retention_fraction'"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ReadArch("power_gating: {polcy: never}\n"); }).find("polcy"),
            std::string::npos);
}

}  // namespace
}  // namespace pjsim
