#pragma once
// The one declaration of a subcommand's command line: its usage lines, description, positional
// arguments and flags, each flag with its names, value placeholder, whether it repeats or is
// required, and its help text. The parser (args.h), `pjsim CMD --help` and the README's CLI
// reference (`pjsim help --markdown`, help_text.h) are all made from it, so they cannot disagree.
#include <string>
#include <vector>

namespace pjsim::cli {

struct FlagSpec {
  std::string name{};   // without dashes: "out" (--out), or one letter: "j" (-j)
  std::string alias{};  // another name of the same flag, without dashes ("o" for --out); optional
  std::string value{};  // placeholder of its value ("DIR"); empty: a switch that takes no value
  std::string help{};   // prose, reflowed to the terminal's column
  bool repeatable = false;
  bool required = false;
  bool hidden = false;  // internal (what pjsim passes to itself): parsed, left out of the help
};

struct PositionalSpec {
  std::string name{};  // placeholder: "CONFIG.json"
  std::string noun{};  // for "missing the sweep spec SPEC.yaml"
  std::string help{};
  bool required = false;
  bool repeatable = false;
};

// Every member has an initializer, so a declaration names only the fields it sets.
// Text fields are paragraphs separated by blank lines; a paragraph is reflowed, except one whose
// lines start with two spaces (a list or table), which is kept as it is.
struct CommandSpec {
  std::string name{};                // "run", as typed after pjsim
  std::string summary{};             // one line for `pjsim --help`
  std::vector<std::string> usage{};  // synopses without "pjsim NAME", one per form
  std::string description{};         // after the usage
  std::vector<PositionalSpec> positionals{};
  std::vector<FlagSpec> flags{};  // in the order the help lists them
  std::string notes{};            // after the flag list
  std::string exit_codes =
      "0 ok; 1 simulation or output failure; 2 bad input (file:line:col: "
      "message).";

  // The flag named `name` or aliased so (without dashes), or nullptr.
  const FlagSpec* FindFlag(const std::string& name) const;
};

// "--out" or "-j": how a flag name is written.
std::string Dashed(const std::string& name);

}  // namespace pjsim::cli
