// `pjsim dram-bench --trace FILE`: a trace of what a pattern issues simulates exactly what the
// pattern does (the same JSON), in either reference simulator's format; a trace's due cycles are
// an issue interval; flags that belong to patterns, and bad traces, exit 2 with one line.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string Json(const std::string& args) {
  const auto r = test::RunPjsim("dram-bench --dram ddr4-3200-x8 " + args + " --json");
  EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.output;
  return r.output;
}

std::string WriteTrace(const std::string& name, const std::string& text) {
  const std::string path = test::FreshDir("dram_bench_trace") + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(DramBenchTrace, ATraceOfAPatternSimulatesThePattern) {
  std::ostringstream dramsim3, ramulator, spaced;
  for (int i = 0; i < 3000; ++i) {
    dramsim3 << "0x" << std::hex << i * 64 << std::dec << " READ 0\n";
    ramulator << "ST " << i * 64 << "\n";
    spaced << "0x" << std::hex << i * 64 << std::dec << " READ " << i * 16 << "\n";
  }
  EXPECT_EQ(Json("--trace " + WriteTrace("seq.trc", dramsim3.str())),
            Json("--pattern seq-read --requests 3000"));
  EXPECT_EQ(Json("--trace " + WriteTrace("st.trace", ramulator.str())),
            Json("--pattern seq-write --requests 3000"));
  // Due every 16 clocks: the pattern's --issue-interval 16.
  EXPECT_EQ(Json("--trace " + WriteTrace("spaced.trc", spaced.str())),
            Json("--pattern seq-read --requests 3000 --issue-interval 16"));
}

TEST(DramBenchTrace, PatternFlagsAndBadTracesExitTwoWithOneLine) {
  const std::string trace = WriteTrace("ok.trc", "0x40 READ 0\n");
  const std::string bad = WriteTrace("bad.trc", "0x40 READ 0\n0x80 WRITE x\n");
  const struct {
    std::string args, expected;
  } cases[] = {
      {"--trace " + trace + " --pattern seq-read",
       "give --pattern PATTERN or --trace FILE (one of them)"},
      {"", "give --pattern PATTERN or --trace FILE (one of them)"},
      {"--trace " + trace + " --requests 10",
       "--requests: applies to --pattern only (the trace gives the requests)"},
      {"--pattern seq-read --trace-format dramsim3", "--trace-format: applies to --trace only"},
      {"--trace " + trace + " --trace-format csv",
       "--trace-format must be auto, dramsim3 or ramulator, got 'csv'"},
      {"--trace " + bad, "bad.trc:2:12: expected a cycle (a whole number up to 2^32), got 'x'"},
  };
  for (const auto& c : cases) {
    const auto r = test::RunPjsim("dram-bench --dram ddr4-3200-x8 " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.expected), std::string::npos) << c.args << "\n" << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  }
}

}  // namespace
}  // namespace pjsim
