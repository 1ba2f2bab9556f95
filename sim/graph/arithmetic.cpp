#include "sim/graph/arithmetic.h"

#include <stdexcept>

#include "sim/numerics/packing.h"

namespace pjsim {
namespace {

template <int kBits>
std::int64_t DenseBytes(std::int64_t count, const std::string& /*packing*/) {
  return (count * kBits + 7) / 8;
}

// Packed ternary and 1-bit weights: the exact buffer sizes of sim/numerics/packing.h.
numerics::WeightPacking PackingLayout(const std::string& packing) {
  if (packing == "2bit") return numerics::WeightPacking::kTernary2Bit;
  if (packing == "base3") return numerics::WeightPacking::kTernaryBase3;
  if (packing == "tl2") return numerics::WeightPacking::kTernaryTl2;
  if (packing == "entropy") return numerics::WeightPacking::kTernaryEntropy;
  if (packing == "1bit") return numerics::WeightPacking::kBinary1Bit;
  throw std::out_of_range("unknown weight packing '" + packing + "'");
}

std::int64_t PackedBytes(std::int64_t count, const std::string& packing) {
  return numerics::PackedBits(PackingLayout(packing), count).bytes;
}

// Dense multiply-accumulate arithmetics: weights and activations of one type.
template <int kBits>
Arithmetic Dense(const std::string& name, ArithmeticFamily family, DType operand) {
  return {.name = name,
          .family = family,
          .operand = operand,
          .packings = {"dense"},
          .default_sparsity = 0.0,
          .weight_bytes = DenseBytes<kBits>,
          .activations = {operand},
          .lmul_format = std::nullopt};
}

// Packed low-bit weights multiplied with int8 activations by adds.
Arithmetic Packed(const std::string& name, ArithmeticFamily family,
                  std::vector<std::string> packings, double default_sparsity) {
  return {.name = name,
          .family = family,
          .operand = std::nullopt,
          .packings = std::move(packings),
          .default_sparsity = default_sparsity,
          .weight_bytes = PackedBytes,
          .activations = {DType::kInt8},
          .lmul_format = std::nullopt};
}

Arithmetic Lmul(const std::string& format_name, numerics::FloatFormat format,
                std::int64_t (*bytes)(std::int64_t, const std::string&),
                std::vector<DType> activations) {
  return {.name = "lmul-" + format_name,
          .family = ArithmeticFamily::kLmul,
          .operand = std::nullopt,
          .packings = {"dense"},
          .default_sparsity = 0.0,
          .weight_bytes = bytes,
          .activations = std::move(activations),
          .lmul_format = format};
}

}  // namespace

const std::vector<Arithmetic>& Arithmetics() {
  static const std::vector<Arithmetic> table = {
      Dense<8>("int8", ArithmeticFamily::kInt8, DType::kInt8),
      Dense<16>("fp16", ArithmeticFamily::kFloat, DType::kFp16),
      Dense<16>("bf16", ArithmeticFamily::kFloat, DType::kBf16),
      Dense<32>("fp32", ArithmeticFamily::kFloat, DType::kFp32),
      // BitNet b1.58: weights in {-1, 0, +1}, int8 activations. Default sparsity 1/3 is the
      // uniform-ternary assumption: BitNet's real zero fraction is not published. "entropy" is
      // the information bound (log2 3 bit/weight), not a storable layout.
      Packed("ternary", ArithmeticFamily::kTernary, {"2bit", "base3", "tl2", "entropy"}, 1.0 / 3.0),
      // Sign weights {-1, +1}: no zeros.
      Packed("binary", ArithmeticFamily::kBinary, {"1bit"}, 0.0),
      // L-Mul in a float format; fp8 formats take fp16/bf16 activations, which the array rounds
      // to the format at its input (the rounding is not priced).
      Lmul("fp32", numerics::kFp32, DenseBytes<32>, {DType::kFp32}),
      Lmul("fp16", numerics::kFp16, DenseBytes<16>, {DType::kFp16}),
      Lmul("bf16", numerics::kBf16, DenseBytes<16>, {DType::kBf16}),
      Lmul("e4m3", numerics::kFp8E4M3, DenseBytes<8>, {DType::kFp16, DType::kBf16}),
      Lmul("e5m2", numerics::kFp8E5M2, DenseBytes<8>, {DType::kFp16, DType::kBf16}),
  };
  return table;
}

std::vector<std::string> ArithmeticNames() {
  std::vector<std::string> names;
  for (const auto& a : Arithmetics()) names.push_back(a.name);
  return names;
}

const Arithmetic& FindArithmetic(const std::string& name) {
  for (const auto& a : Arithmetics()) {
    if (a.name == name) return a;
  }
  throw std::out_of_range("unknown arithmetic '" + name + "'");
}

std::string UnpackOpName(const std::string& packing) {
  return packing == "dense" ? "" : "unpack_" + packing;
}

}  // namespace pjsim
