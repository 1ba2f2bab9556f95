#pragma once
// Fields of line-oriented input files of other simulators (INI, CSV, BookSim configurations):
// their readers strip spaces, tabs and the CR of CRLF line ends, and match some names in any case.
#include <cctype>
#include <string>
#include <string_view>

namespace pjsim {

inline std::string Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

// ASCII lower case (configparser folds option names so; SCALE-Sim compares some values so).
inline std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace pjsim
