// The results store without running pjsim: CSV and JSON Lines text, point records that read back
// to the same bytes, the store's refusal to mix specs, resume bookkeeping, the Pareto set and
// the `pjsim report` summary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "config_error_text.h"
#include "sim/config/json_reader.h"
#include "sim/report/csv.h"
#include "sim/report/json_text.h"
#include "sim/sweep/pareto.h"
#include "sim/sweep/result_store.h"
#include "sim/sweep/results_table.h"
#include "sim/sweep/store_summary.h"
#include "test_paths.h"

namespace pjsim::sweep {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

using test::ErrorOf;

SweepSpec TestSpec() {
  return ParseSweepSpec(
      "name: unit\n"
      "base: {arch: ../arch/default.yaml, workload: ../../workloads/ffn_bitnet_prefill128.yaml}\n"
      "axes:\n"
      "  - {key: arch.tile.rows, values: [16, 32, 64]}\n"
      "  - {key: arch.tile.sram.capacity, values: [64, 128], unit: KiB}\n"
      "filters:\n"
      "  - {require: arch.tile.rows < 64 or arch.tile.sram.capacity > 64, reason: too small}\n"
      "derived:\n"
      "  - {name: per_token, expr: total.energy_pj / 128, unit: pJ/token}\n",
      test::SourceDir() + "/configs/sweeps/unit.yaml");
}

// A report.json as `pjsim run` writes it, for a point with the given energy and time.
YAML::Node Report(double energy, double seconds) {
  JsonWriter j;
  j.BeginObject();
  j.Field("pjsim_version", "0.1.0").Field("arch", "a");
  j.Key("total").BeginObject();
  j.Field("energy_pj", energy).Field("cycles", std::int64_t{1000}).Field("seconds", seconds);
  j.Field("macs", 1e6).Field("clock_hz", 1e9);
  j.EndObject();
  j.Key("energy_by_category").BeginObject();
  j.Field("dram.read", energy * 0.75).Field("compute.int8_mac", energy * 0.25);
  j.EndObject();
  j.Key("simulation").BeginObject().Field("tile_tasks", std::int64_t{7}).EndObject();
  j.Key("config").BeginObject();
  j.Key("arch").BeginObject().Field("name", "a").Field("clock", "1 GHz").EndObject();
  j.EndObject();
  j.EndObject();
  return LoadJson(j.str(), "report.json");
}

TEST(SweepStore, CsvQuotesOnlyWhenNeededAndParsesBack) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  const std::string row = CsvRow({"x", "file.yaml:3:4: bad, very \"bad\"", "", "line\nbreak"});
  const auto rows = ParseCsv("h1,h2,h3,h4\n" + row, "t.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1],
            (std::vector<std::string>{"x", "file.yaml:3:4: bad, very \"bad\"", "", "line\nbreak"}));
  EXPECT_EQ(ErrorOf([] { ParseCsv("a,b\n1,\"open\n", "t.csv"); }),
            "t.csv:2: unterminated quoted CSV field");
}

TEST(SweepStore, JsonKeepsStringsNumbersAndCompactsToOneLine) {
  const YAML::Node n = LoadJson(
      "{\"s\": \"12\", \"n\": 12, \"f\": 0.1, \"b\": true, \"z\": null, \"l\": [1, \"a b\"]}",
      "x.json");
  JsonWriter j;
  WriteJsonNode(n, j);
  EXPECT_EQ(CompactJson(j.str()),
            "{\"s\":\"12\",\"n\":12,\"f\":0.1,\"b\":true,\"z\":null,\"l\":[1,\"a b\"]}");
  EXPECT_EQ(CompactJson("{\n  \"k\": \"a \\\" b\\n\"\n}\n"), "{\"k\":\"a \\\" b\\n\"}");
  EXPECT_NE(ErrorOf([] { LoadJson("{\"a\": [1, 2}", "bad.json"); }).find("bad.json:1:"),
            std::string::npos);
}

TEST(SweepStore, ParetoFrontKeepsOnlyUndominatedPoints) {
  // (latency, energy): 0 and 2 trade off; 1 is beaten by 0; 3 duplicates 2; 4 ties 0's latency.
  const std::vector<std::pair<double, double>> pts = {{1, 5}, {2, 6}, {3, 2}, {3, 2}, {1, 7}};
  EXPECT_EQ(ParetoFront(pts), (std::vector<size_t>{0, 2, 3}));
  EXPECT_TRUE(ParetoFront({}).empty());
}

TEST(SweepStore, PointRecordsReadBackToTheSameBytes) {
  const SweepSpec spec = TestSpec();
  const auto points = ExpandDesignPoints(spec);
  const YAML::Node report = Report(256, 0.5);
  const std::string text = PointRecordJson(spec, points[1], PointStatus::kOk, "", &report, "b1");
  const PointResult r = ReadPointRecord(text, "p.json");
  EXPECT_EQ(r.index, 1u);
  EXPECT_EQ(r.id, "0001");
  EXPECT_EQ(r.config_hash, points[1].config_hash);
  EXPECT_EQ(r.build, "b1");
  EXPECT_EQ(r.status, PointStatus::kOk);
  EXPECT_EQ(std::get<double>(r.metrics.at("total.energy_pj")), 256);
  EXPECT_EQ(std::get<double>(r.metrics.at("energy_by_category.dram.read")), 192);
  EXPECT_EQ(std::get<double>(r.metrics.at("config.arch.clock")), 1e9);  // units -> base units
  EXPECT_EQ(std::get<std::string>(r.metrics.at("config.arch.name")), "a");
  EXPECT_EQ(r.json_line.find('\n'), std::string::npos);
  EXPECT_NE(r.json_line.find("\"axes\":{\"arch.tile.rows\":16,\"arch.tile.sram.capacity\":128}"),
            std::string::npos)
      << r.json_line;
  // The resolved config is stored once, at the top level.
  EXPECT_NE(r.json_line.find("\"config\":{\"arch\""), std::string::npos);
  EXPECT_EQ(r.json_line.find("\"report\":{\"pjsim_version\":\"0.1.0\",\"arch\":\"a\",\"total\""),
            r.json_line.find("\"report\":"));
  // Writing the record read back gives identical text: a resumed store matches a fresh one.
  EXPECT_EQ(PointRecordJson(spec, points[1], PointStatus::kOk, "", &report, "b1"), text);
  EXPECT_NE(ErrorOf([] {
              ReadPointRecord("{\"point\": \"0001\"}", "p.json");
            }).find("p.json: not a sweep point record: missing 'index'"),
            std::string::npos);
}

TEST(SweepStore, ResultsCsvHasAxesMetricsCategoriesAndDerivedInPointOrder) {
  const SweepSpec spec = TestSpec();
  const auto points = ExpandDesignPoints(spec);
  const YAML::Node report = Report(256, 0.5);
  PointResult ok =
      ReadPointRecord(PointRecordJson(spec, points[0], PointStatus::kOk, "", &report, "b1"), "0");
  PointResult bad = ReadPointRecord(PointRecordJson(spec, points[2], PointStatus::kFailed,
                                                    "pjsim run: error: x, \"y\"", nullptr, "b1"),
                                    "2");
  const std::string csv = ResultsCsv(spec, points, {&ok, &bad});
  const auto rows = ParseCsv(csv, "results.csv");
  ASSERT_EQ(rows.size(), 3u);
  const std::vector<std::string>& h = rows[0];
  EXPECT_EQ(std::vector<std::string>(h.begin(), h.begin() + 6),
            (std::vector<std::string>{"point", "config_hash", "arch.tile.rows",
                                      "arch.tile.sram.capacity", "status", "error"}));
  EXPECT_EQ(h[6], "total.energy_pj");
  EXPECT_EQ(h.back(), "per_token");
  EXPECT_NE(std::find(h.begin(), h.end(), "energy_by_category.dram.read"), h.end());
  EXPECT_EQ(rows[1][0], "0000");
  EXPECT_EQ(rows[1][3], "64");  // the number, unit in sweep.json
  EXPECT_EQ(rows[1][4], "ok");
  EXPECT_EQ(rows[1].back(), "2");
  EXPECT_EQ(rows[2][4], "failed");
  EXPECT_EQ(rows[2][5], "pjsim run: error: x, \"y\"");
  EXPECT_EQ(rows[2][6], "");
  EXPECT_EQ(ResultsJsonl({&ok, &bad}), ok.json_line + "\n" + bad.json_line + "\n");
}

TEST(SweepStore, StoreRecordsResumesAndRefusesOtherSpecs) {
  const SweepSpec spec = TestSpec();
  const auto points = ExpandDesignPoints(spec);  // 6 points, 0004 skipped by the filter
  const std::string dir = test::FreshDir("sweep_store_unit");
  const YAML::Node report = Report(100, 1);
  std::string first_csv;
  {
    auto store = ResultStore::Open(dir, spec, points, false);
    EXPECT_EQ(store->FinishedCount(), 1u);  // the skipped point is recorded at once
    ASSERT_NE(store->Find(4), nullptr);
    EXPECT_EQ(store->Find(4)->status, PointStatus::kSkipped);
    EXPECT_EQ(store->Find(4)->error, "too small");
    store->Record(points[2], PointStatus::kOk, "", &report);
    store->Record(points[0], PointStatus::kTimeout, "timed out after 1 s (killed)", nullptr);
    store->WriteResults();
    first_csv = Read(fs::path(dir) / "results.csv");
    // A second sweep may not write into a store that is open.
    EXPECT_THROW(ResultStore::Open(dir, spec, points, true), std::runtime_error);
  }
  EXPECT_TRUE(fs::exists(fs::path(dir) / "points" / "0002.json"));
  EXPECT_TRUE(fs::exists(fs::path(dir) / "sweep.json"));
  EXPECT_EQ(Read(fs::path(dir) / "spec.yaml"), spec.text);
  EXPECT_NE(ErrorOf([&] {
              ResultStore::Open(dir, spec, points, false);
            }).find("already holds a results store; pass --resume"),
            std::string::npos);

  std::ofstream(fs::path(dir) / "points" / "0003.json.tmp.12345") << "{half";  // a killed write
  {
    auto store = ResultStore::Open(dir, spec, points, true);
    EXPECT_EQ(store->FinishedCount(), 3u);
    EXPECT_EQ(store->Find(2)->status, PointStatus::kOk);
    EXPECT_EQ(store->Find(1), nullptr);
    store->WriteResults();
    EXPECT_EQ(Read(fs::path(dir) / "results.csv"), first_csv);
  }
  EXPECT_FALSE(fs::exists(fs::path(dir) / "points" / "0003.json.tmp.12345"));

  // The same directory with a different spec: refused, naming the point file.
  SweepSpec other = spec;
  other.axes[0].values[0].text = "8";
  const auto other_points = ExpandDesignPoints(other);
  EXPECT_NE(ErrorOf([&] {
              ResultStore::Open(dir, other, other_points, true);
            }).find("0000.json: holds config hash"),
            std::string::npos);
  SweepSpec smaller = spec;
  smaller.axes[0].values.pop_back();
  EXPECT_NE(ErrorOf([&] {
              ResultStore::Open(dir, smaller, ExpandDesignPoints(smaller), true);
            }).find("this store holds a sweep of 6 points but"),
            std::string::npos);
}

TEST(SweepStore, AResumeByAnotherBuildRunsItsPointsAgain) {
  // A rebuilt pjsim may model differently: its store's points made by the build before are not
  // kept as results (a table mixing two models' numbers traces to neither), they run again.
  const SweepSpec spec = TestSpec();
  const auto points = ExpandDesignPoints(spec);
  const std::string dir = test::FreshDir("sweep_store_builds");
  const YAML::Node report = Report(100, 1);
  {
    auto store = ResultStore::Open(dir, spec, points, false, "old");
    store->Record(points[0], PointStatus::kOk, "", &report);
    store->Record(points[2], PointStatus::kFailed, "x", nullptr);
    EXPECT_EQ(store->FinishedCount(), 3u);  // and the skipped one
  }
  {
    auto store = ResultStore::Open(dir, spec, points, true, "old");
    EXPECT_EQ(store->StalePoints(), 0u);
    EXPECT_EQ(store->FinishedCount(), 3u);
  }
  {
    auto store = ResultStore::Open(dir, spec, points, true, "new");
    EXPECT_EQ(store->StalePoints(), 3u);
    EXPECT_EQ(store->Find(0), nullptr);
    EXPECT_EQ(store->Find(2), nullptr);
    // The skipped point is recorded again, by this build; a point run again replaces its file.
    ASSERT_NE(store->Find(4), nullptr);
    EXPECT_EQ(store->Find(4)->build, "new");
    store->Record(points[0], PointStatus::kOk, "", &report);
    EXPECT_EQ(store->FinishedCount(), 2u);
  }
  // Killed before point 2 ran again: the next resume by the new build keeps what it made.
  auto store = ResultStore::Open(dir, spec, points, true, "new");
  EXPECT_EQ(store->StalePoints(), 1u);  // point 2, still the old build's
  EXPECT_EQ(store->FinishedCount(), 2u);
  EXPECT_EQ(store->Find(0)->build, "new");
  // A record from before builds were kept is another build's.
  EXPECT_EQ(ReadPointRecord("{\"point\": \"0000\", \"index\": 0, \"config_hash\": \"h\", "
                            "\"status\": \"failed\", \"error\": \"\", \"config\": null, "
                            "\"report\": null}",
                            "p.json")
                .build,
            "");
}

TEST(SweepStore, TheBuildIsTheExecutablesContents) {
  const std::string dir = test::FreshDir("sweep_store_fingerprint");
  const fs::path a = fs::path(dir) / "a", b = fs::path(dir) / "b";
  std::ofstream(a, std::ios::binary) << std::string(1 << 21, 'x') << "tail";
  std::ofstream(b, std::ios::binary) << std::string(1 << 21, 'x') << "tajl";
  EXPECT_EQ(FileFingerprint(a.string()).size(), 16u);
  EXPECT_EQ(FileFingerprint(a.string()), FileFingerprint(a.string()));
  EXPECT_NE(FileFingerprint(a.string()), FileFingerprint(b.string()));
  EXPECT_EQ(FileFingerprint((fs::path(dir) / "none").string()), "");
  EXPECT_EQ(ThisBuildFingerprint().size(), 16u);  // the test binary itself
}

TEST(SweepStore, SummaryListsTopDesignsParetoSetAndFailures) {
  const SweepSpec spec = TestSpec();
  const auto points = ExpandDesignPoints(spec);
  const std::string dir = test::FreshDir("sweep_summary_unit");
  {
    auto store = ResultStore::Open(dir, spec, points, false);
    const YAML::Node fast = Report(300, 1), frugal = Report(100, 3), beaten = Report(400, 2);
    store->Record(points[0], PointStatus::kOk, "", &fast);
    store->Record(points[1], PointStatus::kOk, "", &frugal);
    store->Record(points[2], PointStatus::kOk, "", &beaten);
    store->Record(points[3], PointStatus::kFailed, "pjsim run: error: no tiling fits", nullptr);
    store->WriteResults();
  }
  const StoreTable table = ReadStoreTable(dir);
  EXPECT_EQ(table.name, "unit");
  EXPECT_EQ(table.Unit("arch.tile.sram.capacity"), "KiB");
  SummaryOptions o;
  o.top = 2;
  const std::string text = StoreSummary(table, o);
  EXPECT_NE(text.find("6 points: 3 ok, 1 failed, 0 timed out, 1 skipped, 1 not run yet"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Top 2 by total.energy_pj [pJ], lowest first"), std::string::npos);
  EXPECT_NE(
      text.find("Pareto set over energy (total.energy_pj) and latency (total.seconds): 2 of 3"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("no tiling fits"), std::string::npos);
  o.markdown = true;
  o.metric = "per_token";
  o.maximize = true;
  const std::string md = StoreSummary(table, o);
  EXPECT_NE(md.find("### Top 2 by per_token [pJ/token], highest first"), std::string::npos) << md;
  EXPECT_NE(md.find("| rank | point | arch.tile.rows | arch.tile.sram.capacity [KiB] |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| 1 | 0002 | 32 | 64 | 3.125 |"), std::string::npos) << md;
  o.metric = "per_tokn";
  EXPECT_NE(ErrorOf([&] { StoreSummary(table, o); }).find("did you mean 'per_token'?"),
            std::string::npos);

  std::ofstream(fs::path(dir) / "results.csv", std::ios::app) << "0009,short row\n";
  EXPECT_NE(ErrorOf([&] { ReadStoreTable(dir); }).find("results.csv:7: row has 2 fields"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] {
              ReadStoreTable("/nonexistent/store");
            }).find("/nonexistent/store/sweep.json: no such file: not a results store"),
            std::string::npos);
}

}  // namespace
}  // namespace pjsim::sweep
