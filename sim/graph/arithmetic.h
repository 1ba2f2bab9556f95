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

// What a product of the arithmetic is; tile kinds decide what they execute by family.
enum class ArithmeticFamily {
  kInt8,     // int8 multiply-accumulate
  kFloat,    // float multiply-accumulate in `Arithmetic::operand` (fp16, bf16, fp32)
  kTernary,  // weights in {-1, 0, +1}: adds and subtracts, zero weights skipped
  kBinary,   // sign weights {-1, +1}: adds and subtracts
  kLmul,     // L-Mul in `Arithmetic::lmul_format`
};

struct Arithmetic {
  std::string name;  // "int8", "fp16", "ternary", "lmul-e4m3", ...
  ArithmeticFamily family = ArithmeticFamily::kInt8;
  std::optional<DType> operand;       // kInt8 / kFloat: the type both operands are multiplied in
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

// A layer's arithmetic: a reference to its registered entry (never dangling: the registry is
// static), compared by identity. YAML and reports spell it name().
class ArithmeticRef {
 public:
  ArithmeticRef() : ArithmeticRef(FindArithmetic("int8")) {}
  explicit ArithmeticRef(const Arithmetic& entry) : entry_(&entry) {}
  // Throws std::out_of_range for an unknown name.
  static ArithmeticRef Named(const std::string& name) {
    return ArithmeticRef(FindArithmetic(name));
  }

  const Arithmetic& operator*() const { return *entry_; }
  const Arithmetic* operator->() const { return entry_; }
  const std::string& name() const { return entry_->name; }
  ArithmeticFamily family() const { return entry_->family; }
  bool operator==(const ArithmeticRef& other) const { return entry_ == other.entry_; }

 private:
  const Arithmetic* entry_;
};

// The tech-table op that decodes one weight stored in `packing` at the tile ("unpack_2bit",
// ...), or "" for dense layouts, which need no decoding.
std::string UnpackOpName(const std::string& packing);

}  // namespace pjsim
