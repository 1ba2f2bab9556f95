#pragma once
// Finds a file pjsim ships (configs/...) for a command given only its name: in the current
// directory, then in the directories above the pjsim executable, where the source tree holds the
// build tree (build/pjsim) or an install prefix holds share/pjsim.
#include <filesystem>
#include <optional>
#include <string>

namespace pjsim::cli {

// The first existing regular file among ./RELATIVE and DIR/RELATIVE for each directory DIR above
// the executable; nothing if none exists.
std::optional<std::string> FindShippedFile(const std::filesystem::path& relative);

}  // namespace pjsim::cli
