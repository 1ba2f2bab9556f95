// A BookSim 2 configuration read as noc-bench flags: BookSim's defaults where a key is absent,
// its router delays turned into the pipeline noc-bench was checked against (docs/NOC.md), its
// packet rates into flit rates, and every key noc-bench cannot honour an error at its line.
#include "models/noc/booksim_config.h"

#include <gtest/gtest.h>

#include <string>

#include "config_error_text.h"

namespace pjsim {
namespace {

using test::ErrorOf;

const std::string kMesh = "topology = mesh;\nrouting_function = dor;\n";

TEST(BookSimConfig, DefaultRouterGivesTheComparedPipelineAndBookSimsDefaults) {
  const NocBenchFlags f = ParseBookSimConfig(kMesh, "a.cfg");
  EXPECT_EQ(f.at("mesh"), "8");               // k = 8
  EXPECT_EQ(f.at("virtual-channels"), "16");  // num_vcs = 16
  EXPECT_EQ(f.at("buffer-flits"), "8");
  EXPECT_EQ(f.at("packet-flits"), "1");
  EXPECT_EQ(f.at("pattern"), "uniform");
  EXPECT_EQ(f.at("injection-rate"), "0.1");  // 0.1 packets of 1 flit
  EXPECT_EQ(f.at("router-latency"), "1");    // sw_alloc 1 + st_prepare 0 + st_final 1 - 1
  EXPECT_EQ(f.at("head-latency"), "2");      // routing 1 + vc_alloc 1
  EXPECT_EQ(f.at("link-latency"), "2");
  EXPECT_EQ(f.at("injection-latency"), "2");
  EXPECT_EQ(f.at("credit-latency"), "2");
  EXPECT_EQ(f.at("seed"), "0");
  EXPECT_TRUE(f.count("self-traffic"));
}

TEST(BookSimConfig, RouterDelaysRatesAndTrafficMap) {
  const NocBenchFlags f = ParseBookSimConfig(
      kMesh +
          "k = 4; num_vcs = 8; vc_buf_size = 4; // a comment; with = and ;\n"
          "packet_size = 4;\ninjection_rate = 0.05;\ntraffic = hotspot({0});\n"
          "speculative = 1; credit_delay = 2; routing_delay = 0;\nsw_alloc_delay = 2;\n"
          "st_final_delay = 2;\nsim_type = throughput; sample_period = 10000;\n",
      "b.cfg");
  EXPECT_EQ(f.at("mesh"), "4");
  EXPECT_EQ(f.at("virtual-channels"), "8");
  EXPECT_EQ(f.at("buffer-flits"), "4");
  EXPECT_EQ(f.at("injection-rate"), "0.2");  // packets per cycle x 4 flits
  EXPECT_EQ(f.at("pattern"), "hotspot");
  EXPECT_EQ(f.at("router-latency"), "3");  // 2 + 0 + 2 - 1
  EXPECT_EQ(f.at("head-latency"), "0");    // speculative: 0 + max(1, 2) - 2
  EXPECT_EQ(f.at("credit-latency"), "4");  // channel 2 + credit_delay 2
  EXPECT_EQ(ParseBookSimConfig(kMesh + "injection_rate_uses_flits = 1; packet_size = 4;\n"
                                       "injection_rate = 0.05; traffic = randperm(3);",
                               "c.cfg")
                .at("injection-rate"),
            "0.05");
  // A later statement replaces an earlier one, as in BookSim.
  EXPECT_EQ(ParseBookSimConfig(kMesh + "k = 4;\nk = 6;\n", "d.cfg").at("mesh"), "6");
}

TEST(BookSimConfig, WhatNocBenchCannotHonourIsAnErrorAtItsLine) {
  const auto error = [](const std::string& text) {
    return ErrorOf([&] { ParseBookSimConfig(text, "x.cfg"); });
  };
  EXPECT_EQ(error("k = 4;\n"),
            "x.cfg: topology: noc-bench simulates a mesh: set 'topology = mesh;' (BookSim's "
            "default is torus), not 'torus'");
  EXPECT_EQ(error(kMesh + "vc_allocater = islip;\n"),
            "x.cfg:3: vc_allocater: unknown BookSim key (did you mean 'vc_allocator'?)");
  EXPECT_EQ(error(kMesh + "\nsw_allocator = separable_input_first;\n"),
            "x.cfg:4: sw_allocator: noc-bench models BookSim's default 'islip' only, not "
            "'separable_input_first'");
  EXPECT_EQ(error("topology = mesh;\nrouting_function = min_adapt;\n"),
            "x.cfg:2: routing_function: noc-bench routes in dimension order: 'dor' or "
            "'dim_order', not 'min_adapt'");
  EXPECT_EQ(error("topology = mesh\nrouting_function = dor;\n"),
            "x.cfg:1: topology: no ';' after its value");
  EXPECT_EQ(error(kMesh + "k = 4"), "x.cfg:3: statement 'k = 4' does not end with ';'");
  EXPECT_EQ(error(kMesh + "n = 3;"), "x.cfg:3: n: noc-bench simulates a two-dimensional mesh");
  EXPECT_EQ(error(kMesh + "traffic = hotspot({0,1});"),
            "x.cfg:3: traffic: noc-bench generates uniform, transpose, hotspot({0}), bitcomp, "
            "bitrev, shuffle, tornado, neighbor or randperm traffic, not 'hotspot({0,1})'");
  EXPECT_EQ(error(kMesh + "packet_size = 8; injection_rate = 0.2;"),
            "x.cfg:3: injection_rate: offers 1.600000 flits per node per cycle, more than a "
            "port carries (1)");
  EXPECT_EQ(error(kMesh + "seed = time;"),
            "x.cfg:3: seed: expects an integer in [0, 1099511627776], got 'time'");
  // The defaults restated are fine, numbers by value.
  EXPECT_NO_THROW(ParseBookSimConfig(kMesh + "router = iq; internal_speedup = 1;", "y.cfg"));
}

}  // namespace
}  // namespace pjsim
