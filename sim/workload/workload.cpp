#include "sim/workload/workload.h"

#include "sim/config/yaml_reader.h"
#include "sim/graph/arithmetic.h"
#include "sim/graph/elementwise_function.h"

#include <algorithm>

namespace pjsim {
namespace {

Layer ReadLayer(ConfigMap l) {
  Layer layer;
  layer.where = l.Where();
  layer.name = l.String("name");
  const std::string op = l.Choice("op", {"linear", "elementwise"});
  layer.m = l.Int("m");
  layer.n = l.Int("n");
  layer.dtype = ParseDType(l.Choice("dtype", DTypeNames()));
  if (op == "linear") {
    layer.kind = OpKind::kLinear;
    layer.k = l.Int("k");
    layer.arithmetic = l.ChoiceOr("arithmetic", DTypeName(layer.dtype), ArithmeticNames());
    const Arithmetic& a = FindArithmetic(layer.arithmetic);
    if (std::find(a.activations.begin(), a.activations.end(), layer.dtype) == a.activations.end()) {
      l.Fail("dtype", "arithmetic '" + a.name + "' does not take " + DTypeName(layer.dtype) +
                          " activations");
    }
    layer.weight_packing = l.ChoiceOr("weight_packing", a.packings.front(), a.packings);
    layer.weight_sparsity = l.NumberOr("weight_sparsity", a.default_sparsity, 0.0, 1.0);
  } else {
    layer.kind = OpKind::kElementwise;
    layer.function = l.Choice("function", ElementwiseFunctionNames());
  }
  return layer;
}

}  // namespace

Workload ReadWorkload(ConfigMap root) {
  Workload w;
  w.file = root.document().file();
  w.name = root.String("name");
  std::vector<Layer> layers;
  for (ConfigMap l : root.MapList("layers")) {
    Layer layer = ReadLayer(l);
    if (l.Has("inputs")) {
      layer.inputs = l.StringList("inputs");
    } else if (!layers.empty()) {
      layer.inputs = {layers.back().name};
    }
    const int arity = layer.kind == OpKind::kElementwise
                          ? FindElementwiseFunction(layer.function).inputs
                          : 1;
    if (static_cast<int>(layer.inputs.size()) > arity) {
      l.Fail("inputs", "op '" + layer.name + "' takes at most " + std::to_string(arity) +
                           " input(s)");
    }
    l.Finish();
    layers.push_back(std::move(layer));
  }
  if (layers.empty()) root.Fail("layers", "needs at least one layer");
  root.Finish();
  w.graph = std::make_shared<const LayerGraph>(std::move(layers));
  return w;
}

}  // namespace pjsim
