#pragma once
// Self-registration of subcommands: each subcommand file defines one SubcommandRegistrar at
// namespace scope, so adding a subcommand is one new file and nothing else. pjsim_cli is an
// OBJECT library so that every registrar is linked in.
#include <vector>

#include "sim/cli/command.h"

namespace pjsim::cli {

struct SubcommandRegistrar {
  // `order` sorts `pjsim --help` (lower first; equal orders by name).
  SubcommandRegistrar(int order, Subcommand subcommand);
};

}  // namespace pjsim::cli
