#pragma once
// Runs a short-lived external command (sbatch, squeue, scancel) found on PATH and captures what
// it printed, so that its answer (a job id) and its complaint (a rejected submission) can be read
// and passed on in one line.
#include <string>
#include <vector>

namespace pjsim::sweep {

struct ToolResult {
  bool found = true;    // false: the command is not on PATH (or cannot be executed)
  int exit_status = 0;  // the exit code; 128 + signal when killed by one
  std::string out, err;
};

// `argv[0]` is looked up on PATH. Standard input is /dev/null. Throws std::runtime_error only
// when no process can be started at all.
ToolResult RunTool(const std::vector<std::string>& argv);

// Whether an executable `name` is on PATH.
bool OnPath(const std::string& name);

// The first non-empty line of `text`, trimmed.
std::string FirstLine(const std::string& text);

}  // namespace pjsim::sweep
