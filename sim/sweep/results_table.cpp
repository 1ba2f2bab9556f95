#include "sim/sweep/results_table.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "sim/report/csv.h"
#include "sim/report/json_writer.h"

namespace pjsim::sweep {
namespace {

const char kCategoryPrefix[] = "energy_by_category.";
constexpr const char* kCarbonColumns[] = {"carbon.per_inference_g", "carbon.per_token_g",
                                          "carbon.per_million_tokens_g"};

std::string Cell(const std::optional<Value>& v) {
  if (!v) return "";
  if (const double* d = std::get_if<double>(&*v)) return std::isfinite(*d) ? FormatNumber(*d) : "";
  return std::get<std::string>(*v);
}

std::optional<Value> Metric(const PointResult& r, const std::string& name) {
  const auto it = r.metrics.find(name);
  if (it == r.metrics.end()) return std::nullopt;
  return it->second;
}

}  // namespace

std::vector<std::optional<double>> DerivedValues(const SweepSpec& spec, const DesignPoint& point,
                                                 const PointResult& result) {
  std::vector<std::optional<double>> out;
  const auto resolve = [&](const std::string& name) -> std::optional<Value> {
    if (const int a = spec.AxisIndex(name); a >= 0) {
      return point.values[static_cast<size_t>(a)].AsValue();
    }
    for (size_t d = 0; d < out.size(); ++d) {
      if (spec.derived[d].name == name) {
        return out[d] ? std::optional<Value>(*out[d]) : std::nullopt;
      }
    }
    return Metric(result, name);
  };
  for (const auto& column : spec.derived) {
    std::optional<double> value;
    try {
      const auto v = column.expr.Evaluate(resolve);
      if (v && std::holds_alternative<double>(*v) && std::isfinite(std::get<double>(*v))) {
        value = std::get<double>(*v);
      }
    } catch (const ExpressionError&) {
      // A metric of an unexpected type (a config string in arithmetic): unknown, like 1/0.
    }
    out.push_back(value);
  }
  return out;
}

std::string ResultsCsv(const SweepSpec& spec, const std::vector<DesignPoint>& points,
                       const std::vector<const PointResult*>& finished) {
  std::set<std::string> categories;
  for (const PointResult* r : finished) {
    for (const auto& [name, value] : r->metrics) {
      if (name.rfind(kCategoryPrefix, 0) == 0) categories.insert(name);
    }
  }
  std::vector<std::string> header = {"point", "config_hash"};
  for (const auto& axis : spec.axes) header.push_back(axis.key);
  header.push_back("status");
  header.push_back("error");
  for (const auto& m : StandardMetrics()) header.push_back(m.name);
  header.insert(header.end(), categories.begin(), categories.end());
  // The carbon footprint's figures, once any point's report has them (docs/CARBON.md).
  std::vector<std::string> carbon;
  for (const char* name : kCarbonColumns) {
    const bool any = std::any_of(finished.begin(), finished.end(),
                                 [&](const PointResult* r) { return r->metrics.count(name) > 0; });
    if (any) carbon.push_back(name);
  }
  header.insert(header.end(), carbon.begin(), carbon.end());
  for (const auto& d : spec.derived) header.push_back(d.name);

  std::string out = CsvRow(header);
  for (const PointResult* r : finished) {
    const DesignPoint& p = points[r->index];
    std::vector<std::string> row = {r->id, r->config_hash};
    for (const auto& v : p.values) row.push_back(ValueText(v.AsValue()));
    row.push_back(std::string(StatusName(r->status)));
    row.push_back(r->error);
    for (const auto& m : StandardMetrics()) row.push_back(Cell(Metric(*r, m.name)));
    // A category missing from an ok point's ledger spent nothing: 0 pJ, not unknown.
    const bool ok = r->status == PointStatus::kOk;
    for (const auto& c : categories) {
      const auto v = Metric(*r, c);
      row.push_back(v || !ok ? Cell(v) : "0");
    }
    for (const auto& c : carbon) row.push_back(Cell(Metric(*r, c)));
    for (const auto& d : DerivedValues(spec, p, *r)) {
      row.push_back(d ? FormatNumber(*d) : "");
    }
    out += CsvRow(row);
  }
  return out;
}

std::string ResultsJsonl(const std::vector<const PointResult*>& finished) {
  std::string out;
  for (const PointResult* r : finished) out += r->json_line + "\n";
  return out;
}

}  // namespace pjsim::sweep
