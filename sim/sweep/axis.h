#pragma once
// One axis of a sweep: a config key and the values it takes, written as a list, a linear range or
// a logarithmic range:
//   values: [16, 32, 64]                          any scalars (numbers, 'hbm2e', file paths)
//   range: {start: 16, stop: 64, step: 16}        16, 32, 48, 64 (stop included when reached)
//   log: {start: 64, stop: 1024, base: 2}         64, 128, ..., 1024 (each a power-of-base step)
//   log: {start: 1, stop: 1000, factor: 10}       1, 10, 100, 1000 (any factor > 1)
//   log: {start: 1, stop: 100, count: 5}          5 values evenly spaced in log space
// plus `unit: KiB` (appended to each number when it becomes a --set value) and `integer: true`
// (round generated values to integers).
#include <optional>
#include <string>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/config/yaml_reader.h"
#include "sim/sweep/expression.h"

namespace pjsim::sweep {

struct AxisValue {
  std::string text;              // as given to `pjsim run --set` (unit appended) or a file path
  std::optional<double> number;  // the number before the unit, when the value is numeric
  SourceLocation where;          // where the value (or its generator) is written

  // What expressions and results.csv see: the number when there is one, else the text.
  Value AsValue() const { return number ? Value(*number) : Value(text); }
};

struct Axis {
  std::string key;   // "arch.tile.rows", ..., or "arch" / "tech" / "workload" for file axes
  std::string zip;   // axes with the same zip group advance together; "" = its own group
  std::string unit;  // appended to numeric values; "" = none
  std::vector<AxisValue> values;
  SourceLocation where;  // of the key

  bool IsFileAxis() const { return key == "arch" || key == "tech" || key == "workload"; }
};

// Reads one entry of the spec's `axes` list (strictly: unknown keys are errors).
Axis ReadAxis(ConfigMap entry);

// The generators, exposed for tests. Each throws std::invalid_argument with a user message.
std::vector<double> LinearRange(double start, double stop, double step);
std::vector<double> LogRangeByFactor(double start, double stop, double factor);
std::vector<double> LogRangeByCount(double start, double stop, int count);

// A generated number as --set text: integers without a decimal point, others in shortest form
// after rounding to 12 significant digits (so 0.1 + 0.2 reads 0.3).
std::string AxisNumberText(double value);

}  // namespace pjsim::sweep
