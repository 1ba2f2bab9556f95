#include "sim/graph/elementwise_function.h"

#include <stdexcept>

namespace pjsim {

const std::vector<ElementwiseFunction>& ElementwiseFunctions() {
  static const std::vector<ElementwiseFunction> table = {
      {"relu", 1, {{"cmp", 1}}},
      {"relu2", 1, {{"cmp", 1}, {"mult", 1}}},                       // squared ReLU (BitNet)
      {"silu", 1, {{"exp", 1}, {"add", 1}, {"div", 1}}},             // x / (1 + e^-x)
      {"gelu", 1, {{"mult", 5}, {"add", 2}, {"exp", 1}, {"div", 1}}},  // tanh approximation
      {"add", 2, {{"add", 1}}},                                      // residual add
      {"mul", 2, {{"mult", 1}}},                                     // gating product
  };
  return table;
}

std::vector<std::string> ElementwiseFunctionNames() {
  std::vector<std::string> names;
  for (const auto& f : ElementwiseFunctions()) names.push_back(f.name);
  return names;
}

const ElementwiseFunction& FindElementwiseFunction(const std::string& name) {
  for (const auto& f : ElementwiseFunctions()) {
    if (f.name == name) return f;
  }
  throw std::out_of_range("unknown elementwise function '" + name + "'");
}

}  // namespace pjsim
