// `pjsim noc-bench`: one JSON object with exactly the documented keys, deterministic for a
// seed, the zero-load latency of the formula, and one-line errors (exit 2) for bad flags.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "run_command.h"

namespace pjsim {
namespace {

TEST(NocBenchCli, JsonHasExactlyTheDocumentedKeysAndIsDeterministic) {
  const std::string args =
      "noc-bench --mesh 4 --pattern uniform --injection-rate 0.1 --packet-flits 4 --cycles 2000 "
      "--seed 7 --json";
  const auto a = test::RunPjsim(args);
  const auto b = test::RunPjsim(args);
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_EQ(a.output, b.output);
  std::vector<std::string> keys;
  const std::regex key("\"([a-z_]+)\": [0-9.e+-]+");
  for (auto it = std::sregex_iterator(a.output.begin(), a.output.end(), key);
       it != std::sregex_iterator(); ++it) {
    keys.push_back((*it)[1]);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "offered_flits_per_node_cycle", "accepted_flits_per_node_cycle",
                      "avg_packet_latency_cycles", "avg_network_latency_cycles",
                      "zero_load_latency_cycles", "channel_load_bound_flits_per_node_cycle"}));
  EXPECT_EQ(a.output.front(), '{');
  EXPECT_EQ(std::count(a.output.begin(), a.output.end(), '\n'), 1);
}

TEST(NocBenchCli, ZeroLoadLatencyFollowsRouterAndLinkLatencies) {
  // Broadcast from node 0 of a 2x2 mesh: destinations at 1, 1 and 2 hops; 3-flit packets,
  // router 2 + link 3 cycles: ((2 + 3) * (2 + 2 + 3) + 3 * 2) / 3.
  const auto r = test::RunPjsim(
      "noc-bench --mesh 2 --pattern broadcast --injection-rate 0.01 --packet-flits 3 "
      "--router-latency 2 --link-latency 3 --cycles 1000 --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"zero_load_latency_cycles\": 13.666667"), std::string::npos)
      << r.output;
}

TEST(NocBenchCli, BookSimPipelineFlagsAndSelfTrafficEnterTheZeroLoadLatency) {
  // BookSim's default router on a 2x2 mesh: router 1, head +2, links and injection 2 cycles.
  // Broadcast from node 0 (1, 1 and 2 hops), 3-flit packets: 2 + 5 * (H + 1) + 2 per copy.
  const auto b = test::RunPjsim(
      "noc-bench --mesh 2 --pattern broadcast --injection-rate 0.01 --packet-flits 3 "
      "--router-latency 1 --head-latency 2 --link-latency 2 --credit-latency 2 "
      "--injection-latency 2 --cycles 1000 --json");
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_NE(b.output.find("\"zero_load_latency_cycles\": 15.666667"), std::string::npos)
      << b.output;
  // Hotspot at node 0, router 1 + link 1: without self-traffic the 3 other nodes (1, 1 and 2
  // hops) send; with it node 0 sends to itself too (0 hops): (4 + 6 + 6 + 8) / 4.
  const std::string hot =
      "noc-bench --mesh 2 --pattern hotspot --injection-rate 0.01 --packet-flits 3 --cycles 1000 "
      "--json";
  EXPECT_NE(test::RunPjsim(hot).output.find("\"zero_load_latency_cycles\": 6.6666667"),
            std::string::npos);
  EXPECT_NE(test::RunPjsim(hot + " --self-traffic").output.find("\"zero_load_latency_cycles\": 6,"),
            std::string::npos);
  const auto text = test::RunPjsim(
      "noc-bench --mesh 2 --pattern uniform --injection-rate 0.01 --packet-flits 3 "
      "--head-latency 2 --self-traffic --cycles 1000");
  EXPECT_NE(text.output.find("(head +2, injection 0, credit 1), self-traffic"), std::string::npos)
      << text.output;
}

// A BookSim configuration runs the network the equivalent flags describe; a flag given as well
// takes precedence over the file.
TEST(NocBenchCli, BookSimConfigurationRunsAsItsFlags) {
  const std::string cfg = ::testing::TempDir() + "noc_bench_cli_test.cfg";
  std::ofstream(cfg) << "topology = mesh; k = 4; n = 2; routing_function = dor;\n"
                        "num_vcs = 2; vc_buf_size = 8; packet_size = 4;\n"
                        "traffic = transpose; injection_rate = 0.01; seed = 3;\n";
  const std::string flags =
      "--mesh 4 --pattern transpose --injection-rate 0.04 --packet-flits 4 "
      "--virtual-channels 2 --buffer-flits 8 --router-latency 1 --head-latency 2 "
      "--link-latency 2 --credit-latency 2 --injection-latency 2 --self-traffic --seed 3 "
      "--cycles 2000 --json";
  const auto from_file = test::RunPjsim("noc-bench --booksim " + cfg + " --cycles 2000 --json");
  const auto from_flags = test::RunPjsim("noc-bench " + flags);
  ASSERT_EQ(from_file.exit_code, 0) << from_file.output;
  EXPECT_EQ(from_file.output, from_flags.output);
  const auto overridden =
      test::RunPjsim("noc-bench --booksim " + cfg + " --virtual-channels 4 --cycles 2000 --json");
  const auto four =
      test::RunPjsim("noc-bench " + std::regex_replace(flags, std::regex("--virtual-channels 2"),
                                                       "--virtual-channels 4"));
  ASSERT_EQ(overridden.exit_code, 0) << overridden.output;
  EXPECT_EQ(overridden.output, four.output);
  std::ofstream(cfg) << "topology = mesh; routing_function = dor; num_vc = 2;\n";
  const auto bad = test::RunPjsim("noc-bench --booksim " + cfg);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find(cfg + ":1: num_vc: unknown BookSim key (did you mean 'num_vcs'?)"),
            std::string::npos)
      << bad.output;
  EXPECT_EQ(std::count(bad.output.begin(), bad.output.end(), '\n'), 1) << bad.output;
}

TEST(NocBenchCli, BadFlagsAreOneLineErrorsWithExitTwo) {
  for (const char* flags :
       {"--mesh 4 --pattern uniformly --injection-rate 0.1 --packet-flits 4",
        "--mesh 1 --pattern uniform --injection-rate 0.1 --packet-flits 4",
        "--mesh 4 --pattern uniform --injection-rate 1.5 --packet-flits 4",
        "--mesh 4 --pattern uniform --injection-rate 0.1",
        "--mesh 4 --pattern uniform --injection-rate 0.1 --packet-flits 4 --buffer-flits 0",
        "--mesh 4 --pattern uniform --injection-rate 0.1 --packet-flits 4 --vcs 2",
        "--mesh 4 --pattern uniform --injection-rate 0.1 --packet-flits 4 --head-latency -1",
        "--mesh 4 --pattern uniform --injection-rate 0.1 --packet-flits 4 --credit-latency 0",
        "--mesh 6 --pattern bitcomp --injection-rate 0.1 --packet-flits 4",
        // Seed 52 draws the identity on 2 x 2: no node has another to send to.
        "--mesh 2 --pattern randperm --injection-rate 0.1 --packet-flits 4 --seed 52"}) {
    const auto r = test::RunPjsim(std::string("noc-bench ") + flags);
    EXPECT_EQ(r.exit_code, 2) << flags << "\n" << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_EQ(r.output.rfind("pjsim noc-bench: error: ", 0), 0u) << r.output;
  }
  EXPECT_NE(test::RunPjsim("noc-bench --mesh 4 --pattern uniformly --injection-rate 0.1 "
                           "--packet-flits 4")
                .output.find("did you mean 'uniform'"),
            std::string::npos);
  EXPECT_EQ(test::RunPjsim("noc-bench --help").exit_code, 0);
}

}  // namespace
}  // namespace pjsim
