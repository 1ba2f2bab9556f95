#pragma once
// What a subcommand's declaration (command_spec.h) prints: `pjsim CMD --help` for the terminal
// and the Markdown section of the README's CLI reference (`pjsim help --markdown`).
#include <string>
#include <vector>

#include "sim/cli/command_spec.h"

namespace pjsim::cli {

inline constexpr size_t kHelpWidth = 100;  // columns of the help text

// "-o, --out FILE" or "--layers": a flag as its help lists it.
std::string FlagLabel(const FlagSpec& flag);

// usage, description, aligned list of positionals and flags, notes, exit codes.
std::string HelpText(const CommandSpec& spec);

// The same content as Markdown: a heading, the usage in a code block, the description, a table
// of positionals and flags, the notes and the exit codes.
std::string MarkdownHelp(const CommandSpec& spec);

// `text`'s words filled into lines of at most `width` columns (a word longer than a line gets a
// line of its own).
std::vector<std::string> Reflow(const std::string& text, size_t width);

}  // namespace pjsim::cli
