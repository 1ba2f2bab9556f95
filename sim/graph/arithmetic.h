#pragma once
// The arithmetic of a linear op: what its weights are and how they are stored. A layer names it
// with `arithmetic:` (default: its dtype); the tile kind decides whether it can execute it and
// what each product costs. Adding an arithmetic is one entry in arithmetic.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/graph/dtype.h"
#include "sim/numerics/float_format.h"

namespace pjsim {

struct Arithmetic {
  std::string name;                   // "int8", "fp16", "ternary", "lmul-e4m3", ...
  std::vector<std::string> packings;  // storage layouts of the weights; the first is the default
  double default_sparsity = 0;        // fraction of zero weights when the workload gives none
  // Exact bytes of `count` weights stored in `packing` (one of `packings`).
  std::int64_t (*weight_bytes)(std::int64_t count, const std::string& packing) = nullptr;
  // Activation types this arithmetic accepts as the layer's dtype.
  std::vector<DType> activations;
  // L-Mul arithmetics: the float format both operands are multiplied in (sim/numerics/lmul.h).
  std::optional<numerics::FloatFormat> lmul_format;
};

const std::vector<Arithmetic>& Arithmetics();
std::vector<std::string> ArithmeticNames();
// Throws std::out_of_range for an unknown name.
const Arithmetic& FindArithmetic(const std::string& name);

// The tech-table op that decodes one weight stored in `packing` at the tile ("unpack_2bit",
// ...), or "" for dense layouts, which need no decoding.
std::string UnpackOpName(const std::string& packing);

}  // namespace pjsim
