#pragma once
// The metrics a claim's expressions see of one run (RUN.METRIC): every name of report_metrics.h
// (total.*, energy_by_category.*, simulation.*, run.*, power_gating.*, config.*), and four more
// views of the report that claims about one kind of operation need:
//   counts.<category>.<action>.<field>  one ledger action (field: count, energy_pj,
//                                       pj_per_unit): counts.compute.ternary_add.int8_add.count
//   layers.<layer name>.<key>           a layer's numbers: layers.L0.scores.macs
//   ops.<op>.<key>                      a layer number summed over the layers of one op kind:
//                                       ops.attention_scores.weight_or_kv_read_bytes
//   ops_only_estimate.<key>             the literature's arithmetic-only estimate
#include <yaml-cpp/yaml.h>

#include <string>

#include "sim/sweep/report_metrics.h"

namespace pjsim::sweep {

// True if `name` starts with a prefix above.
bool IsClaimMetricName(const std::string& name);

// Flattens a report (parsed JSON) and its resolved config.
FlatMetrics FlattenClaimReport(const YAML::Node& report, const YAML::Node& config);

}  // namespace pjsim::sweep
