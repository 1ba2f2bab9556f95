#pragma once
// Elementwise functions run by a tile's vector unit, and the arithmetic each costs per element.
// Counts follow the textbook formulas (e.g. SiLU = x / (1 + exp(-x)): one exp, one add, one div);
// the ops are priced by name from the technology table ("fp16_exp", ...). Adding a function is one
// entry in the table in elementwise_function.cpp.
#include <string>
#include <utility>
#include <vector>

namespace pjsim {

struct ElementwiseFunction {
  std::string name;
  int inputs = 1;  // tensors read per output element (2 for residual add / gating multiply)
  // (op suffix, count) per element; the op name is "<vector dtype>_<suffix>", e.g. fp16_exp.
  std::vector<std::pair<std::string, int>> ops;
};

const std::vector<ElementwiseFunction>& ElementwiseFunctions();
std::vector<std::string> ElementwiseFunctionNames();
const ElementwiseFunction& FindElementwiseFunction(const std::string& name);

}  // namespace pjsim
