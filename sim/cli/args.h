#pragma once
// The command-line parser, driven by a subcommand's declaration (command_spec.h): "--name value"
// or "--name=value", a flag's alias (-o for --out), repeatable flags, positional arguments.
// Unknown flags (with the closest declared one suggested), missing values, a flag given twice,
// missing required flags and positionals are ConfigErrors (exit code 2).
#include <map>
#include <string>
#include <vector>

#include "sim/cli/command_spec.h"
#include "sim/config/config_error.h"  // ParseArgs throws ConfigError

namespace pjsim::cli {

class ParsedArgs {
 public:
  explicit ParsedArgs(const CommandSpec& spec) : spec_(&spec) {}

  // By a flag's declared name or alias, without dashes. Asking for an undeclared flag is a
  // programming error (std::logic_error): every flag a command reads is in its declaration.
  bool Has(const std::string& name) const;
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  const std::vector<std::string>& All(const std::string& name) const;

  bool help = false;  // -h or --help was given
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> flags;  // by declared name

 private:
  const std::string& Declared(const std::string& name) const;
  const CommandSpec* spec_;
};

// Reads `args` by `spec`'s flags; every command also takes -h and --help. Checks nothing that
// --help should not be refused for: CheckRequired does that.
ParsedArgs ParseArgs(const CommandSpec& spec, const std::vector<std::string>& args);

// The declaration's counts: positionals (too many, or a required one missing) and required flags.
void CheckRequired(const CommandSpec& spec, const ParsedArgs& args);

// The closest declared flag to an unknown `word` (without dashes), written with its dashes, or ""
// when none is close (edit distance, or a unique prefix of at least three letters).
std::string SuggestFlag(const CommandSpec& spec, const std::string& word);

// The value of `--FLAG` as an int >= 1 (e.g. -j); anything else is a ConfigError naming the flag.
int ParsePositiveInt(const std::string& flag, const std::string& text);

}  // namespace pjsim::cli
