#pragma once
// What a ConfigError thrown by `f` says ("<no error>" if it throws none): tests compare the exact
// one-line message a user sees, file:line:col included.
#include <string>

#include "sim/config/config_error.h"

namespace pjsim::test {

template <class F>
std::string ErrorOf(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "<no error>";
}

}  // namespace pjsim::test
