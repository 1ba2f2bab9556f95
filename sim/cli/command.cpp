#include "sim/cli/command.h"

#include <cstdio>
#include <exception>
#include <iostream>
#include <sstream>

#include "sim/cli/help_text.h"
#include "sim/config/config_error.h"
#include "sim/config/printable.h"
#include "sim/config/yaml_reader.h"
#include "sim/sweep/build_fingerprint.h"

namespace pjsim::cli {

namespace {

constexpr const char* kExitCodes =
    "exit codes: 0 ok, 1 simulation or output failure, 2 bad input (message names "
    "file:line:col)\n";

void PrintUsage(std::ostream& out) {
  out << "pjsim " << PJSIM_VERSION
      << " - time and energy of LLM layers on simulated accelerators\n\n"
         "usage: pjsim <command> [options]   (pjsim <command> --help for its options)\n"
         "       pjsim help [COMMAND | --markdown]   (--markdown: the README's CLI reference)\n\n"
         "commands:\n";
  for (const auto& c : Subcommands()) {
    const std::string& name = c.spec->name;
    out << "  " << name << std::string(name.size() < 12 ? 12 - name.size() : 1, ' ')
        << c.spec->summary << "\n";
  }
  out << "\n" << kExitCodes;
}

const Subcommand* Find(const std::string& name) {
  for (const auto& c : Subcommands()) {
    if (c.spec->name == name) return &c;
  }
  return nullptr;
}

int UnknownCommand(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& c : Subcommands()) names.push_back(c.spec->name);
  const std::string guess = name.size() < 3 ? "" : DidYouMean(name, names);
  std::cerr << "pjsim: error: unknown command '" << PrintableToken(name) << "' "
            << (guess.empty() ? "(see pjsim --help)" : "(did you mean '" + guess + "'?)") << "\n";
  return kExitBadInput;
}

// `pjsim help`, `pjsim help COMMAND`, `pjsim help --markdown`.
int Help(const std::vector<std::string>& args) {
  if (args.size() <= 1) {
    PrintUsage(std::cout);
    return kExitOk;
  }
  if (args.size() == 2 && args[1] == "--markdown") {
    std::cout << MarkdownReference();
    return kExitOk;
  }
  if (args.size() == 2 && args[1][0] != '-') {
    const Subcommand* c = Find(args[1]);
    if (!c) return UnknownCommand(args[1]);
    std::cout << HelpText(*c->spec);
    return kExitOk;
  }
  std::cerr << "pjsim help: error: expected COMMAND or --markdown, got '" << PrintableToken(args[1])
            << "'" << (args.size() > 2 ? " and more" : "") << "\n";
  return kExitBadInput;
}

}  // namespace

std::string MarkdownReference() {
  std::ostringstream out;
  out << "### Commands\n\n"
         "`pjsim --help` lists the commands, `pjsim COMMAND --help` (or `pjsim help COMMAND`) "
         "prints what this section says of one, and `pjsim help --markdown` this whole section. "
         "Every flag is written `--name value` or `--name=value`; an unknown flag is an error "
         "naming the closest known one.\n\n"
         "| command | what it does |\n|---|---|\n";
  for (const auto& c : Subcommands()) {
    out << "| [`" << c.spec->name << "`](#pjsim-" << c.spec->name << ") | " << c.spec->summary
        << " |\n";
  }
  for (const auto& c : Subcommands()) out << "\n" << MarkdownHelp(*c.spec);
  return out.str();
}

int Main(int argc, char* argv[]) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    PrintUsage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? kExitBadInput : kExitOk;
  }
  if (args[0] == "help") return Help(args);
  if (args[0] == "--version") {
    std::cout << "pjsim " << PJSIM_VERSION << " (build " << sweep::ThisBuildFingerprint() << ")\n";
    return kExitOk;
  }
  const Subcommand* c = Find(args[0]);
  if (!c) return UnknownCommand(args[0]);
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    const ParsedArgs parsed = ParseArgs(*c->spec, rest);
    if (parsed.help) {
      std::cout << HelpText(*c->spec);
      return kExitOk;
    }
    CheckRequired(*c->spec, parsed);
    return c->run(parsed);
  } catch (const ConfigError& e) {
    std::cerr << "pjsim " << c->spec->name << ": error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "pjsim " << c->spec->name << ": error: " << PrintableLine(e.what(), 4096) << "\n";
    return kExitFailure;
  }
}

}  // namespace pjsim::cli
