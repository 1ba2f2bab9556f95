#include "sim/graph/layer_graph.h"

#include <algorithm>
#include <boost/config.hpp>  // must precede other Boost.Graph headers (Boost 1.74 quirk)
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/topological_sort.hpp>
#include <functional>
#include <map>

namespace pjsim {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// Finds one cycle by DFS and returns its layer names in order, for the error message.
std::vector<std::string> FindCycle(const std::vector<Layer>& layers,
                                   const std::vector<std::vector<int>>& consumers) {
  std::vector<int> state(layers.size(), 0), parent(layers.size(), -1);
  std::vector<std::string> cycle;
  std::function<bool(int)> dfs = [&](int v) {
    state[static_cast<size_t>(v)] = 1;
    for (int w : consumers[static_cast<size_t>(v)]) {
      if (state[static_cast<size_t>(w)] == 1) {
        for (int x = v; x != w && x >= 0; x = parent[static_cast<size_t>(x)]) {
          cycle.push_back(layers[static_cast<size_t>(x)].name);
        }
        cycle.push_back(layers[static_cast<size_t>(w)].name);
        std::reverse(cycle.begin(), cycle.end());
        return true;
      }
      if (state[static_cast<size_t>(w)] == 0) {
        parent[static_cast<size_t>(w)] = v;
        if (dfs(w)) return true;
      }
    }
    state[static_cast<size_t>(v)] = 2;
    return false;
  };
  for (size_t v = 0; v < layers.size() && cycle.empty(); ++v) {
    if (state[v] == 0) dfs(static_cast<int>(v));
  }
  return cycle;
}

}  // namespace

LayerGraph::LayerGraph(std::vector<Layer> layers) : layers_(std::move(layers)) {
  std::map<std::string, int> index;
  for (size_t i = 0; i < layers_.size(); ++i) {
    if (!index.emplace(layers_[i].name, static_cast<int>(i)).second) {
      throw ConfigError(layers_[i].where, "duplicate layer name '" + layers_[i].name + "'");
    }
  }
  producers_.assign(layers_.size(), {});
  std::vector<std::vector<int>> consumers(layers_.size());
  Graph g(layers_.size());
  for (size_t i = 0; i < layers_.size(); ++i) {
    const Layer& consumer = layers_[i];
    if (static_cast<int>(consumer.inputs.size()) > consumer.Arity()) {
      throw ConfigError(consumer.where, "layer '" + consumer.name + "' (" +
                                            OpKindName(consumer.kind) + ") takes at most " +
                                            std::to_string(consumer.Arity()) + " input(s)");
    }
    for (size_t input = 0; input < consumer.inputs.size(); ++input) {
      const std::string& in = consumer.inputs[input];
      auto it = index.find(in);
      if (it == index.end()) {
        throw ConfigError(consumer.where,
                          "layer '" + consumer.name + "' reads from unknown layer '" + in + "'");
      }
      const Layer& producer = layers_[static_cast<size_t>(it->second)];
      const TensorShape expected = consumer.InputShape(static_cast<int>(input));
      if (!(producer.OutputShape() == expected)) {
        throw ConfigError(consumer.where, "shape mismatch: '" + producer.name + "' produces " +
                                              producer.OutputShape().ToString() + " but '" +
                                              consumer.name + "' reads " + expected.ToString() +
                                              " as input " + std::to_string(input));
      }
      producers_[i].push_back(it->second);
      consumers[static_cast<size_t>(it->second)].push_back(static_cast<int>(i));
      boost::add_edge(static_cast<size_t>(it->second), i, g);
    }
    predecessors_.push_back(producers_[i]);
    for (const std::string& name : consumer.after) {
      auto it = index.find(name);
      if (it == index.end()) {
        throw ConfigError(consumer.where,
                          "layer '" + consumer.name + "' runs after unknown layer '" + name + "'");
      }
      predecessors_[i].push_back(it->second);
      consumers[static_cast<size_t>(it->second)].push_back(static_cast<int>(i));
      boost::add_edge(static_cast<size_t>(it->second), i, g);
    }
  }
  std::vector<size_t> reversed;
  try {
    boost::topological_sort(g, std::back_inserter(reversed));
  } catch (const boost::not_a_dag&) {
    std::string names;
    for (const auto& n : FindCycle(layers_, consumers)) names += (names.empty() ? "" : " -> ") + n;
    throw ConfigError(layers_.front().where, "the layer graph has a cycle: " + names);
  }
  // Boost's order depends on DFS details; recompute a stable order (file order among ready
  // layers) so reports list layers predictably. Boost has already proven the graph acyclic.
  std::vector<int> pending(layers_.size());
  for (size_t i = 0; i < layers_.size(); ++i)
    pending[i] = static_cast<int>(predecessors_[i].size());
  std::vector<bool> done(layers_.size(), false);
  while (order_.size() < layers_.size()) {
    for (size_t i = 0; i < layers_.size(); ++i) {
      if (done[i] || pending[i] != 0) continue;
      done[i] = true;
      order_.push_back(static_cast<int>(i));
      for (int c : consumers[i]) --pending[static_cast<size_t>(c)];
      break;
    }
  }
}

}  // namespace pjsim
