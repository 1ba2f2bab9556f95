#pragma once
// A `numerics:` run of a claim (docs/CLAIMS.md): the computation behind `pjsim numerics TOOL`,
// called as a library, whose numbers a claim's expressions name as
//   RUN.numerics.<distribution>.<variant>.<metric>
// lmul-attention (error of attention outputs): distribution gaussian, outliers, student_t; variant
// exact_<format>, rounded_<format> or lmul_<format> (format as numerics::FormatName: e4m3fn,
// e8m4, bf16 ...); metric rel_frobenius, mean_abs_err, max_abs_err, zero_products
// (sim/numerics/attention_error.h), e.g. accuracy.numerics.gaussian.lmul_e8m4.rel_frobenius.
// lmul-error (error per product): distribution normal, uniform; variant lmul_<format> or
// round_<format>; metric mean_rel_err, max_rel_err, flushed (sim/numerics/lmul_accuracy.h), e.g.
// per_product.numerics.normal.lmul_e5m4.mean_rel_err.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/yaml_reader.h"
#include "sim/numerics/attention_error.h"
#include "sim/sweep/report_metrics.h"

namespace pjsim::sweep {

struct ClaimNumerics {
  std::string tool;  // "lmul-attention" or "lmul-error"
  // lmul-attention
  std::vector<numerics::ActivationDistribution> distributions;
  numerics::AttentionErrorOptions options;  // its seed is lmul-error's too
  // lmul-error
  std::int64_t samples = 1000000;
  std::string command;  // the equivalent `pjsim numerics ...` command line, for the footnote
};

// Reads `numerics: {tool: lmul-attention, dist, n_q, n_kv, head_dim, trials, seed,
// outlier_fraction, outlier_scale, outlier_tensors, nu}` or `numerics: {tool: lmul-error, samples,
// seed}` (defaults and bounds as the command's); every problem is a ConfigError at the key.
ClaimNumerics ReadClaimNumerics(ConfigMap m);

bool IsNumericsMetricName(const std::string& name);

// Runs the computation: its metrics, and the tables as `pjsim numerics` prints them in `text`.
FlatMetrics RunClaimNumerics(const ClaimNumerics& run, std::string& text);

}  // namespace pjsim::sweep
