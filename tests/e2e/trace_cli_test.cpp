// `pjsim run --trace` as a user runs it: the trace parses with Python's json module (layer names
// with quotes, escapes and non-ASCII included), appears under its name only once complete, leaves
// the run's reports byte-identical, and its filters and their bad values behave as documented.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string Arch() { return test::SourceDir() + "/configs/arch/default.yaml"; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Two decoder-ish layers decoding `tokens` tokens; names that need JSON escaping.
std::string DecodeWorkload(const std::string& dir, int tokens) {
  const std::string path = dir + "/decode.yaml";
  std::ofstream(path) << "name: tiny\nphase: decode\ndecode_tokens: " << tokens
                      << "\ntokens_per_pass: 1\nlayers:\n"
                         "  - {name: \"L0.q \\\"proj\\\"\\t\\u00e9\", op: linear, m: 1, k: 256, "
                         "n: 256, dtype: int8, inputs: []}\n"
                         "  - {name: L0.up, op: linear, m: 1, k: 256, n: 512, dtype: int8, "
                         "inputs: [\"L0.q \\\"proj\\\"\\t\\u00e9\"]}\n"
                         "  - {name: L1.up, op: linear, m: 1, k: 512, n: 256, dtype: int8, "
                         "inputs: [L0.up]}\n";
  return path;
}

// Prints "events N names A,B,.. passes P,Q,.." of a trace, via Python's json module.
std::string Summarise(const std::string& trace) {
  const std::string script = test::FreshDir("trace_cli_script") + "/summary.py";
  std::ofstream(script) << "import json, sys\n"
                           "d = json.load(open(sys.argv[1], encoding='utf-8'))\n"
                           "x = [e for e in d['traceEvents'] if e['ph'] == 'X']\n"
                           "names = sorted({e['name'] for e in x})\n"
                           "passes = sorted({e['args']['p'] for e in x})\n"
                           "print('events', len(d['traceEvents']), 'names', ','.join(names),"
                           " 'passes', ','.join(map(str, passes)))\n";
  return test::RunCommand("python3 " + script + " " + trace).output;
}

TEST(TraceCli, ReportsAreByteIdenticalWithAndWithoutTrace) {
  const std::string dir = test::FreshDir("trace_cli_identical");
  const std::string w = DecodeWorkload(dir, 3);
  const std::string common = "run --quiet --arch " + Arch() + " --workload " + w;
  ASSERT_EQ(test::RunPjsim(common + " --out " + dir + "/plain").exit_code, 0);
  const auto traced =
      test::RunPjsim(common + " --out " + dir + "/traced --trace " + dir + "/t.json");
  ASSERT_EQ(traced.exit_code, 0) << traced.output;
  for (const char* f : {"report.json", "layers.csv", "ops.csv", "passes.csv", "config.yaml"})
    EXPECT_EQ(ReadFile(dir + "/plain/" + f), ReadFile(dir + "/traced/" + f)) << f;
  const std::string summary = Summarise(dir + "/t.json");
  EXPECT_NE(summary.find("names L0.q \"proj\"\t\u00e9,L0.up,L1.up passes 0,1,2"), std::string::npos)
      << summary;
  // Nothing but the trace and the two directories: the temporary was renamed.
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 4);  // decode.yaml, plain, traced, t.json
}

TEST(TraceCli, FiltersSelectLayersAndPasses) {
  const std::string dir = test::FreshDir("trace_cli_filters");
  const std::string w = DecodeWorkload(dir, 5);
  const auto r = test::RunPjsim("run --quiet --arch " + Arch() + " --workload " + w + " --trace " +
                                dir + "/t.json --trace-layers 'L?.up' --trace-passes 1-2,4");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(Summarise(dir + "/t.json").find("names L0.up,L1.up passes 1,2,4"), std::string::npos)
      << Summarise(dir + "/t.json");
}

TEST(TraceCli, MaxEventsWarnsOnStderrAndNotesItInTheTrace) {
  const std::string dir = test::FreshDir("trace_cli_max");
  const auto r =
      test::RunPjsim("run --quiet --arch " + Arch() + " --workload " + DecodeWorkload(dir, 3) +
                     " --trace " + dir + "/t.json --trace-max-events 10");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("warning: trace stopped after 10 events"), std::string::npos);
  const std::string trace = ReadFile(dir + "/t.json");
  EXPECT_NE(trace.find("\"pjsim_truncated\""), std::string::npos);
}

TEST(TraceCli, BadValuesAreOneLineErrorsNamingTheFlag) {
  const std::string dir = test::FreshDir("trace_cli_bad");
  const std::string base = "run --quiet --arch " + Arch() + " --workload " +
                           DecodeWorkload(dir, 2) + " --trace " + dir + "/t.json ";
  for (const auto& [flags, flag] : std::vector<std::pair<std::string, std::string>>{
           {"--trace-passes 3-1", "--trace-passes"},
           {"--trace-passes x", "--trace-passes"},
           {"--trace-max-events 0", "--trace-max-events"},
           {"--trace-max-events -5", "--trace-max-events"},
           {"--trace-interval 0", "--trace-interval"},
           {"--trace-interval fast", "--trace-interval"},
           {"--trace-layers 'nope*'", "--trace-layers"}}) {
    const auto r = test::RunPjsim(base + flags);
    EXPECT_EQ(r.exit_code, 2) << flags;
    EXPECT_NE(r.output.find(flag), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/t.json"));
  // A filter without a trace to filter.
  const auto r = test::RunPjsim("run --quiet --arch " + Arch() + " --workload " + dir +
                                "/decode.yaml --trace-layers 'L0*'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--trace-layers needs --trace"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace pjsim
