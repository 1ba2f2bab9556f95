#include "sim/cli/command.h"

#include <cstdio>
#include <exception>
#include <iostream>

#include "sim/config/config_error.h"
#include "sim/config/printable.h"

namespace pjsim::cli {

namespace {

void PrintUsage(std::ostream& out) {
  out << "pjsim " << PJSIM_VERSION
      << " - time and energy of LLM layers on simulated accelerators\n\n"
         "usage: pjsim <command> [options]   (pjsim <command> --help for its options)\n\n"
         "commands:\n";
  for (const auto& c : Subcommands()) {
    out << "  " << c.name << std::string(c.name.size() < 12 ? 12 - c.name.size() : 1, ' ')
        << c.summary << "\n";
  }
  out << "\nexit codes: 0 ok, 1 simulation or output failure, 2 bad input (message names "
         "file:line:col)\n";
}

}  // namespace

int Main(int argc, char* argv[]) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? kExitBadInput : kExitOk;
  }
  if (args[0] == "--version") {
    std::cout << "pjsim " << PJSIM_VERSION << "\n";
    return kExitOk;
  }
  for (const auto& c : Subcommands()) {
    if (c.name != args[0]) continue;
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    try {
      return c.run(rest);
    } catch (const ConfigError& e) {
      std::cerr << "pjsim " << c.name << ": error: " << e.what() << "\n";
      return kExitBadInput;
    } catch (const std::exception& e) {
      std::cerr << "pjsim " << c.name << ": error: " << PrintableLine(e.what(), 4096) << "\n";
      return kExitFailure;
    }
  }
  std::cerr << "pjsim: error: unknown command '" << args[0] << "' (see pjsim --help)\n";
  return kExitBadInput;
}

}  // namespace pjsim::cli
