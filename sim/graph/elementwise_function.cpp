#include "sim/graph/elementwise_function.h"

#include <stdexcept>

namespace pjsim {

const std::vector<ElementwiseFunction>& ElementwiseFunctions() {
  static const std::vector<ElementwiseFunction> table = {
      {"relu", 1, {{"cmp", 1}}},
      {"relu2", 1, {{"cmp", 1}, {"mult", 1}}},               // squared ReLU (BitNet)
      {"silu", 1, {{"exp", 1}, {"add", 1}, {"div", 1}}},     // x / (1 + e^-x)
      {"sigmoid", 1, {{"exp", 1}, {"add", 1}, {"div", 1}}},  // 1 / (1 + e^-x): router scores
      // MoE top-k selection over a row of router scores: one compare of each score against the
      // running k-th best (the k-entry list's insertions are not counted); with renormalisation
      // also the sum (counted for every score: an upper bound) and one reciprocal per row.
      {"topk", 1, {{"cmp", 1}}},
      {"topk_norm", 1, {{"cmp", 1}, {"add", 1}}, {{"div", 1}}},
      {"gelu", 1, {{"mult", 5}, {"add", 2}, {"exp", 1}, {"div", 1}}},  // tanh approximation
      {"add", 2, {{"add", 1}}},                                        // residual add
      {"mul", 2, {{"mult", 1}}},                                       // gating product
      // Gated activations f(gate) * up, fused: two inputs.
      {"silu_mul", 2, {{"exp", 1}, {"add", 1}, {"div", 1}, {"mult", 1}}},
      {"gelu_mul", 2, {{"mult", 6}, {"add", 2}, {"exp", 1}, {"div", 1}}},
      {"relu2_mul", 2, {{"cmp", 1}, {"mult", 2}}},
      // Row softmax: running max, exp(x - max), sum, then one reciprocal per row and a multiply.
      {"softmax", 1, {{"cmp", 1}, {"add", 2}, {"exp", 1}, {"mult", 1}}, {{"div", 1}}},
      // Tanh soft-capping, cap x tanh(x / cap) (Gemma 2's scores and logits): x times 1 / cap,
      // tanh(u) = (e^2u - 1) / (e^2u + 1) (the 2 folded into the constant: one exp, two adds,
      // one divide), times cap.
      {"softcap", 1, {{"mult", 2}, {"add", 2}, {"exp", 1}, {"div", 1}}},
      // The scores soft-capped on their way into the row softmax: both, per element.
      {"softcap_softmax",
       1,
       {{"cmp", 1}, {"add", 4}, {"exp", 2}, {"mult", 3}, {"div", 1}},
       {{"div", 1}}},
      // RMSNorm: square and sum, rsqrt per row, scale and gain.
      {"rmsnorm", 1, {{"mult", 3}, {"add", 1}}, {{"rsqrt", 1}}, true},
      // LayerNorm: mean and variance sums, centre, scale, gain and bias.
      {"layernorm", 1, {{"mult", 3}, {"add", 4}}, {{"rsqrt", 1}, {"div", 1}}, true},
      // Embedding lookup: the row is copied, no arithmetic.
      {"copy", 1, {}},
      // Mamba's time step softplus(x + dt_bias) = log(1 + e^(x + b)): the bias add, the exp, the
      // 1 + and the log, which is priced as an exp (both a range reduction and a table lookup).
      {"softplus", 1, {{"add", 2}, {"exp", 2}}},
      // Causal depthwise conv1d over tokens (Mamba's conv1d): per output, one multiply-add per
      // kernel tap (Layer::inner taps; the bias add replaces the first tap's add).
      {"causal_conv1d", 1, {}, {}, false, {{"mult", 1}, {"add", 1}}},
      // The conv1d of one decode token: rows are channels, columns the kernel's window. Inputs:
      // the window (the conv state of d_conv - 1 tokens plus the new one) and the kernel taps,
      // both read from DRAM; the output is the shifted window (the next conv state) and the
      // channel's sum.
      {"conv1d_step", 2, {{"mult", 1}, {"add", 1}}},
      // Mamba's selective scan (Gu & Dao, arXiv:2312.00752, Algorithm 2 and section 3.3.2), as
      // the fused scan kernel runs it: per token and channel dt*x and the skip term y = D*x; per
      // state (Layer::inner states) exp(dt*A), B*(dt*x), h = a*h + b and y += C*h. Inputs:
      // x and dt. Prefill keeps every channel's state in the tile and walks the tokens in order.
      {"selective_scan", 2, {{"mult", 2}}, {}, false, {{"exp", 1}, {"mult", 4}, {"add", 2}}},
      // The scan of one decode token: rows are channels, columns states, the same arithmetic
      // per state and per channel. Inputs: the recurrent state h and A, both read from DRAM;
      // the output is the new state, written back.
      {"selective_scan_step", 2, {{"exp", 1}, {"mult", 4}, {"add", 2}}, {{"mult", 2}}},
      // Mamba-2's SSD layer (Dao & Gu, arXiv:2405.21060, section 6 and Listing 1). Prefill runs
      // the chunked algorithm; its matmuls are linear ops, these are the steps between them.
      // Rows are (token, head) pairs and columns the head's channels unless noted.
      // Discretisation: X = x * dt per channel; per row dA = dt * A and its running sum over the
      // chunk (the cumsum the decays are differences of).
      {"ssd_discretize", 1, {{"mult", 1}}, {{"mult", 1}, {"add", 1}}},
      // Rows (chunk, head, query position), columns the chunk's key positions: the decay mask
      // L = exp(segsum) = exp(cum_i - cum_j) applied to C * B^T (one subtract, exp, multiply).
      {"ssd_decay_mask", 1, {{"add", 1}, {"exp", 1}, {"mult", 1}}},
      // X scaled by the decay to the chunk's end, exp(cum_last - cum): per row one subtract and
      // exp, per channel one multiply (the chunk states' left operand).
      {"ssd_row_decay", 1, {{"mult", 1}}, {{"add", 1}, {"exp", 1}}},
      // Rows (chunk, head), columns head_dim x state: the state passed across chunks,
      // h = exp(chunk's total decay) * h + chunk state, walked chunk by chunk.
      {"ssd_state_pass", 1, {{"mult", 1}, {"add", 1}}, {{"exp", 1}}},
      // y = y_diag + exp(cum) * y_off. Inputs: y_diag, y_off.
      {"ssd_combine", 2, {{"mult", 1}, {"add", 1}}, {{"exp", 1}}},
      // The skip term: y + D * x, D one scalar per head. Inputs: y, x.
      {"ssd_skip", 2, {{"mult", 1}, {"add", 1}}},
      // Decode: the per-head decay exp(dt * A) of one token.
      {"ssd_decay", 1, {{"mult", 1}, {"exp", 1}}},
      // Decode: the recurrent update of one token; rows (sequence, head, channel), columns
      // states. Per state a * h, (dt * x) * B, the add, C * h and its sum; per row dt * x and
      // D * x. Input: the state h, read from DRAM; the output is the new state, written back.
      {"ssd_step", 1, {{"mult", 3}, {"add", 2}}, {{"mult", 2}}},
      // Sparse attention's block summaries (Quest, arXiv:2406.10774): per KV head and block the
      // keys' element-wise minimum and maximum; an output element is one of them, folding in
      // Layer::inner keys with one compare each. Prefill builds whole blocks from the new keys;
      // the decode step folds the new key into the stored summary (inputs: key, summary).
      {"block_minmax", 1, {}, {}, false, {{"cmp", 1}}},
      {"block_minmax_step", 2, {{"cmp", 1}}},
      // Native Sparse Attention (arXiv:2502.11089): a selection block's importance, the sum of
      // the compressed attention probabilities that overlap it over a GQA group's heads (eq. 9
      // and 10, Layer::inner terms); and the gated sum of the three branches' outputs (eq. 5) in
      // two steps of two inputs: g1 * o1 + g2 * o2, then that + g3 * o3.
      {"nsa_block_score", 1, {}, {}, false, {{"add", 1}}},
      {"nsa_gated_pair", 2, {{"mult", 2}, {"add", 1}}},
      {"nsa_gated_add", 2, {{"mult", 1}, {"add", 1}}},
  };
  return table;
}

std::string VectorDTypePrefix(DType activation) {
  if (activation == DType::kInt8 || activation == DType::kInt32) return "fp16";
  if (activation == DType::kBf16) return "fp16";  // priced like fp16 until a bf16 table exists
  return DTypeName(activation);
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
