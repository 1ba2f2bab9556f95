#pragma once
// Flag parsing shared by the subcommands: "--name value" or "--name=value", repeatable flags,
// positional arguments. Unknown flags and missing values are ConfigErrors (exit code 2).
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "sim/config/config_error.h"  // ParseArgs throws ConfigError

namespace pjsim::cli {

struct FlagSpec {
  std::string name;  // without dashes
  bool takes_value = true;
  bool repeatable = false;
};

struct ParsedArgs {
  std::map<std::string, std::vector<std::string>> flags;
  std::vector<std::string> positional;

  bool Has(const std::string& name) const { return flags.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  const std::vector<std::string>& All(const std::string& name) const;
};

ParsedArgs ParseArgs(const std::string& command, const std::vector<std::string>& args,
                     const std::vector<FlagSpec>& specs);

// For commands that take only flags: throws a located error for a positional argument or for a
// missing one of `required` (naming `pjsim COMMAND --help`).
void RequireFlagsOnly(const ParsedArgs& args, const std::string& command,
                      std::initializer_list<const char*> required);

// The value of `--FLAG` as an int >= 1 (e.g. -j); anything else is a ConfigError naming the flag.
int ParsePositiveInt(const std::string& flag, const std::string& text);

}  // namespace pjsim::cli
