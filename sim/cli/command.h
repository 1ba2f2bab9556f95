#pragma once
// Subcommand dispatch for the pjsim CLI. Each subcommand lives in its own file and registers here.
#include <functional>
#include <string>
#include <vector>

namespace pjsim::cli {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // the simulation or an output step failed
inline constexpr int kExitBadInput = 2;  // bad YAML, flag, trace or model config

struct Subcommand {
  std::string name;
  std::string summary;  // one line for `pjsim --help`
  std::function<int(const std::vector<std::string>& args)> run;
};

// All subcommands, in the order `pjsim --help` lists them.
const std::vector<Subcommand>& Subcommands();

int Main(int argc, char* argv[]);

}  // namespace pjsim::cli
