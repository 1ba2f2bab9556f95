#pragma once
// A `numerics:` run of a claim (docs/CLAIMS.md): the computation behind `pjsim numerics
// lmul-attention`, called as a library, whose numbers a claim's expressions name as
//   RUN.numerics.<distribution>.<variant>.<metric>
// distribution: gaussian, outliers, student_t; variant: exact_<format>, rounded_<format> or
// lmul_<format> (format as numerics::FormatName: e4m3fn, e8m4, bf16 ...); metric: rel_frobenius,
// mean_abs_err, max_abs_err, zero_products (sim/numerics/attention_error.h defines each), e.g.
// accuracy.numerics.gaussian.lmul_e8m4.rel_frobenius.
#include <string>
#include <vector>

#include "sim/config/yaml_reader.h"
#include "sim/numerics/attention_error.h"
#include "sim/sweep/report_metrics.h"

namespace pjsim::sweep {

struct ClaimNumerics {
  std::string tool;  // "lmul-attention"
  std::vector<numerics::ActivationDistribution> distributions;
  numerics::AttentionErrorOptions options;
  std::string command;  // the equivalent `pjsim numerics ...` command line, for the footnote
};

// Reads `numerics: {tool: lmul-attention, dist, n_q, n_kv, head_dim, trials, seed,
// outlier_fraction, outlier_scale, outlier_tensors, nu}` (defaults as the command's); every
// problem is a ConfigError at the key.
ClaimNumerics ReadClaimNumerics(ConfigMap m);

bool IsNumericsMetricName(const std::string& name);

// Runs the computation: its metrics, and the tables as `pjsim numerics` prints them in `text`.
FlatMetrics RunClaimNumerics(const ClaimNumerics& run, std::string& text);

}  // namespace pjsim::sweep
