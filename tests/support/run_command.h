#pragma once
// Runs a shell command the way a user would and captures what it printed (stdout and stderr)
// and its exit code, for end-to-end tests of the pjsim executable and the tool scripts.
#include <string>
#include <utility>

namespace pjsim::test {

struct CommandResult {
  int exit_code = -1;  // -1 if the command did not exit normally
  std::string output;
};

CommandResult RunCommand(const std::string& command);
// RunCommand(PjsimExecutable() + " " + args).
CommandResult RunPjsim(const std::string& args);
// RunPjsim as (exit code, output), for reassigning with std::tie.
std::pair<int, std::string> RunPjsimPair(const std::string& args);

// Expects `r` to be bad input as every tool reports it: exit status 2 and one line of output that
// starts with `prefix` (e.g. "prediction_survey.sh: "). `what` names the case in a failure.
void ExpectOneLineExitTwo(const CommandResult& r, const std::string& prefix,
                          const std::string& what);

}  // namespace pjsim::test
