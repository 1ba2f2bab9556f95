// `numerics:` runs of the claims register (sim/sweep/claim_numerics.h): a claim names the
// computation behind `pjsim numerics lmul-attention` or `lmul-error`, its expressions see that
// computation's numbers under their documented names, the register runs it in-process and keeps
// its table, and a malformed run fails at its key.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config_error_text.h"
#include "sim/config/file_text.h"
#include "sim/numerics/lmul_accuracy.h"
#include "sim/sweep/claim_register.h"
#include "sim/sweep/claim_spec.h"
#include "test_paths.h"

namespace pjsim::sweep {
namespace {

namespace fs = std::filesystem;

std::string ClaimFile() { return test::SourceDir() + "/configs/claims/numerics_example.yaml"; }

constexpr const char* kClaim = R"(title: "L-Mul: as precise as fp8"
claim: "as precise as e4m3"
source: "a paper, abstract"
counts: "attention output error"
claimed: "comparable"
runs:
  - name: accuracy
    numerics: {tool: lmul-attention, dist: gaussian, n_q: 8, n_kv: 16, head_dim: 16, trials: 2}
values:
  - {name: e4m3, expr: 100 * accuracy.numerics.gaussian.rounded_e4m3fn.rel_frobenius, unit: "%"}
counted: {expr: 100 * accuracy.numerics.gaussian.lmul_e8m4.rel_frobenius, unit: "%", digits: 3}
full: {expr: accuracy.numerics.gaussian.lmul_e8m4.rel_frobenius / accuracy.numerics.gaussian.rounded_e4m3fn.rel_frobenius, unit: "×", digits: 3}
explains: "L-Mul {counted} against e4m3's {e4m3}"
)";

std::string ErrorOf(const std::string& from, const std::string& to) {
  std::string text = kClaim;
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  return test::ErrorOf([&] { ParseClaimSpec(text, ClaimFile()); });
}

// The library's own table for the claim's settings.
numerics::AttentionErrorTable Reference() {
  numerics::AttentionErrorOptions o;
  o.n_q = 8;
  o.n_kv = 16;
  o.head_dim = 16;
  o.trials = 2;
  return numerics::MeasureAttentionError(o);
}

double RowValue(const numerics::AttentionErrorTable& t, const std::string& variant) {
  for (const auto& row : t.rows) {
    if (row.variant == variant) return row.rel_frobenius;
  }
  ADD_FAILURE() << "no row " << variant;
  return NAN;
}

TEST(ClaimNumerics, ParsesTheRunAndItsEquivalentCommand) {
  const ClaimSpec s = ParseClaimSpec(kClaim, ClaimFile());
  ASSERT_EQ(s.runs.size(), 1u);
  ASSERT_TRUE(s.runs[0].numerics.has_value());
  const ClaimNumerics& n = *s.runs[0].numerics;
  EXPECT_EQ(n.options.n_q, 8);
  EXPECT_EQ(n.options.n_kv, 16);
  EXPECT_EQ(n.options.trials, 2);
  ASSERT_EQ(n.distributions.size(), 1u);
  EXPECT_EQ(n.command.rfind("pjsim numerics lmul-attention --dist gaussian --n-q 8 --n-kv 16 "
                            "--head-dim 16 --trials 2 --seed 1",
                            0),
            0u);
}

TEST(ClaimNumerics, MetricsAreTheLibrarysRowsUnderTheirNames) {
  const ClaimSpec s = ParseClaimSpec(kClaim, ClaimFile());
  std::string text;
  const FlatMetrics m = RunClaimNumerics(*s.runs[0].numerics, text);
  const numerics::AttentionErrorTable t = Reference();
  EXPECT_EQ(m.size(), 4 * t.rows.size());  // four metrics per variant
  EXPECT_EQ(std::get<double>(m.at("numerics.gaussian.lmul_e8m4.rel_frobenius")),
            RowValue(t, "lmul e8m4 (m=4, l=3)"));
  EXPECT_EQ(std::get<double>(m.at("numerics.gaussian.rounded_e4m3fn.rel_frobenius")),
            RowValue(t, "mul e4m3fn, product rounded"));
  EXPECT_EQ(std::get<double>(m.at("numerics.gaussian.exact_e5m2.rel_frobenius")),
            RowValue(t, "mul e5m2, exact product"));
  std::ostringstream printed;
  numerics::PrintAttentionErrorTable(printed, t);
  EXPECT_EQ(text, printed.str());
}

TEST(ClaimNumerics, TheRegisterRunsItInProcessAndQuotesIt) {
  const fs::path dir = fs::path(test::BinaryDir()) / "claims_numerics_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string file = (dir / "lmul_precision.yaml").string();
  std::ofstream(file) << kClaim;
  ClaimsOptions o;
  o.claim_files = {file};
  o.out_dir = (dir / "out").string();
  o.executable = "/nonexistent/pjsim";  // no child process is started
  std::ostringstream progress;
  EXPECT_EQ(RunClaims(o, progress), 0);
  const numerics::AttentionErrorTable t = Reference();
  const std::string md = ReadInputFile((dir / "out" / "claims.md").string());
  char counted[32];
  std::snprintf(counted, sizeof counted, "%.3f%%", 100 * RowValue(t, "lmul e8m4 (m=4, l=3)"));
  EXPECT_NE(md.find("| comparable | " + std::string(counted) + " | "), std::string::npos) << md;
  EXPECT_NE(md.find("`accuracy`: `runs/lmul_precision/accuracy/numerics.txt` — `pjsim numerics "
                    "lmul-attention"),
            std::string::npos)
      << md;
  std::ostringstream printed;
  numerics::PrintAttentionErrorTable(printed, t);
  EXPECT_EQ(ReadInputFile((dir / "out/runs/lmul_precision/accuracy/numerics.txt").string()),
            printed.str());
}

constexpr const char* kErrorClaim = R"(title: "L-Mul: 4 mantissa bits as precise as e4m3"
claim: "as precise as e4m3"
source: "a paper, abstract"
counts: "relative error per product"
claimed: "comparable"
runs:
  - name: per_product
    numerics: {tool: lmul-error, samples: 2000, seed: 3}
counted: {expr: per_product.numerics.normal.lmul_e5m4.mean_rel_err, digits: 4}
full: {expr: per_product.numerics.uniform.round_e4m3fn.flushed, digits: 4}
explains: "L-Mul {counted}"
)";

// lmul-error: every row of the library's table for the run's samples and seed, under
// numerics.<distribution>.<method>.<metric>, and the table as the command prints it.
TEST(ClaimNumerics, LmulErrorRunsTheProductTableUnderItsNames) {
  const ClaimSpec s = ParseClaimSpec(kErrorClaim, ClaimFile());
  ASSERT_TRUE(s.runs[0].numerics.has_value());
  const ClaimNumerics& n = *s.runs[0].numerics;
  EXPECT_EQ(n.command, "pjsim numerics lmul-error --samples 2000 --seed 3");
  std::string text;
  const FlatMetrics m = RunClaimNumerics(n, text);
  const numerics::AccuracyTable t = numerics::MeasureLmulAccuracy(3, 2000);
  EXPECT_EQ(m.size(), 3 * t.rows.size());  // three metrics per (distribution, method)
  const auto metric = [&](const std::string& name) { return std::get<double>(m.at(name)); };
  for (const numerics::AccuracyRow& row : t.rows) {
    const std::string dist = row.distribution == "normal(0,1)" ? "normal" : "uniform";
    std::string method = row.method.substr(0, row.method.find(" ("));
    method[method.find(' ')] = '_';
    const std::string prefix = "numerics." + dist + "." + method + ".";
    EXPECT_EQ(metric(prefix + "mean_rel_err"), row.mean_rel_err) << prefix;
    EXPECT_EQ(metric(prefix + "max_rel_err"), row.max_rel_err) << prefix;
    EXPECT_EQ(metric(prefix + "flushed"), row.flushed) << prefix;
  }
  // Another seed draws other pairs: the metrics follow the run's settings.
  EXPECT_NE(metric("numerics.normal.lmul_e5m4.mean_rel_err"),
            numerics::MeasureLmulAccuracy(4, 2000).rows[2].mean_rel_err);
  std::ostringstream printed;
  numerics::PrintAccuracyTable(printed, t);
  EXPECT_EQ(text, printed.str());
  std::string bad = kErrorClaim;
  bad.replace(bad.find("samples: 2000"), 13, "samples: 0");
  EXPECT_EQ(test::ErrorOf([&] { ParseClaimSpec(bad, ClaimFile()); }),
            ClaimFile() + ":8:43: 'runs.0.numerics.samples': must be >= 1, got 0");
}

TEST(ClaimNumerics, MalformedRunsFailAtTheirKey) {
  EXPECT_EQ(ErrorOf("    numerics: {", "    arch: ../arch/default.yaml\n    numerics: {"),
            ClaimFile() +
                ":8:11: 'runs.0.arch': run 'accuracy' is a numerics computation: it takes no "
                "'arch'");
  EXPECT_EQ(ErrorOf("tool: lmul-attention", "tool: lmul-errors"),
            ClaimFile() +
                ":8:22: 'runs.0.numerics.tool': unknown value 'lmul-errors' (did you mean "
                "'lmul-error'?); expected one of: lmul-attention, lmul-error");
  // Each tool takes its own keys.
  EXPECT_EQ(ErrorOf("tool: lmul-attention", "tool: lmul-error"),
            ClaimFile() +
                ":8:40: 'runs.0.numerics.dist': 'dist' is a key of lmul-attention, not lmul-error");
  EXPECT_EQ(ErrorOf("n_q: 8", "n_q: 8, samples: 100"),
            ClaimFile() +
                ":8:71: 'runs.0.numerics.samples': 'samples' is a key of lmul-error, "
                "not lmul-attention");
  EXPECT_EQ(ErrorOf("n_q: 8", "n_q: 0"),
            ClaimFile() + ":8:59: 'runs.0.numerics.n_q': must be >= 1, got 0");
  EXPECT_EQ(ErrorOf("head_dim: 16", "head_dim: 16, colour: red"),
            ClaimFile() + ":8:86: unknown key 'runs.0.numerics.colour'");
  // A numerics run has only numerics.* metrics, and a simulation none.
  EXPECT_NE(ErrorOf("100 * accuracy.numerics.gaussian.rounded_e4m3fn.rel_frobenius",
                    "accuracy.total.energy_pj")
                .find("run 'accuracy' is a numerics computation: its metrics are "
                      "numerics.DISTRIBUTION.VARIANT.METRIC"),
            std::string::npos);
  std::string text = kClaim;
  text.replace(text.find("  - name: accuracy\n"), 0,
               "  - name: sim\n    arch: ../arch/default.yaml\n    workload: "
               "../../workloads/ffn_bitnet_prefill128.yaml\n");
  text.replace(text.find("100 * accuracy.numerics.gaussian.rounded"), 15, "100 * sim.");
  EXPECT_NE(test::ErrorOf([&] {
              ParseClaimSpec(text, ClaimFile());
            }).find("run 'sim' is a simulation: numerics.* metrics belong to numerics runs"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace pjsim::sweep
