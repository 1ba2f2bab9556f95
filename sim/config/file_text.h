#pragma once
// Reads a whole input file (config, workload, trace) into memory. A missing file, a directory or
// an unreadable file is a ConfigError naming the path, so every input reports it the same way.
#include <string>

namespace pjsim {

std::string ReadInputFile(const std::string& path);

}  // namespace pjsim
