#pragma once
// Rolls a workload's layers up by what they do in the model (q/k/v/o projections, attention
// scores and context, FFN gate/up/down, norms, router, experts, state-space projections, scan and
// convolution, LM head...), for ops.csv and the terminal summary. The group comes from the layer's
// op kind and its place in the graph (which operand of an attention op it feeds, what feeds it),
// never from its name, so it holds for any model the importer writes and for hand-written graphs
// alike.
#include <string>
#include <vector>

#include "sim/graph/layer_graph.h"

namespace pjsim {

// One group name per layer, indexed like graph.layers(). Layers with no recognised role are
// grouped by op kind (and arithmetic or function), e.g. "linear" or "elementwise:gelu".
std::vector<std::string> OpGroups(const LayerGraph& graph);

}  // namespace pjsim
