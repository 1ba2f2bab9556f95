#pragma once
// Writes a whole file or nothing: the text goes to a temporary file in the same directory, is
// flushed and fsync'ed, then renamed over the target. A killed run never leaves half a report.
#include <string>

namespace pjsim {

// Throws std::runtime_error naming the path on failure.
void WriteFileAtomically(const std::string& path, const std::string& contents);

}  // namespace pjsim
