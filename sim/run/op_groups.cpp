#include "sim/run/op_groups.h"

#include <algorithm>
#include <cstdint>

#include "sim/graph/elementwise_function.h"

namespace pjsim {
namespace {

// Which input of the consumer a layer's output is; kAfter: the consumer waits for the layer
// (`after`) and reads what it wrote from DRAM (MoE dispatch, multi-head latent attention).
constexpr size_t kAfter = static_cast<size_t>(-1);

struct Use {
  int layer;
  size_t slot;
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

// The state-space (Mamba) ops that run over tokens: the selective scan and the causal convolution.
// Mamba-2's SSD steps (ssd_*) count as the scan.
bool IsScan(const Layer& l) {
  return l.kind == OpKind::kElementwise &&
         (l.function == "selective_scan" || l.function == "selective_scan_step" ||
          l.function.rfind("ssd_", 0) == 0);
}
bool IsConv(const Layer& l) {
  return l.kind == OpKind::kElementwise &&
         (l.function == "causal_conv1d" || l.function == "conv1d_step");
}

class Classifier {
 public:
  explicit Classifier(const LayerGraph& g)
      : g_(g), uses_(g.layers().size()), memo_(g.layers().size()) {
    for (size_t c = 0; c < g.layers().size(); ++c) {
      const auto& producers = g.producers(static_cast<int>(c));
      for (size_t slot = 0; slot < producers.size(); ++slot) {
        uses_[static_cast<size_t>(producers[slot])].push_back({static_cast<int>(c), slot});
      }
      for (int p : g.predecessors(static_cast<int>(c))) {
        if (std::find(producers.begin(), producers.end(), p) == producers.end())
          uses_[static_cast<size_t>(p)].push_back({static_cast<int>(c), kAfter});
      }
    }
    for (const Layer& l : g.layers()) {
      if (l.kind == OpKind::kEmbedding) vocab_.push_back(l.k);
    }
  }

  std::string Group(int index) const {
    std::string& memo = memo_[static_cast<size_t>(index)];
    if (memo.empty()) memo = Classify(index);
    return memo;
  }

 private:
  std::string Classify(int index) const {
    const Layer& l = At(index);
    if (IsSparseAttentionRouter(index)) return "sparse_attention_router";
    if (l.kind == OpKind::kLinear && l.sparsity.kind == SparsityKind::kNsa) return "nsa_compress";
    if (IsNsaGate(index)) return "nsa_gate";
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
        return IsSsdMatmul(index) ? "ssm_scan" : LinearGroup(index);
    }
    return OpKindName(l.kind);
  }

  const Layer& At(int index) const { return g_.layers()[static_cast<size_t>(index)]; }

  // Native Sparse Attention's gate (docs/SPARSE_ATTENTION.md): the gated sums of the branches'
  // outputs, the sigmoid they wait for and the linear feeding that sigmoid.
  static bool IsNsaGatedSum(const Layer& l) {
    return l.kind == OpKind::kElementwise &&
           (l.function == "nsa_gated_pair" || l.function == "nsa_gated_add");
  }
  bool IsNsaGate(int index) const {
    const Layer& l = At(index);
    if (IsNsaGatedSum(l)) return true;
    const auto& uses = uses_[static_cast<size_t>(index)];
    const auto feeds = [&](auto&& pred) {
      return !uses.empty() &&
             std::all_of(uses.begin(), uses.end(), [&](const Use& u) { return pred(u.layer); });
    };
    const auto is_gate_sigmoid = [&](int i) {
      const auto& next = uses_[static_cast<size_t>(i)];
      return At(i).kind == OpKind::kElementwise && At(i).function == "sigmoid" && !next.empty() &&
             std::all_of(next.begin(), next.end(),
                         [&](const Use& u) { return IsNsaGatedSum(At(u.layer)); });
    };
    if (is_gate_sigmoid(index)) return true;
    return l.kind == OpKind::kLinear && feeds(is_gate_sigmoid);
  }

  // Sparse attention's router (docs/SPARSE_ATTENTION.md): the summaries' scoring and top-k, and
  // the op maintaining the summaries that the scoring reads.
  bool IsSparseAttentionRouter(int index) const {
    if (At(index).sparsity.router) return true;
    const auto& uses = uses_[static_cast<size_t>(index)];
    return At(index).kind == OpKind::kElementwise &&
           std::any_of(uses.begin(), uses.end(), [&](const Use& u) {
             return At(u.layer).kind == OpKind::kAttentionScores && At(u.layer).sparsity.router;
           });
  }

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

  // The layers `index` reads or waits for, looking through norms likewise.
  std::vector<int> Producers(int index) const {
    std::vector<int> out;
    for (int p : g_.predecessors(index)) {
      if (At(p).kind == OpKind::kNorm) {
        const auto more = Producers(p);
        out.insert(out.end(), more.begin(), more.end());
      } else {
        out.push_back(p);
      }
    }
    return out;
  }

  // The chunked SSD's matmuls read or feed its steps (docs/SSM.md).
  bool IsSsdMatmul(int index) const {
    const auto ssd = [&](int q) { return IsScan(At(q)) && At(q).function.rfind("ssd_", 0) == 0; };
    const auto p = g_.predecessors(index);
    const auto& uses = uses_[static_cast<size_t>(index)];
    return std::any_of(p.begin(), p.end(), ssd) ||
           std::any_of(uses.begin(), uses.end(), [&](const Use& u) { return ssd(u.layer); });
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

  // State-space blocks: whether the op's output reaches a scan or convolution through
  // single-input elementwise ops (the block's inputs: x, B, C, dt), and whether it is (or reads,
  // through elementwise ops) the scan's output (the gating after it).
  bool FeedsScan(int index) const {
    for (const Use& u : Consumers(index)) {
      const Layer& c = At(u.layer);
      if (IsScan(c) || IsConv(c)) return true;
      if (IsActivation(c) && !IsGatedActivation(c) && FeedsScan(u.layer)) return true;
    }
    return false;
  }
  bool AfterScan(int index) const {
    if (IsScan(At(index))) return true;
    for (int p : Producers(index)) {
      if (IsScan(At(p)) || (At(p).kind == OpKind::kElementwise && AfterScan(p))) return true;
    }
    return false;
  }

  std::string ElementwiseGroup(int index) const {
    const Layer& l = At(index);
    if (IsTopK(l) || FeedsTopK(index)) return "router";
    if (IsScan(l)) return "ssm_scan";
    if (IsConv(l)) return "ssm_conv";
    if (IsActivation(l) && FeedsScan(index)) return "ssm_act";
    if (IsGatedActivation(l) && AfterScan(index)) return "ssm_gate";
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

  // The attention operand a linear's output becomes, looking downstream only: "q_proj",
  // "k_proj", "v_proj", "kv_proj" or "". Read directly: Q (scores input 0), K (scores input 1),
  // V (context input 1). Waited for (multi-head latent attention reads its compressed cache from
  // DRAM): a latent both scores and context use is K and V at once; one only the scores wait for
  // is the (absorbed) query. A linear all of whose consumers are projections of one operand is a
  // factor of that projection (low-rank q_a before q_b).
  std::string Projection(int index) const {
    bool q = false, k = false, v = false, scores_wait = false, context_wait = false;
    const std::vector<Use> consumers = Consumers(index);
    for (const Use& u : consumers) {
      const Layer& c = At(u.layer);
      if (c.kind == OpKind::kAttentionScores) {
        q |= u.slot == 0;
        k |= u.slot == 1;
        scores_wait |= u.slot == kAfter;
      }
      if (c.kind == OpKind::kAttentionContext) {
        v |= u.slot == 1;
        context_wait |= u.slot == kAfter;
      }
    }
    if ((k || scores_wait) && (v || context_wait)) return "kv_proj";
    if (q || (scores_wait && !k)) return "q_proj";
    if (k) return "k_proj";
    if (v || context_wait) return "v_proj";
    std::string shared;
    for (const Use& u : consumers) {
      if (At(u.layer).kind != OpKind::kLinear) return "";
      const std::string role = Projection(u.layer);
      if (role.empty() || (!shared.empty() && role != shared)) return "";
      shared = role;
    }
    return shared;
  }

  // Whether a linear projects an attention context back, looking upstream only: it reads the
  // context, or only linears that do (the output projection after an absorbed W_UV).
  bool Output(int index) const {
    if (FedBy(index, OpKind::kAttentionContext)) return true;
    const std::vector<int> sources = Producers(index);
    if (sources.empty()) return false;
    for (int p : sources) {
      if (At(p).kind != OpKind::kLinear || !Output(p)) return false;
    }
    return true;
  }

  std::string LinearGroup(int index) const {
    const Layer& l = At(index);
    const std::string projection = Projection(index);
    if (!projection.empty()) return Expert(l, projection);
    const std::vector<Use> consumers = Consumers(index);
    // State-space blocks: the projections into the scan (x, z, B, C, dt) and out of its gate.
    if (FeedsScan(index)) return "ssm_in_proj";
    for (const Use& u : consumers) {
      if (IsGatedActivation(At(u.layer)) && AfterScan(u.layer)) return "ssm_in_proj";
    }
    for (int p : Producers(index)) {
      if (At(p).kind == OpKind::kElementwise && AfterScan(p)) return "ssm_out_proj";
    }
    for (const Use& u : consumers) {
      if (IsGatedActivation(At(u.layer)) && u.slot != kAfter)
        return Expert(l, u.slot == 0 ? "ffn_gate" : "ffn_up");
    }
    if (Output(index)) return Expert(l, "o_proj");
    for (int p : Producers(index)) {
      if (IsActivation(At(p))) return Expert(l, "ffn_down");
    }
    const bool router = FeedsTopK(index);
    for (const Use& u : consumers) {
      if (IsActivation(At(u.layer)) && !router) return Expert(l, "ffn_up");  // ungated MLP
    }
    if (router) return "router";
    // The unembedding: a final projection back onto the embedding table's rows.
    if (consumers.empty() && std::find(vocab_.begin(), vocab_.end(), l.n) != vocab_.end()) {
      return "lm_head";
    }
    return Expert(l, "linear");
  }

  // MoE expert ops are grouped apart from the dense ones of the same role.
  static std::string Expert(const Layer& l, const std::string& role) {
    if (!l.expert.enabled()) return role;
    return role.rfind("ffn_", 0) == 0 ? "expert_" + role.substr(4) : "experts";
  }

  const LayerGraph& g_;
  std::vector<std::vector<Use>> uses_;
  std::vector<std::int64_t> vocab_;
  mutable std::vector<std::string> memo_;
};

}  // namespace

std::vector<std::string> OpGroups(const LayerGraph& graph) {
  const Classifier c(graph);
  std::vector<std::string> groups;
  for (size_t l = 0; l < graph.layers().size(); ++l) groups.push_back(c.Group(static_cast<int>(l)));
  return groups;
}

}  // namespace pjsim
