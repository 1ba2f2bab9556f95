#include "sim/sweep/output_dir.h"

#include <cstdlib>
#include <system_error>

#include "sim/config/config_error.h"

namespace pjsim::sweep {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void Refuse(const fs::path& dir, const std::string& flag, const std::string& why) {
  throw ConfigError({"<command line>", 0, 0},
                    "--" + flag + " " + dir.string() + ": " + why + "; choose an empty or new " +
                        "directory (pjsim never writes beside or deletes a user's files)");
}

bool SameDirectory(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec) && !ec;
}

// "NAME.tmp.PID": a write of NAME that a kill interrupted (WriteFileAtomically).
bool IsTemporaryOf(const std::string& file, const std::set<std::string>& own) {
  const size_t at = file.find(".tmp.");
  return at != std::string::npos && own.count(file.substr(0, at)) > 0;
}

}  // namespace

void RefuseSystemDirectory(const fs::path& dir, const std::string& flag) {
  std::error_code ec;
  const fs::path abs = fs::absolute(dir, ec).lexically_normal();
  if (abs == abs.root_path() || SameDirectory(dir, "/")) Refuse(dir, flag, "is the root directory");
  if (const char* home = std::getenv("HOME"); home && *home && SameDirectory(dir, home)) {
    Refuse(dir, flag, "is the home directory");
  }
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) Refuse(dir, flag, "is not a directory");
}

void RequireOwnOrEmptyDirectory(const fs::path& dir, const std::string& flag,
                                const std::string& marker, const std::set<std::string>& own) {
  RefuseSystemDirectory(dir, flag);
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  if (fs::exists(dir / marker, ec)) return;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const bool empty_dir = entry.is_directory(ec) && fs::is_empty(entry.path(), ec);
    const bool ours =
        (own.count(name) && (!entry.is_directory(ec) || empty_dir)) || IsTemporaryOf(name, own);
    if (!ours) Refuse(dir, flag, "holds '" + name + "', which pjsim did not write there");
  }
  if (ec) Refuse(dir, flag, "cannot be read: " + ec.message());
}

}  // namespace pjsim::sweep
