#include "sim/sweep/child_process.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace pjsim::sweep {
namespace {

// Async-signal-safe write of a message to fd 2 (between fork and exec only such calls are safe).
void WriteError(const char* a, const char* b, const char* c) {
  for (const char* s : {a, b, c}) {
    const size_t n = std::strlen(s);
    if (::write(2, s, n) < 0) return;
  }
  if (::write(2, "\n", 1) < 0) return;
}

}  // namespace

pid_t StartChild(const ChildCommand& command, const sigset_t& child_mask) {
  // Everything the child needs is prepared before fork.
  std::vector<std::string> argv_storage;
  argv_storage.push_back(command.executable);
  argv_storage.insert(argv_storage.end(), command.args.begin(), command.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0)
    throw std::runtime_error(std::string("cannot start a child process: ") + std::strerror(errno));
  if (pid > 0) return pid;

  // Child.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
  const int out = ::open(command.output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out >= 0) {
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::close(out);
  }
  const int null_in = ::open("/dev/null", O_RDONLY);
  if (null_in >= 0) {
    ::dup2(null_in, 0);
    ::close(null_in);
  }
  if (!command.cwd.empty() && ::chdir(command.cwd.c_str()) != 0) {
    WriteError("cannot change to directory ", command.cwd.c_str(), "");
    ::_exit(127);
  }
  ::sigprocmask(SIG_SETMASK, &child_mask, nullptr);
  ::execv(argv[0], argv.data());
  WriteError("cannot run ", argv[0], ": exec failed");
  ::_exit(127);
}

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = ::strsignal(sig);
    return "killed by signal " + std::to_string(sig) + (name ? std::string(" (") + name + ")" : "");
  }
  return "wait status " + std::to_string(status);
}

std::string SelfExecutable() {
  std::error_code ec;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec)
    throw std::runtime_error("cannot find the pjsim executable (/proc/self/exe): " + ec.message());
  return path.string();
}

}  // namespace pjsim::sweep
