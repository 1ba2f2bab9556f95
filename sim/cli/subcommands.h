#pragma once
// Registration list: one factory per subcommand file. Adding a subcommand = one new file
// plus one line in subcommands.cpp.
#include <vector>

#include "sim/cli/command.h"

namespace pjsim::cli {

Subcommand RunSubcommand();
Subcommand ValidateSubcommand();

std::vector<Subcommand> AllSubcommands();

}  // namespace pjsim::cli
