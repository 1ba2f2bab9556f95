#pragma once
// Names users give in sweep specs and claim files (derived columns, runs, values), and the hint
// an unknown name's error carries.
#include <string>
#include <vector>

namespace pjsim::sweep {

// A letter or '_' followed by letters, digits and '_' (a name an expression can refer to).
bool IsIdentifier(const std::string& name);

// " (did you mean 'X'?)" for the closest of `candidates`, or "" when none is close.
std::string DidYouMeanHint(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace pjsim::sweep
