#include "sim/sweep/spec_names.h"

#include <cctype>

#include "sim/config/yaml_reader.h"

namespace pjsim::sweep {

bool IsIdentifier(const std::string& name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
    return false;
  }
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

std::string DidYouMeanHint(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string guess = DidYouMean(word, candidates);
  return guess.empty() ? "" : " (did you mean '" + guess + "'?)";
}

}  // namespace pjsim::sweep
