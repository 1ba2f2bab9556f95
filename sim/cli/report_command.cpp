// `pjsim report`: summarize a sweep's results store (top designs, Pareto set, failures).
#include <charconv>
#include <iostream>

#include "sim/cli/args.h"
#include "sim/cli/subcommands.h"
#include "sim/config/config_error.h"
#include "sim/sweep/store_summary.h"

namespace pjsim::cli {
namespace {

const CommandSpec kReportSpec{
    .name = "report",
    .summary = "summarize a sweep's results: top designs, Pareto set, failures",
    .usage = {"DIR [--top N] [--metric KEY] [--minimize | --maximize] [--markdown]"},
    .description =
        "Summarizes a results store made by `pjsim sweep`: point counts by status, the top "
        "designs by a metric, the Pareto set over energy (total.energy_pj) and latency "
        "(total.seconds), and the failed points with their errors.",
    .positionals = {{.name = "DIR",
                     .noun = "the results store",
                     .help = "a results store (pjsim sweep --out)",
                     .required = true}},
    .flags =
        {
            {.name = "top", .value = "N", .help = "designs in the top list (default 10)"},
            {.name = "metric",
             .value = "KEY",
             .help = "any results.csv column: total.energy_pj (default), total.seconds, "
                     "total.cycles, energy_by_category.dram.read, a derived column, ..."},
            {.name = "minimize", .help = "lower is better (default)"},
            {.name = "maximize", .help = "higher is better (e.g. a TOPS/W derived column)"},
            {.name = "markdown", .help = "print Markdown tables instead of aligned text"},
        },
    .exit_codes = "0 ok; 2 not a results store, or a bad flag or metric.",
};

int Report(const ParsedArgs& args) {
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

const SubcommandRegistrar kRegisterReport(40, {&kReportSpec, Report});

}  // namespace pjsim::cli
