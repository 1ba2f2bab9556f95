// `pjsim reprice`: a run's report.json re-priced with another technology table, from its counts.
#include <iostream>

#include "sim/cli/args.h"
#include "sim/cli/subcommands.h"
#include "sim/config/config_error.h"
#include "sim/report/atomic_file.h"
#include "sim/run/reprice.h"

namespace pjsim::cli {
namespace {

constexpr const char* kRepriceHelp =
    R"(usage: pjsim reprice REPORT.json --tech TECH.yaml [--set tech.KEY=VALUE]... -o OUT.json

Recomputes every energy of a run's report.json (totals, categories, counts, layers, the
ops-only estimate, power-gating leakage) from the activity counts it records, priced by another
technology table, without simulating again: the same code as `pjsim run` registers the prices,
so OUT.json has the energies a fresh run with TECH.yaml would report. The report's identity
fields (tech_node, every price's source, config.tech) follow the new table; the run's own
tech.* overrides are replaced by the --set flags given here.

Exact only while the counts and cycles stay the same. Leakage is priced per cycle and all
timing is counted in cycles, so a table whose clock would change the architecture's clock is
refused (the table's clock is the architecture's default). The mapping search weighs energy (by
its objective, or to break near-ties in time), so reprice plans every pass with the new prices
and refuses a table with which any layer would get another tiling. Actions the table does not
price (the jedec DRAM model's, from its preset's currents) keep their recorded prices.

  --tech FILE           the new technology table (configs/tech/*.yaml)
  --set tech.KEY=VALUE  override a value of the new table (repeatable),
                        e.g. --set "tech.ops.int8_add.energy=0.05 pJ"
  -o, --out FILE        where to write the re-priced report (written atomically)

Exit codes: 0 ok; 1 output failure; 2 bad input, a clock or tiling change, or a table that
lacks a price the report's counts need (file:line:col: message).
)";

int Reprice(const std::vector<std::string>& raw) {
  const ParsedArgs args =
      ParseArgs("reprice", raw,
                {{"tech"}, {"set", true, true}, {"o"}, {"out"}, {"help", false}, {"h", false}});
  if (args.Has("help") || args.Has("h")) {
    std::cout << kRepriceHelp;
    return kExitOk;
  }
  if (args.positional.size() != 1) {
    throw ConfigError({"<command line>", 0, 0},
                      args.positional.empty()
                          ? "missing the REPORT.json to re-price (see pjsim reprice --help)"
                          : "unexpected argument '" + args.positional[1] + "'");
  }
  if (!args.Has("tech")) {
    throw ConfigError(
        {"<command line>", 0, 0},
        "missing --tech TECH.yaml, the table to price with (see pjsim reprice --help)");
  }
  if (args.Has("o") == args.Has("out")) {
    throw ConfigError({"<command line>", 0, 0},
                      "give the output file once, with -o or --out (see pjsim reprice --help)");
  }
  const std::string out = args.Has("o") ? args.Get("o") : args.Get("out");
  const std::string json = RepriceReport({args.positional[0], args.Get("tech"), args.All("set")});
  WriteFileAtomically(out, json);
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterReprice(
    35, {"reprice", "re-price a run's report.json with another technology table", Reprice});

}  // namespace pjsim::cli
