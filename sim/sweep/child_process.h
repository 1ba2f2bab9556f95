#pragma once
// Starting one design point's `pjsim run` as a child process. The child dies with the sweep
// (PR_SET_PDEATHSIG), so killing the sweep runner, even with SIGKILL, leaves no orphan behind to
// race a resumed sweep.
#include <signal.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace pjsim::sweep {

struct ChildCommand {
  std::string executable;         // absolute path
  std::vector<std::string> args;  // argv[1..]
  std::string cwd;                // working directory ("" = inherit)
  std::string output_path;        // receives the child's stdout and stderr
};

// Forks and execs. `child_mask` is the signal mask the child starts with (the runner blocks
// SIGCHLD and friends for itself only). Throws std::runtime_error if fork fails; an exec failure
// shows up as exit status 127 with the reason in the output file.
pid_t StartChild(const ChildCommand& command, const sigset_t& child_mask);

// How a wait status reads in an error message ("exit status 3", "killed by signal 11 (...)").
std::string DescribeWaitStatus(int status);

// The path of the running executable (/proc/self/exe), for re-invoking pjsim.
std::string SelfExecutable();

}  // namespace pjsim::sweep
