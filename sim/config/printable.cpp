#include "sim/config/printable.h"

#include <cstdio>

namespace pjsim {
namespace {

// Control bytes as \xNN; for a token also bytes >= 0x80 (binary junk or not) and backslashes, so
// the echo is unambiguous.
std::string Escape(std::string_view text, size_t max, bool token) {
  std::string out;
  const size_t shown = text.size() > max ? max : text.size();
  for (size_t i = 0; i < shown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f || (token && (c >= 0x80 || c == '\\'))) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += c == '\\' ? "\\\\" : hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (shown < text.size()) out += "...(" + std::to_string(text.size()) + " bytes)";
  return out;
}

}  // namespace

std::string PrintableToken(std::string_view text, size_t max) { return Escape(text, max, true); }

std::string PrintableLine(std::string_view text, size_t max) { return Escape(text, max, false); }

}  // namespace pjsim
