// The plug-in registries (tile kinds, gating policies, MoE routing sources): they hold exactly the
// shipped implementations, the readers take names and keys from them, and a wrong name fails with
// file:line:col and the closest registered name.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config_error_text.h"
#include "sim/arch/power_domain.h"
#include "sim/arch/tile_kind.h"
#include "sim/config/arch_config.h"
#include "sim/config/gating_policy_registry.h"
#include "sim/config/tile_kind_registry.h"
#include "sim/config/yaml_reader.h"
#include "sim/workload/moe_routing.h"
#include "sim/workload/routing_source.h"
#include "sim/workload/workload.h"

namespace pjsim {
namespace {

using Names = std::vector<std::string>;

using test::ErrorOf;

ArchConfig ReadArch(const std::string& tile, const std::string& rest = "") {
  const std::string yaml = "name: a\nmesh: {width: 2, height: 2}\ntile: {" + tile +
                           ", rows: 4, cols: 4, sram: {capacity: 64 KiB, port_width: 16 B/cycle}, "
                           "vector_lanes: 4}\n"
                           "noc: {link_width: 16 B/cycle, hop_latency: 1 cycles, link_length: 1 "
                           "mm}\n"
                           "dram: {type: ddr4, channel_bandwidth: 25.6 GB/s, access_latency: 30 "
                           "ns, row_miss_penalty: 20 ns, banks: 8, row_size: 2 KiB, interleave: 2 "
                           "KiB, channels: [{x: 0, y: 0}]}\n" +
                           rest;
  return ReadArchConfig(ConfigMap::Root(ConfigDocument::Parse(yaml, "a.yaml")), 1e9);
}

Workload ReadRouted(const std::string& routing) {
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(
      "name: w\nrouting: " + routing +
          "\nlayers:\n  - {name: up, op: linear, m: 8, k: 64, n: 64, dtype: int8, inputs: [], "
          "experts: {count: 8, top_k: 2}}\n",
      "w.yaml")));
}

TEST(PluginRegistries, HoldExactlyTheShippedImplementations) {
  EXPECT_EQ(TileKindRegistry().Names(),
            (Names{"binary", "fp16_mac", "fp32_mac", "int8_mac", "int8_mac_rtl", "lmul",
                   "spiking_lif", "ternary_add"}));
  EXPECT_EQ(GatingPolicyRegistry().Names(), (Names{"immediate", "never", "oracle", "timeout"}));
  EXPECT_EQ(RoutingSourceRegistry().Names(), (Names{"dirichlet", "trace", "uniform", "zipf"}));
  for (const TileKindEntry* e : TileKindRegistry().Entries()) {
    EXPECT_FALSE(e->summary.empty()) << e->name;
    EXPECT_FALSE(e->accumulators.empty()) << e->name;
    for (const std::string& acc : e->accumulators) EXPECT_NO_THROW(ParseNumberType(acc)) << acc;
  }
  for (const GatingPolicyEntry* e : GatingPolicyRegistry().Entries()) {
    EXPECT_FALSE(e->summary.empty()) << e->name;
  }
  for (const RoutingSourceEntry* e : RoutingSourceRegistry().Entries()) {
    EXPECT_FALSE(e->summary.empty()) << e->name;
  }
}

TEST(PluginRegistries, TwoEntriesWithOneNameAreAProgrammingError) {
  Registry<TileKindEntry> r("tile kind");
  r.Add({.name = "k", .summary = "", .accumulators = {"int32"}, .factory = {}});
  EXPECT_THROW(r.Add({.name = "k", .summary = "", .accumulators = {"int32"}, .factory = {}}),
               std::logic_error);
}

TEST(PluginRegistries, TileKindAndAccumulatorComeFromTheRegistry) {
  // The first accumulator of an entry is the default; each kind accepts only its own.
  EXPECT_EQ(ReadArch("kind: fp16_mac").tile.accumulator, NumberType::kFp32);
  EXPECT_EQ(ReadArch("kind: ternary_add").tile.accumulator, NumberType::kInt8);
  EXPECT_EQ(ReadArch("kind: spiking_lif, accumulator: int16").tile.accumulator, NumberType::kInt16);
  EXPECT_EQ(ErrorOf([] { ReadArch("kind: int8_mak"); }),
            "a.yaml:3:14: 'tile.kind': unknown value 'int8_mak' (did you mean 'int8_mac'?); "
            "expected one of: binary, fp16_mac, fp32_mac, int8_mac, int8_mac_rtl, lmul, "
            "spiking_lif, ternary_add");
  EXPECT_EQ(ErrorOf([] { ReadArch("kind: int8_mac, accumulator: int33"); }),
            "a.yaml:3:37: 'tile.accumulator': unknown value 'int33' (did you mean 'int32'?); "
            "expected one of: int32");
  // MakeTileKind builds through the registry too, and names the closest kind for a bad name.
  TileConfig tile = ReadArch("kind: lmul").tile;
  EXPECT_NE(MakeTileKind(tile), nullptr);
  tile.kind = "lmull";
  try {
    MakeTileKind(tile);
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown tile kind 'lmull' (did you mean 'lmul'?)"),
              std::string::npos)
        << e.what();
  }
}

TEST(PluginRegistries, GatingPolicyAndItsKeysComeFromTheRegistry) {
  EXPECT_EQ(ErrorOf([] { ReadArch("kind: int8_mac", "power_gating: {policy: imediate}\n"); }),
            "a.yaml:6:24: 'power_gating.policy': unknown value 'imediate' (did you mean "
            "'immediate'?); expected one of: immediate, never, oracle, timeout");
  // The chosen policy's keys are required; another policy's keys are accepted (a sweep may zip
  // them with the policy) and read.
  EXPECT_NE(ErrorOf([] {
              ReadArch("kind: int8_mac", "power_gating: {policy: timeout}\n");
            }).find("a.yaml:6:15: 'power_gating': missing required key 'timeout'"),
            std::string::npos);
  const ArchConfig a = ReadArch("kind: int8_mac", "power_gating: {policy: never, timeout: 64}\n");
  EXPECT_DOUBLE_EQ(a.power_gating.params.at("timeout"), 64);
  EXPECT_NE(ErrorOf([] {
              ReadArch("kind: int8_mac", "power_gating: {policy: timeout, timeout: -1}\n");
            }).find("'power_gating.timeout'"),
            std::string::npos);
}

TEST(PluginRegistries, PowerDomainDecidesThroughTheRegisteredPolicy) {
  PowerDomainSpec spec;
  spec.leakage_mw = 1.0;  // 1 pJ per cycle at 1 GHz
  spec.clock_hz = 1e9;
  GatingConfig timeout;
  timeout.policy = GatingPolicy::kTimeout;
  timeout.params["timeout"] = 30;  // the key, as the reader stores it
  const DomainTimeline t = ReplayDomain(spec, timeout, {{0, 10}, {110, 10}}, 120);
  EXPECT_DOUBLE_EQ(t.cycles_in[static_cast<int>(PowerState::kIdle)], 30.0);  // then gated
  EXPECT_EQ(t.gatings, 1);
  GatingConfig unknown;
  unknown.policy = GatingPolicy("oracel");
  try {
    PowerDomain d(spec, unknown);
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown gating policy 'oracel' (did you mean 'oracle'?)"),
              std::string::npos)
        << e.what();
  }
}

TEST(PluginRegistries, RoutingSourceAndItsKeysComeFromTheRegistry) {
  EXPECT_EQ(ErrorOf([] { ReadRouted("{source: zipff}"); }),
            "w.yaml:2:19: 'routing.source': unknown value 'zipff' (did you mean 'zipf'?); "
            "expected one of: dirichlet, trace, uniform, zipf");
  // Every source's keys are read whatever the source; the defaults are the entries' fallbacks.
  const Workload w = ReadRouted("{source: uniform, dirichlet_alpha: 0.5}");
  EXPECT_DOUBLE_EQ(w.routing.params.at("dirichlet_alpha"), 0.5);
  EXPECT_DOUBLE_EQ(w.routing.params.at("zipf_exponent"), 1.0);
  EXPECT_NE(ErrorOf([] {
              ReadRouted("{source: zipf, zipf_exponent: 101}");
            }).find("'routing.zipf_exponent'"),
            std::string::npos);
  // The file key belongs to the source that reads it.
  EXPECT_NE(ErrorOf([] { ReadRouted("{source: trace}"); }).find("missing required key 'trace'"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ReadRouted("{source: zipf, trace: t.txt}"); }).find("trace"),
            std::string::npos);
  RoutingConfig c;
  c.source = "dirichlett";
  c.num_experts = 4;
  c.top_k = 1;
  try {
    MoeRouter r(c);
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'dirichlet'?"), std::string::npos)
        << e.what();
  }
}

TEST(PluginRegistries, RoutingSamplesDependOnlyOnSourceKeysAndSeed) {
  // Zipf through the registry: the config's key drives the skew; defaults equal an explicit 1.0.
  RoutingConfig c;
  c.source = "zipf";
  c.num_experts = 8;
  c.top_k = 2;
  c.seed = 5;
  MoeRouter implicit(c);
  c.params["zipf_exponent"] = 1.0;
  MoeRouter explicit_default(c);
  EXPECT_EQ(implicit.Route(0, 0, 64), explicit_default.Route(0, 0, 64));
  c.params["zipf_exponent"] = 3.0;
  MoeRouter skewed(c);
  const std::vector<double>& p = skewed.Popularity(0);
  EXPECT_GT(*std::max_element(p.begin(), p.end()), 0.8);  // 1 / zeta-like mass of rank 1
}

}  // namespace
}  // namespace pjsim
