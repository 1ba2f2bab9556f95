#include "sim/sweep/axis.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <stdexcept>

#include "sim/report/json_writer.h"
#include "sim/sweep/yaml_node_at.h"

namespace pjsim::sweep {
namespace {

constexpr size_t kMaxAxisValues = 100000;
constexpr double kHuge = std::numeric_limits<double>::max();

// Rounds to 12 significant digits so that accumulated binary error does not leak into --set text.
double Tidy(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  double out = v;
  std::from_chars(buf, buf + std::char_traits<char>::length(buf), out);
  return out;
}

std::optional<double> ParseNumber(const std::string& s) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

void CheckKey(ConfigMap& m, const std::string& key) {
  const auto dot = key.find('.');
  const std::string scope = key.substr(0, dot);
  if (scope != "arch" && scope != "tech" && scope != "workload") {
    m.Fail("key", "axis key '" + key +
                      "' must be arch, tech or workload (a file) or start with arch., tech. or "
                      "workload. (a config value)");
  }
  if (dot != std::string::npos) {
    const std::string rest = key.substr(dot + 1);
    if (rest.empty() || rest.front() == '.' || rest.back() == '.' ||
        rest.find("..") != std::string::npos) {
      m.Fail("key", "axis key '" + key + "' has an empty segment");
    }
  }
}

std::vector<double> Generated(ConfigMap& m, const std::string& which) {
  ConfigMap g = m.Map(which);
  const double start = g.Number("start", -kHuge, kHuge);
  const double stop = g.Number("stop", -kHuge, kHuge);
  try {
    if (which == "range") {
      const double step = g.Number("step", -kHuge, kHuge);
      g.Finish();
      return LinearRange(start, stop, step);
    }
    const int given =
        (g.Has("base") ? 1 : 0) + (g.Has("factor") ? 1 : 0) + (g.Has("count") ? 1 : 0);
    if (given != 1) g.FailHere("give exactly one of base (2 or 10), factor or count");
    if (start <= 0) g.Fail("start", "a log range needs a positive start");
    if (stop <= 0) g.Fail("stop", "a log range needs a positive stop");
    std::vector<double> out;
    if (g.Has("count")) {
      out = LogRangeByCount(start, stop, static_cast<int>(g.Int("count", 2)));
    } else if (g.Has("factor")) {
      const double factor = g.Number("factor", -kHuge, kHuge);
      if (factor <= 1) g.Fail("factor", "must be greater than 1");
      out = LogRangeByFactor(start, stop, factor);
    } else {
      const double base = g.Number("base", -kHuge, kHuge);
      if (base != 2 && base != 10) g.Fail("base", "must be 2 or 10 (use factor for others)");
      out = LogRangeByFactor(start, stop, base);
    }
    g.Finish();
    return out;
  } catch (const std::invalid_argument& e) {
    g.FailHere(e.what());
  }
}

}  // namespace

std::vector<double> LinearRange(double start, double stop, double step) {
  if (step == 0) throw std::invalid_argument("step must not be 0");
  if ((stop - start) * step < 0) {
    throw std::invalid_argument("step goes away from stop (start " + AxisNumberText(start) +
                                ", stop " + AxisNumberText(stop) + ", step " +
                                AxisNumberText(step) + ")");
  }
  const double steps = std::floor((stop - start) / step + 1e-9);
  if (steps + 1 > static_cast<double>(kMaxAxisValues)) {
    throw std::invalid_argument("range has more than " + std::to_string(kMaxAxisValues) +
                                " values");
  }
  std::vector<double> out;
  for (int i = 0; i <= static_cast<int>(steps); ++i) out.push_back(Tidy(start + i * step));
  return out;
}

std::vector<double> LogRangeByFactor(double start, double stop, double factor) {
  if (start <= 0 || stop <= 0) throw std::invalid_argument("a log range needs positive bounds");
  if (factor <= 1) throw std::invalid_argument("factor must be greater than 1");
  // Descending when stop < start: divide instead of multiply.
  const double ratio = stop >= start ? stop / start : start / stop;
  const double steps = std::floor(std::log(ratio) / std::log(factor) + 1e-9);
  if (steps + 1 > static_cast<double>(kMaxAxisValues)) {
    throw std::invalid_argument("log range has more than " + std::to_string(kMaxAxisValues) +
                                " values");
  }
  std::vector<double> out;
  for (int i = 0; i <= static_cast<int>(steps); ++i) {
    const double f = std::pow(factor, i);
    out.push_back(Tidy(stop >= start ? start * f : start / f));
  }
  return out;
}

std::vector<double> LogRangeByCount(double start, double stop, int count) {
  if (start <= 0 || stop <= 0) throw std::invalid_argument("a log range needs positive bounds");
  if (count < 2) throw std::invalid_argument("count must be at least 2");
  if (static_cast<size_t>(count) > kMaxAxisValues) {
    throw std::invalid_argument("count must be at most " + std::to_string(kMaxAxisValues));
  }
  std::vector<double> out;
  const double ratio = stop / start;
  for (int i = 0; i < count; ++i) {
    const double t = static_cast<double>(i) / (count - 1);
    out.push_back(i == count - 1 ? stop : Tidy(start * std::pow(ratio, t)));
  }
  return out;
}

std::string AxisNumberText(double value) {
  if (std::floor(value) == value && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  return FormatNumber(Tidy(value));
}

Axis ReadAxis(ConfigMap m) {
  Axis a;
  a.key = m.String("key");
  a.where = m.WhereKey("key");
  CheckKey(m, a.key);
  a.zip = m.StringOr("zip", "");
  a.unit = m.StringOr("unit", "");
  if (a.IsFileAxis() && !a.unit.empty()) m.Fail("unit", "a file axis takes no unit");
  const int given = (m.Has("values") ? 1 : 0) + (m.Has("range") ? 1 : 0) + (m.Has("log") ? 1 : 0);
  if (given != 1) m.FailHere("axis '" + a.key + "' needs exactly one of values, range or log");
  const bool integer = m.BoolOr("integer", false);
  if (a.IsFileAxis() && !m.Has("values")) {
    m.FailHere("a file axis takes a list of paths ('values'), not a range");
  }

  if (m.Has("values")) {
    if (integer) m.Fail("integer", "'integer' applies to range and log axes only");
    const std::vector<std::string> texts = m.StringList("values");
    if (texts.empty()) m.Fail("values", "needs at least one value");
    const std::string list_path = (m.path().empty() ? "" : m.path() + ".") + "values";
    const YAML::Node list = NodeAt(m.document(), list_path);
    for (size_t i = 0; i < texts.size(); ++i) {
      AxisValue v;
      v.where = m.document().Locate(list[i], list_path + "." + std::to_string(i));
      v.number = ParseNumber(texts[i]);
      v.text = texts[i];
      if (!a.unit.empty()) {
        if (!v.number) {
          throw ConfigError(v.where, "'" + list_path + "." + std::to_string(i) + "': with unit '" +
                                         a.unit + "' values must be numbers, got '" + texts[i] +
                                         "'");
        }
        v.text += " " + a.unit;
      }
      a.values.push_back(std::move(v));
    }
  } else {
    const std::string which = m.Has("range") ? "range" : "log";
    const SourceLocation where = m.WhereKey(which);
    std::vector<double> numbers = Generated(m, which);
    for (double& x : numbers) {
      if (integer) x = std::round(x);
      AxisValue v;
      v.number = x;
      v.text = AxisNumberText(x) + (a.unit.empty() ? "" : " " + a.unit);
      v.where = where;
      a.values.push_back(std::move(v));
    }
  }
  // A zipped axis may repeat a value (its partners tell the points apart); the spec checks that
  // the group's value tuples are distinct.
  std::set<std::string> seen;
  for (const auto& v : a.values) {
    if (a.zip.empty() && !seen.insert(v.text).second) {
      throw ConfigError(v.where, "axis '" + a.key + "' has the value '" + v.text + "' twice" +
                                     (integer ? " (after rounding to integers)" : ""));
    }
  }
  m.Finish();
  return a;
}

}  // namespace pjsim::sweep
