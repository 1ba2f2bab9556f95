#pragma once
// Blanks around a field of a line-oriented input file (INI, CSV, BookSim configurations): the
// readers of other simulators' files all strip spaces, tabs and the CR of CRLF line ends.
#include <string>
#include <string_view>

namespace pjsim {

inline std::string Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

}  // namespace pjsim
