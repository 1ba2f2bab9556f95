#pragma once
// The summary `pjsim report` prints for a results store: point counts by status, the top designs
// by one metric, the Pareto set over energy and latency, and the failed points with their errors;
// as aligned text for a terminal or as Markdown for a paper draft or a pull request.
#include <string>

#include "sim/sweep/store_table.h"

namespace pjsim::sweep {

struct SummaryOptions {
  size_t top = 10;
  std::string metric = "total.energy_pj";
  bool maximize = false;
  bool markdown = false;
};

inline constexpr const char* kEnergyColumn = "total.energy_pj";
inline constexpr const char* kLatencyColumn = "total.seconds";

// Throws ConfigError when the metric is not a column of the store.
std::string StoreSummary(const StoreTable& table, const SummaryOptions& options);

}  // namespace pjsim::sweep
