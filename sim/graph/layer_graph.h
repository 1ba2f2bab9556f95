#pragma once
// A workload as a DAG of layers (Boost.Graph adjacency_list). Construction validates: names are
// unique, every input names a layer, no cycles (the error names the ops on the cycle), and each
// producer's output shape equals what its consumer reads (the error names both ends). A layer's
// `after` names layers it must wait for without reading their output (e.g. MoE experts wait for
// the router's decisions); they order the graph but carry no tensor.
#include <string>
#include <vector>

#include "sim/graph/layer.h"

namespace pjsim {

class LayerGraph {
 public:
  explicit LayerGraph(std::vector<Layer> layers);

  const std::vector<Layer>& layers() const { return layers_; }
  // Layer indices in an order where every producer precedes its consumers (stable: ties keep
  // file order).
  const std::vector<int>& topological_order() const { return order_; }
  // Layers whose outputs this layer reads, in input order.
  const std::vector<int>& producers(int layer) const {
    return producers_[static_cast<size_t>(layer)];
  }
  // Layers that must finish before this one starts: its producers and its `after` layers.
  const std::vector<int>& predecessors(int layer) const {
    return predecessors_[static_cast<size_t>(layer)];
  }

 private:
  std::vector<Layer> layers_;
  std::vector<std::vector<int>> producers_;
  std::vector<std::vector<int>> predecessors_;
  std::vector<int> order_;
};

}  // namespace pjsim
