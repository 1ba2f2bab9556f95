#include "sim/config/file_text.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/config/config_error.h"

namespace pjsim {

std::string ReadInputFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw ConfigError({path, 0, 0},
                      std::filesystem::exists(path, ec) ? "not a regular file" : "no such file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({path, 0, 0}, "cannot open file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace pjsim
