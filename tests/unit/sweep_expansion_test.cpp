// Sweep specs: strict validation with file:line:col errors, value generators (lists, ranges, log
// ranges), cartesian products and zip groups, filters with reasons, derived-column checks, and
// point ids / config hashes that never change.
#include <gtest/gtest.h>

#include <functional>

#include "sim/sweep/design_points.h"
#include "sim/sweep/fnv_hash.h"
#include "sim/sweep/results_table.h"
#include "sim/sweep/sweep_spec.h"
#include "test_paths.h"

namespace pjsim::sweep {
namespace {

// Specs parsed as if they lived in configs/sweeps/, so the shipped configs resolve.
std::string SpecPath() { return test::SourceDir() + "/configs/sweeps/unit.yaml"; }

const char kBase[] =
    "base:\n"
    "  arch: ../arch/default.yaml\n"
    "  workload: ../../workloads/ffn_bitnet_prefill128.yaml\n";

SweepSpec Parse(const std::string& body) { return ParseSweepSpec(kBase + body, SpecPath()); }

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    const auto cut = what.find(SpecPath());
    return cut == std::string::npos ? what : "spec" + what.substr(cut + SpecPath().size());
  }
  return "<no error>";
}

std::string SpecError(const std::string& text) {
  return ErrorOf([&] { ExpandDesignPoints(ParseSweepSpec(text, SpecPath())); });
}

std::vector<std::string> Texts(const Axis& a) {
  std::vector<std::string> out;
  for (const auto& v : a.values) out.push_back(v.text);
  return out;
}

TEST(SweepExpansion, CartesianProductLastAxisFastest) {
  const SweepSpec s = Parse(
      "axes:\n"
      "  - {key: arch.tile.rows, values: [16, 32, 64]}\n"
      "  - {key: arch.dram.type, values: [ddr4, hbm2e]}\n");
  const auto points = ExpandDesignPoints(s);
  ASSERT_EQ(points.size(), 6u);
  EXPECT_EQ(points[0].id, "0000");
  EXPECT_EQ(points[5].id, "0005");
  EXPECT_EQ(points[1].Label(s), "arch.tile.rows=16 arch.dram.type=hbm2e");
  EXPECT_EQ(points[2].Label(s), "arch.tile.rows=32 arch.dram.type=ddr4");
  EXPECT_EQ(points[5].overrides,
            (std::vector<std::string>{"arch.tile.rows=64", "arch.dram.type=hbm2e"}));
  EXPECT_EQ(points[3].arch, "../arch/default.yaml");
  EXPECT_EQ(std::get<double>(points[4].values[0].AsValue()), 64);
}

TEST(SweepExpansion, ZippedAxesAdvanceTogetherAndGroupsMultiply) {
  const SweepSpec s = Parse(
      "axes:\n"
      "  - {key: arch.tile.rows, values: [16, 32, 64], zip: array}\n"
      "  - {key: arch.dram.type, values: [ddr4, hbm2e]}\n"
      "  - {key: arch.tile.cols, values: [8, 16, 32], zip: array}\n");
  const auto points = ExpandDesignPoints(s);
  ASSERT_EQ(points.size(), 6u);  // 3 (zipped) x 2
  for (const auto& p : points) {
    EXPECT_EQ(std::get<double>(p.values[0].AsValue()), 2 * std::get<double>(p.values[2].AsValue()));
  }
  EXPECT_EQ(points[1].Label(s), "arch.tile.rows=16 arch.dram.type=hbm2e arch.tile.cols=8");
  EXPECT_EQ(points[2].Label(s), "arch.tile.rows=32 arch.dram.type=ddr4 arch.tile.cols=16");
}

TEST(SweepExpansion, ZipGroupsOfDifferentLengthsAreLocatedErrors) {
  EXPECT_EQ(
      SpecError(std::string(kBase) + "axes:\n"
                                     "  - {key: arch.tile.rows, values: [16, 32, 64], zip: array}\n"
                                     "  - {key: arch.tile.cols, values: [8, 16], zip: array}\n"),
      "spec:6:11: zip group 'array': axis 'arch.tile.cols' has 2 values but "
      "'arch.tile.rows' has 3 (zipped axes advance together)");
}

TEST(SweepExpansion, ZippedAxesMayRepeatValuesButNotTuples) {
  // A policy axis zipped with its timeout: "timeout" repeats, the (policy, timeout) pairs do not.
  const SweepSpec s = Parse(
      "axes:\n"
      "  - {key: arch.power_gating.policy, values: [never, timeout, timeout], zip: p}\n"
      "  - {key: arch.power_gating.timeout, values: [0, 16, 256], zip: p}\n");
  EXPECT_EQ(ExpandDesignPoints(s).size(), 3u);
  EXPECT_EQ(
      SpecError(std::string(kBase) +
                "axes:\n"
                "  - {key: arch.power_gating.policy, values: [never, timeout, timeout], zip: p}\n"
                "  - {key: arch.power_gating.timeout, values: [0, 16, 16], zip: p}\n"),
      "spec:5:62: zip group 'p' has the values (timeout, 16) twice (positions 2 and 3)");
  // Outside a zip group a repeated value is still an error.
  EXPECT_NE(SpecError(std::string(kBase) + "axes:\n  - {key: arch.tile.rows, values: [16, 16]}\n")
                .find("twice"),
            std::string::npos);
}

TEST(SweepExpansion, LinearRangesIncludeStopAndAvoidFloatNoise) {
  EXPECT_EQ(LinearRange(16, 64, 16), (std::vector<double>{16, 32, 48, 64}));
  EXPECT_EQ(LinearRange(16, 60, 16), (std::vector<double>{16, 32, 48}));
  EXPECT_EQ(LinearRange(64, 16, -24), (std::vector<double>{64, 40, 16}));
  const SweepSpec s = Parse(
      "axes:\n"
      "  - key: tech.ops.int8_add.energy\n"
      "    range: {start: 0.1, stop: 0.5, step: 0.1}\n"
      "    unit: pJ\n");
  EXPECT_EQ(Texts(s.axes[0]),
            (std::vector<std::string>{"0.1 pJ", "0.2 pJ", "0.3 pJ", "0.4 pJ", "0.5 pJ"}));
  EXPECT_EQ(*s.axes[0].values[2].number, 0.3);
  EXPECT_THROW(LinearRange(1, 5, 0), std::invalid_argument);
  EXPECT_THROW(LinearRange(1, 5, -1), std::invalid_argument);
  EXPECT_EQ(SpecError(std::string(kBase) +
                      "axes:\n"
                      "  - {key: arch.tile.rows, range: {start: 1, stop: 5, step: -1}}\n"),
            "spec:5:34: 'axes.0.range': step goes away from stop (start 1, stop 5, step -1)");
}

TEST(SweepExpansion, LogRangesByBaseFactorAndCount) {
  EXPECT_EQ(LogRangeByFactor(64, 1024, 2), (std::vector<double>{64, 128, 256, 512, 1024}));
  EXPECT_EQ(LogRangeByFactor(1, 1000, 10), (std::vector<double>{1, 10, 100, 1000}));
  EXPECT_EQ(LogRangeByFactor(1024, 64, 4), (std::vector<double>{1024, 256, 64}));
  const auto by_count = LogRangeByCount(1, 100, 5);
  ASSERT_EQ(by_count.size(), 5u);
  EXPECT_DOUBLE_EQ(by_count[1], 3.16227766017);
  EXPECT_EQ(by_count[2], 10);
  EXPECT_EQ(by_count[4], 100);

  const SweepSpec s = Parse(
      "axes:\n"
      "  - {key: arch.tile.sram.capacity, log: {start: 64, stop: 1024, base: 2}, unit: KiB}\n"
      "  - {key: arch.tile.rows, log: {start: 8, stop: 100, count: 4}, integer: true}\n"
      "  - {key: arch.clock, log: {start: 0.25, stop: 4, factor: 4}, unit: GHz}\n");
  EXPECT_EQ(Texts(s.axes[0]),
            (std::vector<std::string>{"64 KiB", "128 KiB", "256 KiB", "512 KiB", "1024 KiB"}));
  EXPECT_EQ(*s.axes[0].values[1].number, 128);
  EXPECT_EQ(Texts(s.axes[1]), (std::vector<std::string>{"8", "19", "43", "100"}));
  EXPECT_EQ(Texts(s.axes[2]), (std::vector<std::string>{"0.25 GHz", "1 GHz", "4 GHz"}));

  EXPECT_EQ(SpecError(std::string(kBase) +
                      "axes:\n"
                      "  - {key: arch.tile.rows, log: {start: 8, stop: 64, base: 3}}\n"),
            "spec:5:59: 'axes.0.log.base': must be 2 or 10 (use factor for others)");
  EXPECT_EQ(SpecError(std::string(kBase) +
                      "axes:\n"
                      "  - {key: arch.tile.rows, log: {start: 8, stop: 64, base: 2, count: 3}}\n"),
            "spec:5:32: 'axes.0.log': give exactly one of base (2 or 10), factor or count");
  EXPECT_EQ(
      SpecError(std::string(kBase) +
                "axes:\n"
                "  - {key: arch.tile.rows, log: {start: 1, stop: 2, count: 9}, integer: true}\n"),
      "spec:5:32: axis 'arch.tile.rows' has the value '1' twice (after rounding to "
      "integers)");
}

TEST(SweepExpansion, FiltersSkipPointsWithTheirReason) {
  const SweepSpec s = Parse(
      "axes:\n"
      "  - {key: arch.tile.rows, values: [16, 64], zip: a}\n"
      "  - {key: arch.tile.cols, values: [16, 128], zip: a}\n"
      "  - {key: arch.dram.type, values: [ddr4, hbm2e]}\n"
      "filters:\n"
      "  - require: arch.tile.rows * arch.tile.cols <= 4096\n"
      "    reason: array larger than 4096 PEs\n"
      "  - require: \"arch.dram.type != 'hbm2e' or arch.tile.rows >= 32\"\n"
      "    reason: HBM only with big arrays\n");
  const auto points = ExpandDesignPoints(s);
  ASSERT_EQ(points.size(), 4u);
  EXPECT_EQ(points[0].skip_reason, "");
  EXPECT_EQ(points[1].skip_reason, "HBM only with big arrays");
  EXPECT_EQ(points[2].skip_reason, "array larger than 4096 PEs");  // the first failing filter
  EXPECT_EQ(points[3].skip_reason, "array larger than 4096 PEs");
}

TEST(SweepExpansion, FilterErrorsAreLocated) {
  EXPECT_EQ(SpecError(std::string(kBase) + "axes:\n"
                                           "  - {key: arch.tile.rows, values: [16]}\n"
                                           "filters:\n"
                                           "  - {require: arch.tile.row < 4, reason: x}\n"),
            "spec:7:15: 'filters.0.require': unknown axis key 'arch.tile.row' (did you mean "
            "'arch.tile.rows'?); filters see axis keys: arch.tile.rows in expression "
            "'arch.tile.row < 4'");
  // A string axis in arithmetic is found for the point where it happens, quotes skipped.
  EXPECT_EQ(
      SpecError(std::string(kBase) + "axes:\n"
                                     "  - {key: arch.dram.type, values: [ddr4]}\n"
                                     "filters:\n"
                                     "  - {require: \"arch.dram.type * 2 > 1\", reason: x}\n"),
      "spec:7:31: 'filters.0.require': '*' needs numbers, but 'ddr4' is a string (at "
      "point 0000: arch.dram.type=ddr4) in expression 'arch.dram.type * 2 > 1'");
  EXPECT_NE(SpecError(std::string(kBase) + "axes:\n"
                                           "  - {key: arch.tile.rows, values: [16]}\n"
                                           "filters:\n"
                                           "  - {require: arch.tile.rows >}\n")
                .find("spec:7:31: 'filters.0.require': unexpected end of expression"),
            std::string::npos);
  EXPECT_EQ(SpecError(std::string(kBase) + "axes:\n"
                                           "  - {key: arch.tile.rows, values: [16]}\n"
                                           "filters:\n"
                                           "  - {require: arch.tile.rows > 1}\n"),
            "spec:7:5: 'filters.0': missing required key 'reason'");
}

TEST(SweepExpansion, DerivedColumnsEvaluateOverMetricsAndPointValues) {
  const SweepSpec s = Parse(
      "axes:\n"
      "  - {key: arch.tile.rows, values: [16, 32]}\n"
      "derived:\n"
      "  - {name: per_token, expr: total.energy_pj / 128, unit: pJ}\n"
      "  - {name: edp, expr: total.energy_pj * total.seconds}\n"
      "  - {name: pe_area, expr: 16 * arch.tile.rows * config.arch.tile.cols * 0.004}\n"
      "  - {name: dram_share, expr: energy_by_category.dram.read / total.energy_pj}\n"
      "  - {name: twice, expr: per_token * 2}\n");
  const auto points = ExpandDesignPoints(s);
  PointResult ok;
  ok.status = PointStatus::kOk;
  ok.metrics = {{"total.energy_pj", Value(256.0)},
                {"total.seconds", Value(0.5)},
                {"energy_by_category.dram.read", Value(64.0)},
                {"config.arch.tile.cols", Value(16.0)}};
  const auto values = DerivedValues(s, points[1], ok);
  ASSERT_EQ(values.size(), 5u);
  EXPECT_EQ(*values[0], 2);
  EXPECT_EQ(*values[1], 128);
  EXPECT_EQ(*values[2], 16 * 32 * 16 * 0.004);
  EXPECT_EQ(*values[3], 0.25);
  EXPECT_EQ(*values[4], 4);
  PointResult failed;  // no metrics: only the point-value column is known
  const auto unknown = DerivedValues(s, points[0], failed);
  EXPECT_FALSE(unknown[0].has_value());
  EXPECT_FALSE(unknown[2].has_value());  // config.* is unknown without a report
}

TEST(SweepExpansion, DerivedColumnErrorsAreLocated) {
  const std::string head = std::string(kBase) + "axes:\n  - {key: arch.tile.rows, values: [16]}\n";
  EXPECT_EQ(SpecError(head + "derived:\n  - {name: e, expr: total.energy_pJ / 2}\n"),
            "spec:7:21: 'derived.0.expr': unknown metric 'total.energy_pJ' (total.* has: "
            "energy_pj, cycles, seconds, clock_hz, macs, dram_read_bytes, dram_write_bytes, "
            "achieved_dram_bandwidth_bytes_per_s, compute_utilization) (did you mean "
            "'total.energy_pj'?) in expression 'total.energy_pJ / 2'");
  EXPECT_NE(SpecError(head + "derived:\n  - {name: e, expr: energy * 2}\n")
                .find("spec:7:21: 'derived.0.expr': unknown name 'energy'"),
            std::string::npos);
  EXPECT_NE(SpecError(head + "derived:\n  - {name: a, expr: b}\n  - {name: b, expr: 1}\n")
                .find("unknown name 'b'"),
            std::string::npos);  // only earlier columns are visible
  EXPECT_EQ(SpecError(head + "derived:\n  - {name: 2x, expr: 1}\n"),
            "spec:7:12: 'derived.0.name': column names are letters, digits and '_' (not "
            "starting with a digit)");
  EXPECT_EQ(SpecError(head + "derived:\n  - {name: status, expr: 1}\n"),
            "spec:7:12: 'derived.0.name': 'status' is a built-in column");
}

TEST(SweepExpansion, SpecValidationIsStrictAndLocated) {
  EXPECT_EQ(SpecError(std::string(kBase) + "axis:\n  - {key: arch.tile.rows, values: [1]}\n"),
            "spec:4:1: unknown key 'axis' (did you mean 'axes'?)");
  EXPECT_EQ(SpecError(std::string(kBase) + "axes: []\n"),
            "spec:4:7: 'axes': needs at least one axis");
  EXPECT_EQ(SpecError(std::string(kBase) + "axes:\n  - {key: mesh.width, values: [1]}\n"),
            "spec:5:11: 'axes.0.key': axis key 'mesh.width' must be arch, tech or workload (a "
            "file) or start with arch., tech. or workload. (a config value)");
  EXPECT_EQ(SpecError(std::string(kBase) + "axes:\n  - {key: arch.tile.rows, values: [1]}\n"
                                           "  - {key: arch.tile.rows, values: [2]}\n"),
            "spec:6:11: axis 'arch.tile.rows' is already swept by axes.0");
  EXPECT_EQ(SpecError(std::string(kBase) + "axes:\n  - {key: arch.tile.rows, values: [1, 1]}\n"),
            "spec:5:39: axis 'arch.tile.rows' has the value '1' twice");
  EXPECT_EQ(SpecError(std::string(kBase) + "axes:\n  - {key: arch.tile.rows}\n"),
            "spec:5:5: 'axes.0': axis 'arch.tile.rows' needs exactly one of values, range or log");
  EXPECT_EQ(SpecError(std::string(kBase) +
                      "axes:\n  - {key: arch.tile.sram.capacity, values: [64, big], unit: KiB}\n"),
            "spec:5:49: 'axes.0.values.1': with unit 'KiB' values must be numbers, got 'big'");
  EXPECT_EQ(SpecError(std::string(kBase) + "axes:\n  - {key: arch, values: [../arch/nope.yaml]}\n"),
            "spec:5:26: no such file '" + test::SourceDir() +
                "/configs/sweeps/../arch/nope.yaml' (paths are relative to the spec)");
  EXPECT_EQ(SpecError("base: {workload: ../../workloads/ffn_bitnet_prefill128.yaml}\n"
                      "axes:\n  - {key: arch.tile.rows, values: [1]}\n"),
            "spec:1:7: 'base': missing 'arch' (give base.arch or an axis with key: arch)");
  EXPECT_EQ(
      SpecError(std::string(kBase) + "set: {arch.tile.rows: 4}\n"
                                     "axes:\n  - {key: arch.tile.rows, values: [1]}\n"),
      "spec:4:23: 'set.arch.tile.rows': 'arch.tile.rows' is also an axis; remove one of them");
  EXPECT_EQ(SpecError(std::string(kBase) +
                      "axes:\n  - {key: arch.tile.rows, values: [1], colour: red}\n"),
            "spec:5:40: unknown key 'axes.0.colour'");
}

TEST(SweepExpansion, FileAxesReplaceBaseFilesAndSetOverridesComeFirst) {
  const SweepSpec s = ParseSweepSpec(
      "base: {workload: ../../workloads/ffn_bitnet_prefill128.yaml}\n"
      "set: {workload.layers.0.m: 64}\n"
      "axes:\n"
      "  - {key: tech, values: [../tech/45nm.yaml, ../tech/7nm.yaml]}\n"
      "  - {key: arch, values: [../arch/default.yaml]}\n"
      "  - {key: arch.tile.rows, values: [32]}\n",
      SpecPath());
  const auto points = ExpandDesignPoints(s);
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[1].tech, "../tech/7nm.yaml");
  EXPECT_EQ(points[1].arch, "../arch/default.yaml");
  EXPECT_EQ(points[1].overrides,
            (std::vector<std::string>{"workload.layers.0.m=64", "arch.tile.rows=32"}));
  EXPECT_EQ(points[1].canonical,
            "arch=../arch/default.yaml\ntech=../tech/7nm.yaml\n"
            "workload=../../workloads/ffn_bitnet_prefill128.yaml\n"
            "set workload.layers.0.m=64\nset arch.tile.rows=32\n");
}

TEST(SweepExpansion, HashesAreFnv1a64OfTheCanonicalTextAndNeverChange) {
  EXPECT_EQ(Fnv1a64Hex(""), "cbf29ce484222325");
  EXPECT_EQ(Fnv1a64Hex("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(Fnv1a64Hex("foobar"), "85944171f73967e8");
  // The shipped 12-point sweep: ids and hashes are part of every store ever written.
  const SweepSpec s = LoadSweepSpec(test::SourceDir() + "/configs/sweeps/tiny12.yaml");
  const auto a = ExpandDesignPoints(s);
  const auto b = ExpandDesignPoints(s);
  ASSERT_EQ(a.size(), 12u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].config_hash, b[i].config_hash);
    EXPECT_EQ(a[i].config_hash, Fnv1a64Hex(a[i].canonical));
  }
  EXPECT_EQ(a[0].config_hash, "32080f9f3ce5fd27");
  EXPECT_EQ(a[11].id, "0011");
  EXPECT_EQ(a[11].Label(s), "arch.tile.rows=64 arch.tile.cols=64 arch.dram.type=hbm2e");
}

TEST(SweepExpansion, ShippedSpecsAreValid) {
  for (const char* name : {"tiny12", "array_sram_dram", "node_arch"}) {
    const SweepSpec s =
        LoadSweepSpec(test::SourceDir() + "/configs/sweeps/" + std::string(name) + ".yaml");
    EXPECT_EQ(s.name, name);
    EXPECT_FALSE(ExpandDesignPoints(s).empty());
  }
}

}  // namespace
}  // namespace pjsim::sweep
