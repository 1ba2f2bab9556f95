#include "sim/sweep/claim_numerics.h"

#include <sstream>
#include <stdexcept>

#include "sim/config/printable.h"
#include "sim/numerics/lmul_accuracy.h"

namespace pjsim::sweep {
namespace {

using numerics::ActivationDistribution;

std::string DistributionSlug(ActivationDistribution kind) {
  switch (kind) {
    case ActivationDistribution::kGaussian:
      return "gaussian";
    case ActivationDistribution::kOutlierChannels:
      return "outliers";
    case ActivationDistribution::kStudentT:
      return "student_t";
  }
  return "";
}

std::string VariantSlug(const numerics::MultiplierVariant& v) {
  const std::string format = numerics::FormatName(v.format);
  switch (v.kind) {
    case numerics::ProductKind::kExactProduct:
      return "exact_" + format;
    case numerics::ProductKind::kRoundedProduct:
      return "rounded_" + format;
    case numerics::ProductKind::kLmul:
      return "lmul_" + format;
  }
  return format;
}

// A metric-name part from a row label of the lmul-error table: the words before any
// parenthesis or bracket, joined by '_' ("lmul e5m4 (m=4, l=3)" -> "lmul_e5m4", "normal(0,1)" ->
// "normal").
std::string LabelSlug(const std::string& label) {
  std::string slug = label.substr(0, label.find_first_of("(["));
  while (!slug.empty() && slug.back() == ' ') slug.pop_back();
  for (char& c : slug) {
    if (c == ' ') c = '_';
  }
  return slug;
}

const std::vector<std::string>& AttentionKeys() {
  static const std::vector<std::string> keys = {"dist",
                                                "n_q",
                                                "n_kv",
                                                "head_dim",
                                                "trials",
                                                "outlier_fraction",
                                                "outlier_scale",
                                                "outlier_tensors",
                                                "nu"};
  return keys;
}

ClaimNumerics ReadLmulError(ConfigMap& m, ClaimNumerics r) {
  for (const std::string& key : AttentionKeys()) {
    if (m.Has(key)) m.Fail(key, "'" + key + "' is a key of lmul-attention, not lmul-error");
  }
  r.samples = m.IntOr("samples", r.samples, 1, numerics::kMaxLmulAccuracySamples);
  r.options.seed = static_cast<std::uint64_t>(m.IntOr("seed", 1, 0));
  m.Finish();
  r.command = "pjsim numerics lmul-error --samples " + std::to_string(r.samples) + " --seed " +
              std::to_string(r.options.seed);
  return r;
}

FlatMetrics RunLmulError(const ClaimNumerics& run, std::string& text) {
  const numerics::AccuracyTable table =
      numerics::MeasureLmulAccuracy(run.options.seed, run.samples);
  FlatMetrics out;
  for (const numerics::AccuracyRow& row : table.rows) {
    const std::string name =
        "numerics." + LabelSlug(row.distribution) + "." + LabelSlug(row.method) + ".";
    out[name + "mean_rel_err"] = Value(row.mean_rel_err);
    out[name + "max_rel_err"] = Value(row.max_rel_err);
    out[name + "flushed"] = Value(row.flushed);
  }
  std::ostringstream printed;
  numerics::PrintAccuracyTable(printed, table);
  text = printed.str();
  return out;
}

}  // namespace

ClaimNumerics ReadClaimNumerics(ConfigMap m) {
  ClaimNumerics r;
  r.tool = m.Choice("tool", {"lmul-attention", "lmul-error"});
  if (r.tool == "lmul-error") return ReadLmulError(m, r);
  if (m.Has("samples")) m.Fail("samples", "'samples' is a key of lmul-error, not lmul-attention");
  numerics::AttentionErrorOptions& o = r.options;
  const std::string dist = m.ChoiceOr("dist", "all", {"gaussian", "outliers", "student-t", "all"});
  for (const ActivationDistribution kind :
       {ActivationDistribution::kGaussian, ActivationDistribution::kOutlierChannels,
        ActivationDistribution::kStudentT}) {
    std::string name = DistributionSlug(kind);
    if (name == "student_t") name = "student-t";
    if (dist == "all" || dist == name) r.distributions.push_back(kind);
  }
  // The bounds of `pjsim numerics lmul-attention` (memory: a head's scores are held 3 times).
  o.n_q = m.IntOr("n_q", o.n_q, 1, 4096);
  o.n_kv = m.IntOr("n_kv", o.n_kv, 1, 65536);
  o.head_dim = m.IntOr("head_dim", o.head_dim, 1, 1024);
  o.trials = m.IntOr("trials", o.trials, 1, 1024);
  o.seed = static_cast<std::uint64_t>(m.IntOr("seed", 1, 0));
  numerics::ActivationSpec& spec = o.distribution;
  spec.outlier_fraction = m.NumberOr("outlier_fraction", spec.outlier_fraction, 1e-9, 1);
  spec.outlier_scale = m.NumberOr("outlier_scale", spec.outlier_scale, 1e-6, 1e6);
  spec.outlier_tensors = m.StringOr("outlier_tensors", spec.outlier_tensors);
  spec.student_t_nu = static_cast<int>(m.IntOr("nu", spec.student_t_nu, 1, 1000));
  if (o.n_q * o.n_kv > (std::int64_t{1} << 24)) {
    m.Fail("n_kv", "n_q x n_kv must be at most 16777216");
  }
  try {
    numerics::ValidateActivationSpec(spec, o.head_dim);
  } catch (const std::invalid_argument&) {
    m.Fail("outlier_tensors", "expects a non-empty subset of 'qkv', got '" +
                                  PrintableToken(spec.outlier_tensors) + "'");
  }
  m.Finish();
  std::ostringstream command;
  command << "pjsim numerics " << r.tool << " --dist " << dist << " --n-q " << o.n_q << " --n-kv "
          << o.n_kv << " --head-dim " << o.head_dim << " --trials " << o.trials << " --seed "
          << o.seed << " --outlier-fraction " << spec.outlier_fraction << " --outlier-scale "
          << spec.outlier_scale << " --outlier-tensors " << spec.outlier_tensors << " --nu "
          << spec.student_t_nu;
  r.command = command.str();
  return r;
}

bool IsNumericsMetricName(const std::string& name) {
  return name.size() > 9 && name.compare(0, 9, "numerics.") == 0;
}

FlatMetrics RunClaimNumerics(const ClaimNumerics& run, std::string& text) {
  if (run.tool == "lmul-error") return RunLmulError(run, text);
  FlatMetrics out;
  std::ostringstream tables;
  numerics::AttentionErrorOptions options = run.options;
  const std::vector<numerics::MultiplierVariant> variants =
      options.variants.empty() ? numerics::DefaultAttentionVariants() : options.variants;
  for (size_t d = 0; d < run.distributions.size(); ++d) {
    options.distribution.kind = run.distributions[d];
    options.variants = variants;
    const numerics::AttentionErrorTable table = numerics::MeasureAttentionError(options);
    if (d > 0) tables << "\n";
    numerics::PrintAttentionErrorTable(tables, table);
    const std::string prefix = "numerics." + DistributionSlug(run.distributions[d]) + ".";
    for (size_t v = 0; v < variants.size(); ++v) {
      const numerics::AttentionErrorRow& row = table.rows[v];
      const std::string name = prefix + VariantSlug(variants[v]) + ".";
      out[name + "rel_frobenius"] = Value(row.rel_frobenius);
      out[name + "mean_abs_err"] = Value(row.mean_abs_err);
      out[name + "max_abs_err"] = Value(row.max_abs_err);
      out[name + "zero_products"] = Value(row.zero_products);
    }
  }
  text = tables.str();
  return out;
}

}  // namespace pjsim::sweep
