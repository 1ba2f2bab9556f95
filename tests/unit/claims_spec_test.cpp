// Claim files of the claims register (sim/sweep/claim_spec.h): every shipped claim parses with
// the fields it was written with, malformed files fail at file:line:col naming the key, and the
// table's text is built from the parsed fields alone.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <set>

#include "config_error_text.h"
#include "sim/sweep/claim_register.h"
#include "sim/sweep/claim_spec.h"
#include "test_paths.h"

namespace pjsim::sweep {
namespace {

namespace fs = std::filesystem;

// A claim whose files exist relative to configs/claims/ (the parser checks them).
std::string ClaimFile() { return test::SourceDir() + "/configs/claims/example.yaml"; }

constexpr const char* kClaim = R"(title: "A | B: 2× less"
claim: "it halves energy"
source: "a paper, v2, Table 3"
counts: "per op"
claimed: "2×"
runs:
  - name: base
    arch: ../arch/default.yaml
    workload: ../../workloads/ffn_bitnet_prefill128.yaml
    set: [arch.tile.rows=8]
  - name: alt
    arch: ../arch/mesh4x4-ternary.yaml
    tech: ../tech/7nm.yaml
    import:
      config: ../../workloads/hf/bitnet-b1.58-2B-4T.config.json
      args: [--layers, "1"]
values:
  - {name: ratio, expr: base.total.energy_pj / alt.total.energy_pj, unit: "×", digits: 2}
counted: {expr: "ratio * 1", unit: "×"}
full: {expr: "base.counts.compute.int8_mac.int8_mult.count + alt.ops.linear.macs", digits: 0}
explains: "counted {counted}, full {full}, ratio {ratio}"
)";

// The error a malformed variant of kClaim gives.
std::string ErrorOf(const std::string& from, const std::string& to) {
  std::string text = kClaim;
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  return test::ErrorOf([&] { ParseClaimSpec(text, ClaimFile()); });
}

TEST(ClaimSpec, ParsesEveryFieldAsWritten) {
  const ClaimSpec s = ParseClaimSpec(kClaim, ClaimFile());
  EXPECT_EQ(s.name, "example");
  EXPECT_EQ(s.title, "A | B: 2× less");
  EXPECT_EQ(s.claim, "it halves energy");
  EXPECT_EQ(s.source, "a paper, v2, Table 3");
  EXPECT_EQ(s.counts, "per op");
  EXPECT_EQ(s.claimed, "2×");
  ASSERT_EQ(s.runs.size(), 2u);
  EXPECT_EQ(s.runs[0].name, "base");
  EXPECT_EQ(s.runs[0].workload, "../../workloads/ffn_bitnet_prefill128.yaml");
  EXPECT_EQ(s.runs[0].set, std::vector<std::string>{"arch.tile.rows=8"});
  EXPECT_EQ(s.runs[0].tech, "");
  EXPECT_EQ(s.runs[1].tech, "../tech/7nm.yaml");
  EXPECT_EQ(s.runs[1].workload, "");
  EXPECT_EQ(s.runs[1].import_config, "../../workloads/hf/bitnet-b1.58-2B-4T.config.json");
  EXPECT_EQ(s.runs[1].import_args, (std::vector<std::string>{"--layers", "1"}));
  ASSERT_EQ(s.values.size(), 3u);  // values first, then the two columns
  EXPECT_EQ(s.values[0].name, "ratio");
  EXPECT_EQ(s.values[0].digits, 2);
  EXPECT_EQ(s.values[1].name, "counted");
  EXPECT_EQ(s.values[1].unit, "×");
  EXPECT_EQ(s.values[1].digits, 1);
  EXPECT_EQ(s.values[2].name, "full");
  EXPECT_EQ(s.values[2].digits, 0);
  EXPECT_EQ(s.explains, "counted {counted}, full {full}, ratio {ratio}");
  EXPECT_EQ(s.Resolve("../arch/default.yaml"),
            (fs::path(test::SourceDir()) / "configs/claims/../arch/default.yaml").string());
}

TEST(ClaimSpec, EveryShippedClaimParses) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(test::SourceDir() + "/configs/claims")) {
    if (e.path().extension() != ".yaml") continue;
    const ClaimSpec s = LoadClaimSpec(e.path().string());
    EXPECT_EQ(s.name, e.path().stem().string());
    EXPECT_FALSE(s.runs.empty());
    ASSERT_GE(s.values.size(), 2u);
    EXPECT_EQ(s.values[s.values.size() - 2].name, "counted");
    EXPECT_EQ(s.values.back().name, "full");
    names.insert(s.name);
  }
  // The claims the register must ship (docs/CLAIMS.md).
  for (const char* required : {"bitnet_arithmetic", "lmul_multiply", "lmul_dot_product",
                               "snn_break_even", "mla_kv_cache", "mar_ssm_spiking"}) {
    EXPECT_EQ(names.count(required), 1u) << required;
  }
}

TEST(ClaimSpec, MalformedFilesFailAtTheKey) {
  const std::string file = ClaimFile();
  // Unknown top-level key, with a suggestion.
  EXPECT_EQ(ErrorOf("counts:", "count:"),
            file + ":4:1: unknown key 'count' (did you mean 'counts'?)");
  // A missing required key names it.
  EXPECT_NE(ErrorOf("claimed: \"2×\"\n", "").find("claimed"), std::string::npos);
  // An expression naming a run that does not exist: at the name's column.
  EXPECT_EQ(ErrorOf("ratio * 1", "ratio * bse.total.energy_pj"),
            file +
                ":19:26: 'counted.expr': unknown name 'bse.total.energy_pj' (did you mean "
                "'base.total.energy_pj'?); expressions see RUN.METRIC of this claim's runs "
                "and the values defined before this one in expression 'ratio * "
                "bse.total.energy_pj'");
  const auto expect = [](const std::string& from, const std::string& to,
                         const std::string& needle) {
    const std::string error = ErrorOf(from, to);
    EXPECT_NE(error.find(needle), std::string::npos) << error;
  };
  // A metric that no report has a section for.
  expect("alt.ops.linear.macs", "alt.opz.linear.macs",
         ":20:62: 'full.expr': unknown metric 'opz.linear.macs' of run 'alt'");
  // A value used before it is defined.
  expect("base.total.energy_pj / alt", "full / alt",
         ":18:25: 'values.0.expr': unknown name 'full'");
  // A placeholder that is not a value.
  expect("ratio {ratio}", "ratio {ratoi}",
         ":21:11: 'explains': unknown value '{ratoi}' (did you mean 'ratio'?)");
  // A run with both a workload and an import, and a missing file.
  expect("    tech: ../tech/7nm.yaml\n",
         "    tech: ../tech/7nm.yaml\n    workload: ../../workloads/x.yaml\n",
         ":11:5: 'runs.1': run 'alt' needs exactly one of 'workload', 'import' and "
         "'numerics'");
  expect("../arch/default.yaml", "../arch/nope.yaml", ":8:11: 'runs.0.arch': no such file");
  // --set entries must be scoped KEY=VALUE.
  expect("arch.tile.rows=8", "rows=8", ":10:10: 'runs.0.set': 'rows=8' is not KEY=VALUE");
  // Run names are identifiers (they are the first part of RUN.METRIC).
  expect("name: alt", "name: alt.x", ":11:11: 'runs.1.name': run names are");
  // The register writes the imported workload itself.
  expect("args: [--layers, \"1\"]", "args: [--layers, \"1\", -o, x.yaml]",
         ":16:13: 'runs.1.import.args': the register chooses where the workload goes: drop '-o'");
  // Two runs of one name.
  expect("name: alt", "name: base", ":11:11: 'runs.1.name': run 'base' is defined twice");
}

TEST(ClaimSpec, TableTextComesFromTheFieldsAndValues) {
  const ClaimSpec s = ParseClaimSpec(kClaim, ClaimFile());
  ClaimResult r;
  r.spec = &s;
  r.values = {2.345, 2.345, 1234.4};
  const std::string md = ClaimsMarkdown({r});
  // The title's '|' is escaped, values are formatted with their digits and units, the
  // explanation quotes them, and the footnote names every run's report.
  EXPECT_NE(md.find("| A \\| B: 2× less [^example] | 2× | 2.3× | 1234 | counted 2.3×, full "
                    "1234, ratio 2.35× |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("`base`: `runs/example/base/report.json` — arch `../arch/default.yaml`"),
            std::string::npos);
  EXPECT_NE(md.find("`--set arch.tile.rows=8`"), std::string::npos);
  EXPECT_NE(md.find("workload `pjsim import-hf "
                    "../../workloads/hf/bitnet-b1.58-2B-4T.config.json --layers 1`"),
            std::string::npos);
  const std::string csv = ClaimsCsv({r});
  EXPECT_NE(csv.find("example,A | B: 2× less,2×,2.3×,2.345,1234,1234.4,"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("base=runs/example/base/report.json;alt=runs/example/alt/report.json"),
            std::string::npos);
  // A failed run: the row says so, and no number is made up.
  r.error = "run `alt` run failed: boom";
  r.values.assign(3, std::nan(""));
  EXPECT_NE(ClaimsMarkdown({r}).find("| 2× | failed | failed | run `alt` run failed: boom |"),
            std::string::npos);
}

}  // namespace
}  // namespace pjsim::sweep
