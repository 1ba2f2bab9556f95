#pragma once
// Re-pricing a run: every energy of a report.json recomputed from the counts it records with
// another technology table, by the same registration code and ledger sums as a fresh run (so the
// numbers are those of a run with that table). Leakage is counted in cycles, so this is exact
// only while the cycles stay the same: a table that would change the clock is refused, and so is
// a mapping search that weighs energy (another table could choose other tilings).
#include <string>
#include <vector>

namespace pjsim {

struct RepriceInputs {
  std::string report_path;             // report.json of `pjsim run`
  std::string tech_path;               // the new technology table
  std::vector<std::string> overrides;  // "tech.KEY=VALUE", applied to the new table
};

// The re-priced report.json text. Throws ConfigError (file:line:col) for bad input, a clock
// change, or a table that lacks a price the report's counts need.
std::string RepriceReport(const RepriceInputs& inputs);
// The same, for report text already in memory (`report_name` labels errors).
std::string RepriceReportText(const std::string& report_json, const std::string& report_name,
                              const std::string& tech_path,
                              const std::vector<std::string>& overrides);

}  // namespace pjsim
