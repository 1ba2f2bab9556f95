#pragma once
// Flags several subcommands declare alike (command_spec.h): the run inputs that `pjsim run`,
// `pjsim map` and `pjsim area` take the same way. Functions, so that a declaration at namespace
// scope in another file never reads one before it is initialized.
#include "sim/cli/command_spec.h"

namespace pjsim::cli {

inline FlagSpec ArchFlag() {
  return {.name = "arch",
          .value = "FILE",
          .help = "architecture (configs/arch/*.yaml)",
          .required = true};
}

inline FlagSpec WorkloadFlag() {
  return {.name = "workload",
          .value = "FILE",
          .help = "layer graph (workloads/*.yaml)",
          .required = true};
}

// `also` completes the help: what the command needs of the table.
inline FlagSpec TechFlag(const std::string& also = "") {
  return {.name = "tech",
          .value = "FILE",
          .help = "technology table" + also +
                  "; default: the file named by the architecture's 'tech' key (relative to it)"};
}

}  // namespace pjsim::cli
