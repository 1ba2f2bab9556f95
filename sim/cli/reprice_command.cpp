// `pjsim reprice`: a run's report.json re-priced with another technology table, from its counts.
#include <iostream>

#include "sim/cli/args.h"
#include "sim/cli/subcommands.h"
#include "sim/config/config_error.h"
#include "sim/report/atomic_file.h"
#include "sim/run/reprice.h"

namespace pjsim::cli {
namespace {

const CommandSpec kRepriceSpec{
    .name = "reprice",
    .summary = "re-price a run's report.json with another technology table",
    .usage = {"REPORT.json --tech TECH.yaml [--set tech.KEY=VALUE]... -o OUT.json"},
    .description =
        "Recomputes every energy of a run's report.json (totals, categories, counts, layers, the "
        "ops-only estimate, power-gating leakage) from the activity counts it records, priced by "
        "another technology table, without simulating again: the same code as `pjsim run` "
        "registers the prices, so OUT.json has the energies a fresh run with TECH.yaml would "
        "report. The report's identity fields (tech_node, every price's source, config.tech) "
        "follow the new table; the run's own tech.* overrides are replaced by the --set flags "
        "given here.\n"
        "\n"
        "Exact only while the counts and cycles stay the same. Leakage is priced per cycle and "
        "all timing is counted in cycles, so a table whose clock would change the "
        "architecture's clock is refused (the table's clock is the architecture's default). The "
        "mapping search weighs energy (by its objective, or to break near-ties in time), so "
        "reprice plans every pass with the new prices and refuses a table with which any layer "
        "would get another tiling. Actions the table does not price (the jedec DRAM model's, "
        "from its preset's currents) keep their recorded prices (docs/REPRICE.md).",
    .positionals = {{.name = "REPORT.json",
                     .noun = "the report to re-price,",
                     .help = "a report.json of pjsim run (or of a sweep point)",
                     .required = true}},
    .flags =
        {
            {.name = "tech",
             .value = "TECH.yaml",
             .help = "the new technology table (configs/tech/*.yaml), the table to price with",
             .required = true},
            {.name = "set",
             .value = "tech.KEY=VALUE",
             .help = "override a value of the new table, e.g. --set "
                     "\"tech.ops.int8_add.energy=0.05 pJ\"",
             .repeatable = true},
            {.name = "out",
             .alias = "o",
             .value = "OUT.json",
             .help = "where to write the re-priced report (written atomically)",
             .required = true},
        },
    .exit_codes =
        "0 ok; 1 output failure; 2 bad input, a clock or tiling change, or a table that "
        "lacks a price the report's counts need (file:line:col: message).",
};

int Reprice(const ParsedArgs& args) {
  const std::string out = args.Get("out");
  const std::string json = RepriceReport({args.positional[0], args.Get("tech"), args.All("set")});
  WriteFileAtomically(out, json);
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterReprice(35, {&kRepriceSpec, Reprice});

}  // namespace pjsim::cli
