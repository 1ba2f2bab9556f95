#include "sim/sweep/design_points.h"

#include <map>

#include "sim/sweep/fnv_hash.h"
#include "sim/sweep/report_metrics.h"

namespace pjsim::sweep {
namespace {

struct ZipGroup {
  std::vector<size_t> axes;
  size_t length = 0;
};

std::vector<ZipGroup> Groups(const SweepSpec& spec) {
  std::vector<ZipGroup> groups;
  std::map<std::string, size_t> by_name;
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    const Axis& axis = spec.axes[a];
    if (!axis.zip.empty()) {
      if (auto it = by_name.find(axis.zip); it != by_name.end()) {
        groups[it->second].axes.push_back(a);
        continue;
      }
      by_name[axis.zip] = groups.size();
    }
    groups.push_back({{a}, axis.values.size()});
  }
  return groups;
}

std::string PointContext(const SweepSpec& spec, const DesignPoint& p) {
  return " (at point " + p.id + ": " + p.Label(spec) + ")";
}

Expression::Resolver AxisResolver(const SweepSpec& spec, const DesignPoint& p) {
  return [&spec, &p](const std::string& name) -> std::optional<Value> {
    const int a = spec.AxisIndex(name);
    if (a < 0) return std::nullopt;
    return p.values[static_cast<size_t>(a)].AsValue();
  };
}

void ApplyFilters(const SweepSpec& spec, DesignPoint& p) {
  const auto resolve = AxisResolver(spec, p);
  for (const auto& rule : spec.filters) {
    try {
      const auto v = rule.require.Evaluate(resolve);
      const double* keep = v ? std::get_if<double>(&*v) : nullptr;
      if (!keep) {
        rule.require.Fail(0, "must give true or false, not a string" + PointContext(spec, p));
      }
      if (*keep == 0) {
        p.skip_reason = rule.reason;
        return;
      }
    } catch (const ExpressionError& e) {
      rule.require.Fail(e.offset(), e.what() + PointContext(spec, p));
    }
  }
}

// Evaluates each derived column with every report metric standing in as 1, so that type errors
// (a string axis in arithmetic) are spec errors now rather than empty cells after the sweep.
void CheckDerived(const SweepSpec& spec, const DesignPoint& p) {
  const auto axes = AxisResolver(spec, p);
  const auto resolve = [&axes](const std::string& name) -> std::optional<Value> {
    if (auto v = axes(name)) return v;
    return Value(1.0);
  };
  for (const auto& column : spec.derived) {
    try {
      const auto v = column.expr.Evaluate(resolve);
      if (v && !std::holds_alternative<double>(*v)) {
        column.expr.Fail(0, "must give a number, not a string" + PointContext(spec, p));
      }
    } catch (const ExpressionError& e) {
      column.expr.Fail(e.offset(), e.what() + PointContext(spec, p));
    }
  }
}

}  // namespace

std::string DesignPoint::Label(const SweepSpec& spec) const {
  std::string out;
  for (size_t a = 0; a < values.size(); ++a) {
    out += (out.empty() ? "" : " ") + spec.axes[a].key + "=" + values[a].text;
  }
  return out;
}

std::vector<DesignPoint> ExpandDesignPoints(const SweepSpec& spec) {
  const std::vector<ZipGroup> groups = Groups(spec);
  size_t total = 1;
  for (const auto& g : groups) {
    if (g.length > kMaxPoints / total) {
      throw ConfigError(spec.axes.front().where, "the sweep has more than " +
                                                     std::to_string(kMaxPoints) +
                                                     " points; split it or zip axes together");
    }
    total *= g.length;
  }
  const size_t width = std::max<size_t>(4, std::to_string(total - 1).size());

  std::vector<DesignPoint> points(total);
  std::vector<size_t> digit(groups.size());
  for (size_t i = 0; i < total; ++i) {
    DesignPoint& p = points[i];
    p.index = i;
    p.id = std::string(width - std::to_string(i).size(), '0') + std::to_string(i);
    size_t rest = i;
    for (size_t g = groups.size(); g-- > 0;) {
      digit[g] = rest % groups[g].length;
      rest /= groups[g].length;
    }
    p.values.resize(spec.axes.size());
    for (size_t g = 0; g < groups.size(); ++g) {
      for (const size_t a : groups[g].axes) p.values[a] = spec.axes[a].values[digit[g]];
    }
    p.arch = spec.arch;
    p.tech = spec.tech;
    p.workload = spec.workload;
    for (const auto& [key, value] : spec.set) p.overrides.push_back(key + "=" + value);
    for (size_t a = 0; a < spec.axes.size(); ++a) {
      const Axis& axis = spec.axes[a];
      const std::string& text = p.values[a].text;
      if (axis.key == "arch") {
        p.arch = text;
      } else if (axis.key == "tech") {
        p.tech = text;
      } else if (axis.key == "workload") {
        p.workload = text;
      } else {
        p.overrides.push_back(axis.key + "=" + text);
      }
    }
    p.canonical = "arch=" + p.arch + "\ntech=" + p.tech + "\nworkload=" + p.workload + "\n";
    for (const auto& o : p.overrides) p.canonical += "set " + o + "\n";
    p.config_hash = Fnv1a64Hex(p.canonical);
    ApplyFilters(spec, p);
    CheckDerived(spec, p);
  }
  return points;
}

}  // namespace pjsim::sweep
