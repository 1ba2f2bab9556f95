#include "sim/cli/subcommands.h"

namespace pjsim::cli {

std::vector<Subcommand> AllSubcommands() {
  return {
      RunSubcommand(),
      ValidateSubcommand(),
  };
}

}  // namespace pjsim::cli
