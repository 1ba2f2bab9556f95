#pragma once
// A workload file (workloads/*.yaml): a named list of layers forming a DAG.
#include <memory>
#include <string>

#include "sim/graph/layer_graph.h"

namespace pjsim {

class ConfigMap;

struct Workload {
  std::string file;
  std::string name;
  std::shared_ptr<const LayerGraph> graph;
};

// Reads `name` and `layers`. A layer's `inputs` defaults to the layer before it (a chain);
// `inputs: []` makes it read a workload input from DRAM.
Workload ReadWorkload(ConfigMap root);

}  // namespace pjsim
