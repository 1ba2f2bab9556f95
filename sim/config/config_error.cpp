#include "sim/config/config_error.h"

#include "sim/config/printable.h"

namespace pjsim {
namespace {

// Long enough for any message pjsim composes (a did-you-mean with a list of choices).
constexpr size_t kMaxMessage = 4096;

}  // namespace

std::string SourceLocation::ToString() const {
  std::string s = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  return s;
}

// A message is one printable line whatever a caller put in it (an echoed line of a binary file).
ConfigError::ConfigError(SourceLocation where, const std::string& message)
    : std::runtime_error(PrintableLine(where.ToString() + ": " + message, kMaxMessage)),
      where_(std::move(where)),
      message_(message) {}

}  // namespace pjsim
