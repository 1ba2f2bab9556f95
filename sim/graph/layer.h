#pragma once
// One op of a workload: a matrix multiply (linear) or an elementwise function over a tensor.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/graph/dtype.h"

namespace pjsim {

enum class OpKind { kLinear, kElementwise };

struct Layer {
  std::string name;
  OpKind kind = OpKind::kLinear;
  // linear: out[M x N] = in[M x K] * W[K x N]; elementwise: out[M x N] = f(in[M x N], ...).
  std::int64_t m = 0;
  std::int64_t k = 0;
  std::int64_t n = 0;
  DType dtype = DType::kInt8;        // activations (inputs and outputs)
  std::string arithmetic = "int8";   // linear only: weight arithmetic (sim/graph/arithmetic.h)
  std::string weight_packing = "dense";
  double weight_sparsity = 0;        // fraction of zero weights
  std::string function;             // elementwise only
  std::vector<std::string> inputs;  // producer layer names; empty = workload input in DRAM
  SourceLocation where;             // for graph errors

  // Bytes of `count` weights of this layer as stored in DRAM and SRAM.
  std::int64_t WeightBytes(std::int64_t count) const;
  std::int64_t Macs() const { return kind == OpKind::kLinear ? m * k * n : 0; }
  std::int64_t OutputElements() const { return m * n; }
  // Shape of the activation tensor this op reads from each producer: rows x cols.
  std::int64_t InputCols() const { return kind == OpKind::kLinear ? k : n; }
};

}  // namespace pjsim
