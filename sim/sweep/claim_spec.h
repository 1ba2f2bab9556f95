#pragma once
// One entry of the claims register (configs/claims/NAME.yaml, docs/CLAIMS.md): a published energy
// claim, what it counts, the pjsim runs that check it (simulations, or `numerics:` computations,
// claim_numerics.h) and the expressions that turn the runs' reports into the register's two
// columns — "counting what the claim counts" and "full system".
// Expressions name a run's report metrics as RUN.METRIC (claim_metrics.h) and earlier values by
// name; the explanation text quotes values as {name}.
#include <optional>
#include <string>
#include <vector>

#include "sim/sweep/claim_numerics.h"
#include "sim/sweep/expression.h"

namespace pjsim::sweep {

struct ClaimRun {
  std::string name;
  std::string arch;      // paths as written, relative to the claim file
  std::string tech;      // "" = the architecture's
  std::string workload;  // "" when the workload is imported
  // `pjsim import-hf IMPORT_CONFIG -o WORKLOAD IMPORT_ARGS...` builds the workload first.
  std::string import_config;
  std::vector<std::string> import_args;
  std::vector<std::string> set;  // --set KEY=VALUE overrides
  // A computation instead of a simulation (no arch, workload or import): `numerics:`.
  std::optional<ClaimNumerics> numerics;
};

struct ClaimValue {
  std::string name;  // "counted", "full" or a name of `values`
  Expression expr;
  std::string unit;  // appended to the number: "×", "%", " B" ...
  int digits = 1;    // decimals shown
};

struct ClaimSpec {
  std::string file;  // as given
  std::string dir;   // its directory ("" = the current one)
  std::string name;  // the file's stem
  std::string title;
  std::string claim;    // the claim's words
  std::string source;   // paper, version, table/page, or article URL
  std::string counts;   // what the claim counts (arithmetic only, per op, per token, baseline)
  std::string claimed;  // the claimed factor as published ("71.4×", "≈5.7% at T = 5")
  std::vector<ClaimRun> runs;
  // In evaluation order: the `values` entries, then counted, then full (each sees the earlier).
  std::vector<ClaimValue> values;
  std::string explains;  // "what explains the difference", with {name} placeholders

  // `path` (relative to the claim file) as the current directory sees it.
  std::string Resolve(const std::string& path) const;
};

// Parses a claim file; every problem is a ConfigError at file:line:col naming the key.
ClaimSpec ParseClaimSpec(const std::string& text, const std::string& file);
ClaimSpec LoadClaimSpec(const std::string& path);

// The number `v` with `digits` decimals and `unit` appended ("71.4×").
std::string FormatClaimValue(double v, const ClaimValue& value);

}  // namespace pjsim::sweep
