#pragma once
// Where a command may write its results (`run --out`, `sweep --out`). pjsim writes only files
// of its own names there and a sweep cleans its own scratch files, so a directory that holds a
// user's files is refused before anything is created, written or removed: a mistyped --out
// must never cost anyone a file.
#include <filesystem>
#include <set>
#include <string>

namespace pjsim::sweep {

// Throws ConfigError (naming `flag`) when `dir` is the root directory, the home directory
// ($HOME), or exists and is not a directory. `dir` may not exist yet.
void RefuseSystemDirectory(const std::filesystem::path& dir, const std::string& flag);

// Throws ConfigError (naming `flag`) unless `dir` is absent, empty, holds `marker` (the file
// that identifies the command's own output), or holds only entries named in `own` and their
// interrupted atomic writes ("NAME.tmp.PID"). `own` entries that are directories must be empty
// unless `marker` is present. Implies RefuseSystemDirectory.
void RequireOwnOrEmptyDirectory(const std::filesystem::path& dir, const std::string& flag,
                                const std::string& marker, const std::set<std::string>& own);

}  // namespace pjsim::sweep
