#include "sim/sweep/claim_metrics.h"

namespace pjsim::sweep {
namespace {

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.size() > prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// A report's numbers are plain JSON scalars; anything that does not parse as one is left out.
bool AsNumber(const YAML::Node& n, double* v) {
  if (!n.IsScalar() || n.Tag() == "!") return false;
  try {
    *v = n.as<double>();
    return true;
  } catch (const YAML::Exception&) {
    return false;
  }
}

// FlattenReport flattens only its own sections: hand it `node` as the `total` section and
// rename the names it makes, so that nested maps flatten exactly as report metrics do.
void FlattenAs(const YAML::Node& node, const std::string& prefix, FlatMetrics& out) {
  YAML::Node wrapper;
  wrapper["total"] = node;
  for (auto& [name, value] : FlattenReport(wrapper, YAML::Node())) {
    out[prefix + name.substr(std::string("total").size())] = value;
  }
}

}  // namespace

bool IsClaimMetricName(const std::string& name) {
  return IsReportName(name) || StartsWith(name, "counts.") || StartsWith(name, "layers.") ||
         StartsWith(name, "ops.") || StartsWith(name, "ops_only_estimate.");
}

FlatMetrics FlattenClaimReport(const YAML::Node& report, const YAML::Node& config) {
  FlatMetrics out = FlattenReport(report, config);
  if (report["ops_only_estimate"]) {
    FlattenAs(report["ops_only_estimate"], "ops_only_estimate", out);
  }
  for (const YAML::Node& c : report["counts"]) {
    const std::string prefix =
        "counts." + c["category"].Scalar() + "." + c["action"].Scalar() + ".";
    for (const char* field : {"count", "energy_pj", "pj_per_unit"}) {
      double v = 0;
      if (AsNumber(c[field], &v)) out[prefix + field] = Value(v);
    }
  }
  for (const YAML::Node& layer : report["layers"]) {
    const std::string name = layer["name"].Scalar();
    const std::string op = layer["op"].Scalar();
    YAML::Node numbers;
    for (auto it = layer.begin(); it != layer.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (key == "name" || key == "counts") continue;  // counts: keys hold '/', see counts.*
      numbers[key] = it->second;
      double v = 0;
      if (AsNumber(it->second, &v)) {
        auto& sum = out["ops." + op + "." + key];
        const double* before = std::get_if<double>(&sum);
        sum = Value((before ? *before : 0.0) + v);
      }
    }
    FlattenAs(numbers, "layers." + name, out);
  }
  return out;
}

}  // namespace pjsim::sweep
