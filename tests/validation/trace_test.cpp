// The streamed trace: valid trace-event JSON whose events are exactly the recorded spans, counters
// and metadata; named processes and threads; args; counters that integrate back to the traffic
// the run measured; the layer, pass and event-count filters.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

#include "sim/report/trace_recorder.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

struct Traced {
  test::SimRun run;
  YAML::Node json;
  std::uint64_t spans = 0, counters = 0, metadata = 0;
};

// A coarser counter interval than the default keeps the JSON small enough to parse quickly.
Traced TraceFfn(TraceOptions options = {}, const std::string& arch = "default.yaml") {
  if (options.counter_interval_ps == TraceOptions{}.counter_interval_ps)
    options.counter_interval_ps = 10000000;
  std::ostringstream out;
  const std::string workload = test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml";
  const RunConfig config = test::LoadYaml(test::ArchFile(arch), workload);
  std::vector<std::string> names;
  for (const Layer& l : config.workload.graph->layers()) names.push_back(l.name);
  TraceRecorder trace(out, names, config.workload.Passes(), std::move(options));
  Traced t{test::SimulateYaml(test::ArchFile(arch), workload, {}, "", &trace), {}};
  trace.Finish();
  t.json = YAML::Load(out.str());
  t.spans = trace.span_count();
  t.counters = trace.counter_count();
  t.metadata = trace.metadata_count();
  return t;
}

// The unfiltered run, traced once for the tests that only read it.
const Traced& Full() {
  static const Traced t = TraceFfn();
  return t;
}

std::map<std::string, std::uint64_t> CountByPhase(const YAML::Node& json) {
  std::map<std::string, std::uint64_t> n;
  for (const auto& e : json["traceEvents"]) ++n[e["ph"].as<std::string>()];
  return n;
}

TEST(Trace, EventsAreTheRecordedSpansCountersAndMetadata) {
  const Traced& t = Full();
  auto phases = CountByPhase(t.json);
  EXPECT_EQ(phases["X"], t.spans);
  EXPECT_EQ(phases["C"], t.counters);
  EXPECT_EQ(phases["M"], t.metadata);
  EXPECT_EQ(phases.size(), 3u);
  EXPECT_GT(t.counters, 0u);
  EXPECT_FALSE(t.json["otherData"]);  // not truncated
}

TEST(Trace, NamedProcessesAndThreadsWithArgs) {
  const Traced& t = Full();
  std::map<int, std::string> process;
  std::map<std::pair<int, int>, std::string> thread;
  std::map<std::pair<int, int>, int> sort;
  for (const auto& e : t.json["traceEvents"]) {
    if (e["ph"].as<std::string>() != "M") continue;
    const std::string what = e["name"].as<std::string>();
    const int pid = e["pid"].as<int>();
    if (what == "process_name") process[pid] = e["args"]["name"].as<std::string>();
    if (what == "thread_name")
      thread[{pid, e["tid"].as<int>()}] = e["args"]["name"].as<std::string>();
    if (what == "thread_sort_index")
      sort[{pid, e["tid"].as<int>()}] = e["args"]["sort_index"].as<int>();
  }
  EXPECT_EQ(process,
            (std::map<int, std::string>{
                {1, "tiles"}, {2, "DRAM channels"}, {3, "NoC links"}, {4, "power domains"}}));
  EXPECT_EQ(thread.size(), sort.size());
  std::int64_t tile_tasks = 0;
  double dram_read = 0;
  std::map<std::string, int> names_per_pid[4];
  for (const auto& e : t.json["traceEvents"]) {
    if (e["ph"].as<std::string>() != "X") continue;
    const int pid = e["pid"].as<int>();
    ASSERT_TRUE(thread.count({pid, e["tid"].as<int>()}));  // every span is on a named thread
    const YAML::Node args = e["args"];
    EXPECT_FALSE(args["p"]);  // one pass: no pass index
    ++names_per_pid[pid][e["name"].as<std::string>()];
    if (pid == 1) {
      ++tile_tasks;
      EXPECT_TRUE(args["s"] || args["e"]);  // GEMM shape or vector elements
      EXPECT_TRUE(args["B"]);
    } else {
      ASSERT_TRUE(args["B"]);
      if (pid == 2 && args["a"].as<std::string>() == "r") dram_read += args["B"].as<double>();
    }
  }
  EXPECT_EQ(tile_tasks, t.run.result.tile_tasks);
  EXPECT_DOUBLE_EQ(dram_read, test::ChannelReadBytes(t.run.result));
  EXPECT_EQ(names_per_pid[1].size(), 5u);  // every layer ran on tiles and is named
  EXPECT_GT(names_per_pid[3].size(), 0u);
  // A tile's thread is named after its module and sorts by its index.
  for (const auto& [key, name] : thread) {
    if (key.first == 1) {
      EXPECT_EQ(name, "tile" + std::to_string(sort[key]));
    }
  }
}

// Counters hold their value until the next sample and end at zero, so each one integrates to
// what its events carried: a channel's GB/s to its bytes, a link's utilisation to its busy time.
void ExpectCountersIntegrateToTheirEvents(const Traced& t) {
  std::map<std::pair<int, int>, std::string> thread;
  for (const auto& e : t.json["traceEvents"]) {
    if (e["ph"].as<std::string>() == "M" && e["name"].as<std::string>() == "thread_name")
      thread[{e["pid"].as<int>(), e["tid"].as<int>()}] = e["args"]["name"].as<std::string>();
  }
  std::map<std::string, double> carried;  // bytes (DRAM) or busy us (links) per track name
  std::map<std::string, std::vector<std::pair<double, double>>> samples;
  for (const auto& e : t.json["traceEvents"]) {
    const std::string ph = e["ph"].as<std::string>();
    const int pid = e["pid"].as<int>();
    if (ph == "X" && pid == 2)
      carried[thread[{pid, e["tid"].as<int>()}]] += e["args"]["B"].as<double>();
    if (ph == "X" && pid == 3) carried[thread[{pid, e["tid"].as<int>()}]] += e["dur"].as<double>();
    if (ph == "C" && pid != 4) {  // power: power_trace_test.cpp
      // "dram0 GB/s", "(1,0)E util": the thread's name and the unit.
      const std::string unit = pid == 2 ? "GB/s" : "util";
      const std::string name = e["name"].as<std::string>();
      ASSERT_EQ(name.substr(name.size() - unit.size() - 1), " " + unit);
      samples[name.substr(0, name.size() - unit.size() - 1)].emplace_back(
          e["ts"].as<double>(), e["args"][unit].as<double>());
    }
  }
  ASSERT_FALSE(carried.empty());
  for (const auto& [name, amount] : carried) {
    auto& s = samples[name];
    ASSERT_FALSE(s.empty()) << name;
    std::sort(s.begin(), s.end());
    EXPECT_EQ(s.back().second, 0) << name;
    double integral = 0;  // value x microseconds
    for (size_t i = 0; i + 1 < s.size(); ++i)
      integral += s[i].second * (s[i + 1].first - s[i].first);
    // GB/s x us = 1e3 bytes; utilisation x us = busy us.
    const double expected = name.rfind("dram", 0) == 0 ? amount / 1e3 : amount;
    EXPECT_NEAR(integral, expected, 1e-4 * expected) << name;
  }
}

TEST(Trace, CountersIntegrateToTheEventsTheyAreComputedFrom) {
  ExpectCountersIntegrateToTheirEvents(Full());
}

// The packet NoC books trains into earlier gaps of a link's schedule (spans out of start order on
// a thread) and the JEDEC channel has its own timing; the counters still add up.
TEST(Trace, CountersIntegrateOnPacketNocAndJedecDram) {
  const Traced t = TraceFfn({}, "default-jedec-packet.yaml");
  EXPECT_EQ(CountByPhase(t.json)["C"], t.counters);
  ExpectCountersIntegrateToTheirEvents(t);
}

TEST(Trace, LayerGlobSelectsExactlyItsLayersSpans) {
  const Traced& all = Full();
  TraceOptions o;
  o.layer_glob = "g*";  // gate and gated
  const Traced some = TraceFfn(o);
  std::map<std::pair<int, std::string>, int> expected, got;
  for (const auto& e : all.json["traceEvents"]) {
    const std::string name = e["name"].as<std::string>();
    if (e["ph"].as<std::string>() == "X" && (name == "gate" || name == "gated"))
      ++expected[{e["pid"].as<int>(), name}];
  }
  for (const auto& e : some.json["traceEvents"]) {
    if (e["ph"].as<std::string>() == "X") ++got[{e["pid"].as<int>(), e["name"].as<std::string>()}];
  }
  EXPECT_EQ(got, expected);
  EXPECT_EQ(CountByPhase(some.json)["X"], some.spans);
}

// A shell glob, not a regular expression: '.' is literal, '*' any run of characters.
TEST(Trace, LayerPatternIsAShellGlob) {
  std::ostringstream out;
  TraceOptions o;
  o.layer_glob = "L0.*";
  TraceRecorder trace(out, {"L0.q", "L0xq", "L10.q", "L0.", "l0.q"}, 1, o);
  const int track = trace.AddTrack(TrackKind::kTile, "tile 0");
  for (int l = 0; l < 5; ++l) trace.AddSpan(track, l, 0, 0, 10);
  trace.Finish();
  const YAML::Node json = YAML::Load(out.str());
  std::vector<std::string> names;
  for (const auto& e : json["traceEvents"]) {
    if (e["ph"].as<std::string>() == "X") names.push_back(e["name"].as<std::string>());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"L0.q", "L0."}));
}

TEST(Trace, PassRangesSelectExactlyTheirPasses) {
  std::ostringstream out;
  TraceOptions o;
  o.passes = ParsePassRanges("0-1,4,6-6");
  TraceRecorder trace(out, {"a"}, 8, o);
  const int track = trace.AddTrack(TrackKind::kTile, "tile 0");
  for (int p = 0; p < 8; ++p) {
    trace.BeginPass(p);
    trace.AddSpan(track, 0, 100 * p, 100 * p, 100 * p + 50);
  }
  trace.Finish();
  std::vector<int> passes;
  for (const auto& e : YAML::Load(out.str())["traceEvents"]) {
    if (e["ph"].as<std::string>() == "X") passes.push_back(e["args"]["p"].as<int>());
  }
  EXPECT_EQ(passes, (std::vector<int>{0, 1, 4, 6}));
  EXPECT_EQ(trace.span_count(), 4u);
}

TEST(Trace, PassRangeSyntax) {
  using R = std::vector<std::pair<std::int64_t, std::int64_t>>;
  EXPECT_EQ(ParsePassRanges("5"), (R{{5, 5}}));
  EXPECT_EQ(ParsePassRanges("0-3,7"), (R{{0, 3}, {7, 7}}));
  for (const char* bad : {"", "a", "3-1", "1-", "-2", "1,,2", "1-2-3", " 1"})
    EXPECT_THROW(ParsePassRanges(bad), std::invalid_argument) << bad;
}

TEST(Trace, MaxEventsStopsWithWarningAndNote) {
  std::ostringstream warnings;
  TraceOptions o;
  o.max_events = 7;
  o.warnings = &warnings;
  const Traced t = TraceFfn(o);
  EXPECT_EQ(t.spans + t.counters, 7u);
  EXPECT_EQ(CountByPhase(t.json)["X"] + CountByPhase(t.json)["C"], 7u);
  EXPECT_NE(t.json["otherData"]["pjsim_truncated"].as<std::string>().find("7 events"),
            std::string::npos);
  const std::string warned = warnings.str();
  EXPECT_NE(warned.find("--trace-max-events"), std::string::npos);
  EXPECT_EQ(std::count(warned.begin(), warned.end(), '\n'), 1) << warned;
}

TEST(Trace, TimesAreMicrosecondsWithPicosecondFraction) {
  std::ostringstream out;
  TraceRecorder trace(out, {"a"}, 1);
  const int track = trace.AddTrack(TrackKind::kTile, "tile 0");
  trace.AddSpan(track, 0, 0, 1234567, 3000000);
  trace.Finish();
  EXPECT_NE(out.str().find("\"ts\":1.234567,\"dur\":1.765433"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace pjsim
