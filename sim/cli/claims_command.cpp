// `pjsim claims`: run the claims register (configs/claims/*.yaml) into a table of published
// energy claims against what pjsim measures (docs/CLAIMS.md).
#include <filesystem>
#include <iostream>
#include <set>
#include <thread>

#include "sim/cli/args.h"
#include "sim/cli/subcommands.h"
#include "sim/config/config_error.h"
#include "sim/sweep/child_process.h"
#include "sim/sweep/claim_register.h"

namespace pjsim::cli {
namespace {

namespace fs = std::filesystem;

const CommandSpec kClaimsSpec{
    .name = "claims",
    .summary = "check published energy claims against pjsim runs (claims register)",
    .usage = {"[NAME|FILE.yaml...] [--dir DIR] [--out DIR] [-j N]"},
    .description =
        "Checks published energy claims: runs every run of each claim file (DIR/NAME.yaml; "
        "default: every file of configs/claims/, in name order), each as its own child process, "
        "N at a time, and writes\n"
        "\n"
        "  OUT/claims.md        the table: claim | claimed factor | pjsim, counting what the\n"
        "                       claim counts | pjsim, full system | what explains the difference;\n"
        "                       one footnote per claim with its words, source, what it counts and\n"
        "                       the report of every run\n"
        "  OUT/claims.csv       the same, one row per claim, with the values unrounded\n"
        "  OUT/runs/CLAIM/RUN/  each run's outputs (report.json, layers.csv, ...); RUN.log its\n"
        "                       output",
    .positionals = {{.name = "NAME|FILE.yaml",
                     .help = "a claim: DIR/NAME.yaml, or a claim file's path (default: every "
                             "claim of DIR)",
                     .repeatable = true}},
    .flags =
        {
            {.name = "dir",
             .value = "DIR",
             .help = "where NAMEs are looked up (default: configs/claims)"},
            {.name = "out", .value = "DIR", .help = "output directory (default: out/claims)"},
            {.name = "j",
             .alias = "jobs",
             .value = "N",
             .help = "runs at once (default: the number of cores)"},
        },
    .notes =
        "The same claims give byte-identical claims.md and claims.csv whatever -j. Claim file "
        "format: docs/CLAIMS.md.",
    .exit_codes =
        "0 every run succeeded; 1 some run failed (its row says which, with its log); 2 "
        "a malformed claim file or flag (file:line:col: message naming the key).",
};

// NAME -> DIR/NAME.yaml; a path ending in .yaml is taken as it is; none -> every DIR/*.yaml.
std::vector<std::string> ClaimFiles(const std::vector<std::string>& names, const std::string& dir) {
  std::vector<std::string> files;
  if (names.empty()) {
    std::error_code ec;
    std::set<std::string> sorted;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.path().extension() == ".yaml")
        sorted.insert((fs::path(dir) / e.path().filename()).string());
    }
    if (ec || sorted.empty()) {
      throw ConfigError({"<command line>", 0, 0}, "no claim files (*.yaml) in '" + dir + "'");
    }
    return {sorted.begin(), sorted.end()};
  }
  for (const auto& n : names) {
    const bool is_path = fs::path(n).extension() == ".yaml";
    files.push_back(is_path ? n : (fs::path(dir) / (n + ".yaml")).string());
  }
  return files;
}

int Claims(const ParsedArgs& args) {
  sweep::ClaimsOptions o;
  o.claim_files = ClaimFiles(args.positional, args.Get("dir", "configs/claims"));
  o.out_dir = args.Get("out", "out/claims");
  const unsigned cores = std::thread::hardware_concurrency();
  o.jobs =
      args.Has("j") ? ParsePositiveInt("j", args.Get("j")) : static_cast<int>(cores ? cores : 1);
  o.executable = sweep::SelfExecutable();
  return sweep::RunClaims(o, std::cerr);
}

}  // namespace

const SubcommandRegistrar kRegisterClaims(35, {&kClaimsSpec, Claims});

}  // namespace pjsim::cli
