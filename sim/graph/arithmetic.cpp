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

Arithmetic Lmul(const std::string& format_name, numerics::FloatFormat format,
                std::int64_t (*bytes)(std::int64_t, const std::string&),
                std::vector<DType> activations) {
  return {"lmul-" + format_name, {"dense"}, 0.0, bytes, std::move(activations), format};
}

}  // namespace

const std::vector<Arithmetic>& Arithmetics() {
  static const std::vector<Arithmetic> table = {
      {"int8", {"dense"}, 0.0, DenseBytes<8>, {DType::kInt8}, {}},
      {"fp16", {"dense"}, 0.0, DenseBytes<16>, {DType::kFp16}, {}},
      {"bf16", {"dense"}, 0.0, DenseBytes<16>, {DType::kBf16}, {}},
      {"fp32", {"dense"}, 0.0, DenseBytes<32>, {DType::kFp32}, {}},
      // BitNet b1.58: weights in {-1, 0, +1}, int8 activations. Default sparsity 1/3 is the
      // uniform-ternary assumption: BitNet's real zero fraction is not published. "entropy" is
      // the information bound (log2 3 bit/weight), not a storable layout.
      {"ternary", {"2bit", "base3", "tl2", "entropy"}, 1.0 / 3.0, PackedBytes, {DType::kInt8}, {}},
      // Sign weights {-1, +1}: no zeros.
      {"binary", {"1bit"}, 0.0, PackedBytes, {DType::kInt8}, {}},
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
