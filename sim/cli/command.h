#pragma once
// Subcommand dispatch for the pjsim CLI. Each subcommand lives in its own file and registers here
// with its declaration (command_spec.h), from which its flags are parsed and its help printed.
#include <functional>
#include <string>
#include <vector>

#include "sim/cli/args.h"
#include "sim/cli/command_spec.h"

namespace pjsim::cli {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // the simulation or an output step failed
inline constexpr int kExitBadInput = 2;  // bad YAML, flag, trace or model config

struct Subcommand {
  const CommandSpec* spec;  // static, defined beside `run`
  // Called with the arguments parsed and checked by `spec` (never for --help).
  std::function<int(const ParsedArgs& args)> run;
};

// All subcommands, in the order `pjsim --help` lists them.
const std::vector<Subcommand>& Subcommands();

// The CLI reference of every subcommand in Markdown (`pjsim help --markdown`): what README.md's
// CLI reference holds between its cli-reference markers (tools/update_cli_reference.sh).
std::string MarkdownReference();

int Main(int argc, char* argv[]);

}  // namespace pjsim::cli
