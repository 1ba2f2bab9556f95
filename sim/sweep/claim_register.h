#pragma once
// Runs the claims register (`pjsim claims`): every run of every claim as its own child process
// (imports first, then `pjsim run`s, N at a time), then each claim's expressions over the runs'
// reports, into DIR/claims.md (a Markdown table with one footnote per claim naming its source and
// the report of every run) and DIR/claims.csv. Nothing in the outputs depends on -j or on time:
// the same claims give byte-identical files.
#include <ostream>
#include <string>
#include <vector>

#include "sim/sweep/claim_spec.h"

namespace pjsim::sweep {

struct ClaimsOptions {
  std::vector<std::string> claim_files;  // as given; their paths are printed as given
  std::string out_dir = "out/claims";
  int jobs = 1;
  std::string executable;  // pjsim itself, absolute
};

// One claim's evaluated values (in ClaimSpec::values order), NaN where a run failed.
struct ClaimResult {
  const ClaimSpec* spec = nullptr;
  std::vector<double> values;
  std::string error;  // "" when every run succeeded
};

// Throws ConfigError for a malformed claim file or --out directory (exit 2). Returns 0 when
// every run succeeded, 1 otherwise (the table is written either way, failed rows say why).
int RunClaims(const ClaimsOptions& options, std::ostream& progress);

// The report of run `run` of `claim`, relative to the output directory.
std::string ClaimRunDir(const ClaimSpec& claim, const ClaimRun& run);

// The two output files' contents.
std::string ClaimsMarkdown(const std::vector<ClaimResult>& results);
std::string ClaimsCsv(const std::vector<ClaimResult>& results);

}  // namespace pjsim::sweep
