#include "sim/cli/command_spec.h"

namespace pjsim::cli {

const FlagSpec* CommandSpec::FindFlag(const std::string& flag) const {
  for (const FlagSpec& f : flags) {
    if (f.name == flag || (!f.alias.empty() && f.alias == flag)) return &f;
  }
  return nullptr;
}

std::string Dashed(const std::string& name) { return (name.size() == 1 ? "-" : "--") + name; }

}  // namespace pjsim::cli
