#pragma once
// Elementwise functions run by a tile's vector unit, and the arithmetic each costs per element.
// Counts follow the textbook formulas (e.g. SiLU = x / (1 + exp(-x)): one exp, one add, one div);
// the ops are priced by name from the technology table ("fp16_exp", ...). Adding a function is one
// entry in the table in elementwise_function.cpp.
#include <string>
#include <utility>
#include <vector>

#include "sim/graph/dtype.h"

namespace pjsim {

struct ElementwiseFunction {
  std::string name;
  int inputs = 1;  // tensors read per output element (2 for residual add / gating multiply)
  // (op suffix, count) per element; the op name is "<vector dtype>_<suffix>", e.g. fp16_exp.
  std::vector<std::pair<std::string, int>> ops;
  // (op suffix, count) per row of the tensor (reductions' final steps, e.g. a norm's rsqrt).
  std::vector<std::pair<std::string, int>> per_row_ops = {};
  // Reads a gain vector of one row's length (norms).
  bool has_gain = false;
  // (op suffix, count) per step of each element's inner loop, which runs Layer::inner times per
  // element: a causal convolution's taps, a selective scan's states (sim/graph/layer.h).
  std::vector<std::pair<std::string, int>> inner_ops = {};
};

const std::vector<ElementwiseFunction>& ElementwiseFunctions();
// Vector units compute in floating point: int8 activations are processed as fp16 (their
// dequantize/requantize multiplies are not counted); other types as themselves.
std::string VectorDTypePrefix(DType activation);
std::vector<std::string> ElementwiseFunctionNames();
const ElementwiseFunction& FindElementwiseFunction(const std::string& name);

}  // namespace pjsim
