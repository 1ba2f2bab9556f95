// `pjsim report`: summarize a sweep's results store (top designs, Pareto set, failures).
#include <charconv>
#include <iostream>

#include "sim/cli/args.h"
#include "sim/cli/subcommands.h"
#include "sim/config/config_error.h"
#include "sim/sweep/store_summary.h"

namespace pjsim::cli {
namespace {

constexpr const char* kReportHelp =
    R"(usage: pjsim report DIR [--top N] [--metric KEY] [--minimize | --maximize] [--markdown]

Summarizes a results store made by `pjsim sweep`: point counts by status, the top designs by a
metric, the Pareto set over energy (total.energy_pj) and latency (total.seconds), and the failed
points with their errors.

  --top N        designs in the top list (default 10)
  --metric KEY   any results.csv column: total.energy_pj (default), total.seconds,
                 total.cycles, energy_by_category.dram.read, a derived column, ...
  --minimize     lower is better (default)
  --maximize     higher is better (e.g. a TOPS/W derived column)
  --markdown     print Markdown tables instead of aligned text

Exit codes: 0 ok; 2 not a results store, or a bad flag or metric.
)";

int Report(const std::vector<std::string>& raw) {
  const ParsedArgs args = ParseArgs("report", raw,
                                    {{"top"},
                                     {"metric"},
                                     {"minimize", false},
                                     {"maximize", false},
                                     {"markdown", false},
                                     {"help", false},
                                     {"h", false}});
  if (args.Has("help") || args.Has("h")) {
    std::cout << kReportHelp;
    return kExitOk;
  }
  if (args.positional.size() != 1) {
    throw ConfigError({"<command line>", 0, 0},
                      args.positional.empty()
                          ? "missing the results store DIR (see pjsim report --help)"
                          : "unexpected argument '" + args.positional[1] + "'");
  }
  if (args.Has("minimize") && args.Has("maximize")) {
    throw ConfigError({"<command line>", 0, 0}, "give --minimize or --maximize, not both");
  }
  sweep::SummaryOptions o;
  if (args.Has("top")) {
    const std::string text = args.Get("top");
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), o.top);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || o.top == 0) {
      throw ConfigError({"<command line>", 0, 0},
                        "--top needs a positive integer, got '" + text + "'");
    }
  }
  o.metric = args.Get("metric", o.metric);
  o.maximize = args.Has("maximize");
  o.markdown = args.Has("markdown");
  std::cout << sweep::StoreSummary(sweep::ReadStoreTable(args.positional[0]), o);
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterReport(
    40, {"report", "summarize a sweep's results: top designs, Pareto set, failures", Report});

}  // namespace pjsim::cli
