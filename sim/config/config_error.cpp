#include "sim/config/config_error.h"

namespace pjsim {

std::string SourceLocation::ToString() const {
  std::string s = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  return s;
}

ConfigError::ConfigError(SourceLocation where, const std::string& message)
    : std::runtime_error(where.ToString() + ": " + message),
      where_(std::move(where)),
      message_(message) {}

}  // namespace pjsim
