#include "sim/run/op_groups.h"

#include <algorithm>
#include <cstdint>

#include "sim/graph/elementwise_function.h"

namespace pjsim {
namespace {

struct Use {
  int layer;
  size_t slot;  // which of its inputs
};

bool IsTopK(const Layer& l) {
  return l.kind == OpKind::kElementwise && (l.function == "topk" || l.function == "topk_norm");
}

// A two-input elementwise op other than a sum: a gated activation f(gate) * up.
bool IsGatedActivation(const Layer& l) {
  return l.kind == OpKind::kElementwise && l.function != "add" &&
         FindElementwiseFunction(l.function).inputs == 2;
}

bool IsActivation(const Layer& l) {
  return l.kind == OpKind::kElementwise && l.function != "add" && !IsTopK(l);
}

class Classifier {
 public:
  explicit Classifier(const LayerGraph& g) : g_(g), uses_(g.layers().size()) {
    for (size_t c = 0; c < g.layers().size(); ++c) {
      const auto& producers = g.producers(static_cast<int>(c));
      for (size_t slot = 0; slot < producers.size(); ++slot) {
        uses_[static_cast<size_t>(producers[slot])].push_back({static_cast<int>(c), slot});
      }
    }
    for (const Layer& l : g.layers()) {
      if (l.kind == OpKind::kEmbedding) vocab_.push_back(l.k);
    }
  }

  std::string Group(int index) const {
    const Layer& l = At(index);
    switch (l.kind) {
      case OpKind::kEmbedding:
        return "embedding";
      case OpKind::kNorm:
        return "norm";
      case OpKind::kAttentionScores:
        return "attention_scores";
      case OpKind::kAttentionContext:
        return "attention_context";
      case OpKind::kSoftmax:
        if (FedBy(index, OpKind::kAttentionScores)) return "attention_softmax";
        return FeedsTopK(index) ? "router" : "softmax";
      case OpKind::kElementwise:
        return ElementwiseGroup(index);
      case OpKind::kLinear:
        return LinearGroup(index);
    }
    return OpKindName(l.kind);
  }

 private:
  const Layer& At(int index) const { return g_.layers()[static_cast<size_t>(index)]; }

  // The consumers of `index`'s output, looking through norms (q/k norms, sub-norms) that only
  // rescale a tensor on its way.
  std::vector<Use> Consumers(int index) const {
    std::vector<Use> out;
    for (const Use& u : uses_[static_cast<size_t>(index)]) {
      if (At(u.layer).kind == OpKind::kNorm) {
        const auto more = Consumers(u.layer);
        out.insert(out.end(), more.begin(), more.end());
      } else {
        out.push_back(u);
      }
    }
    return out;
  }

  // The producers of `index`'s inputs, looking through norms likewise.
  std::vector<int> Producers(int index) const {
    std::vector<int> out;
    for (int p : g_.producers(index)) {
      if (At(p).kind == OpKind::kNorm) {
        const auto more = Producers(p);
        out.insert(out.end(), more.begin(), more.end());
      } else {
        out.push_back(p);
      }
    }
    return out;
  }

  bool FedBy(int index, OpKind kind) const {
    const auto p = Producers(index);
    return std::any_of(p.begin(), p.end(), [&](int q) { return At(q).kind == kind; });
  }

  // Router scores: the op's output reaches a top-k selection through score functions.
  bool FeedsTopK(int index) const {
    for (const Use& u : Consumers(index)) {
      const Layer& c = At(u.layer);
      if (IsTopK(c)) return true;
      if ((c.kind == OpKind::kSoftmax || c.kind == OpKind::kElementwise) && FeedsTopK(u.layer))
        return true;
    }
    return false;
  }

  std::string ElementwiseGroup(int index) const {
    const Layer& l = At(index);
    if (IsTopK(l) || FeedsTopK(index)) return "router";
    if (l.expert.enabled()) return "expert_act";
    if (l.function == "add") {
      // The sum that waits for the experts gathers their outputs back into token order.
      for (int p : g_.predecessors(index)) {
        if (At(p).expert.enabled()) return "moe_combine";
      }
      return "residual_add";
    }
    if (IsGatedActivation(l) || FedBy(index, OpKind::kLinear)) return "ffn_act";
    return "elementwise:" + l.function;
  }

  std::string LinearGroup(int index) const {
    const Layer& l = At(index);
    const std::vector<Use> consumers = Consumers(index);
    std::string role;
    for (const Use& u : consumers) {
      const Layer& c = At(u.layer);
      if (c.kind == OpKind::kAttentionScores) role = u.slot == 0 ? "q_proj" : "k_proj";
      if (c.kind == OpKind::kAttentionContext && u.slot == 1) role = "v_proj";
      if (IsGatedActivation(c)) role = u.slot == 0 ? "ffn_gate" : "ffn_up";
      if (!role.empty()) break;
    }
    if (role.empty() && FedBy(index, OpKind::kAttentionContext)) role = "o_proj";
    if (role.empty()) {
      for (int p : Producers(index)) {
        if (IsActivation(At(p))) role = "ffn_down";
      }
    }
    if (role.empty()) {
      for (const Use& u : consumers) {
        if (IsActivation(At(u.layer)) && !FeedsTopK(index)) role = "ffn_up";  // ungated MLP
      }
    }
    if (role.empty() && FeedsTopK(index)) role = "router";
    // The unembedding: a final projection back onto the embedding table's rows.
    if (role.empty() && consumers.empty() &&
        std::find(vocab_.begin(), vocab_.end(), l.n) != vocab_.end()) {
      role = "lm_head";
    }
    if (l.expert.enabled()) {
      return role.rfind("ffn_", 0) == 0 ? "expert_" + role.substr(4) : "experts";
    }
    return role.empty() ? "linear" : role;
  }

  const LayerGraph& g_;
  std::vector<std::vector<Use>> uses_;
  std::vector<std::int64_t> vocab_;
};

}  // namespace

std::vector<std::string> OpGroups(const LayerGraph& graph) {
  const Classifier c(graph);
  std::vector<std::string> groups;
  for (size_t l = 0; l < graph.layers().size(); ++l) groups.push_back(c.Group(static_cast<int>(l)));
  return groups;
}

}  // namespace pjsim
