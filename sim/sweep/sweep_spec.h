#pragma once
// A design-space sweep as written in YAML (configs/sweeps/*.yaml; reference in docs/SWEEPS.md):
//   name: array-sram                       optional; default: the file name without .yaml
//   description: ...                       optional
//   base: {arch: ../arch/default.yaml, workload: ../../workloads/x.yaml, tech: ...}
//                                          paths relative to the spec; tech optional
//   set: {workload.layers.0.m: 64}         optional fixed overrides for every point
//   axes: [{key: arch.tile.rows, values: [16, 32], zip: array}, ...]   (see axis.h)
//   filters: [{require: EXPR, reason: TEXT}]   points where EXPR is false are skipped
//   derived: [{name: NAME, expr: EXPR, unit: TEXT}]   extra results.csv columns
// Loading validates everything a sweep needs before any point runs; every error is a ConfigError
// at file:line:col.
#include <string>
#include <utility>
#include <vector>

#include "sim/sweep/axis.h"
#include "sim/sweep/expression.h"

namespace pjsim::sweep {

struct FilterRule {
  Expression require;  // over axis keys; the point runs only if true
  std::string reason;  // recorded for skipped points
};

struct DerivedColumn {
  std::string name;
  std::string unit;
  Expression expr;  // over report metrics, axis keys and earlier derived columns
};

struct SweepSpec {
  std::string file;  // as given
  std::string dir;   // the spec's directory: relative paths in the spec are relative to it
  std::string text;  // the spec file's text (copied into the results store)
  std::string name;
  std::string description;
  std::string arch, tech, workload;                      // base files as written; tech may be ""
  std::vector<std::pair<std::string, std::string>> set;  // fixed overrides: key, value text
  std::vector<Axis> axes;
  std::vector<FilterRule> filters;
  std::vector<DerivedColumn> derived;

  // Index of the axis with this key, or -1.
  int AxisIndex(const std::string& key) const;
  // A path written in the spec, resolved against its directory.
  std::string Resolve(const std::string& path) const;
};

SweepSpec LoadSweepSpec(const std::string& path);
// `file` names the text in errors; relative paths in it resolve against its directory.
SweepSpec ParseSweepSpec(const std::string& text, const std::string& file);

}  // namespace pjsim::sweep
