#include "sim/graph/arithmetic.h"

#include <stdexcept>

namespace pjsim {
namespace {

template <int kBits>
std::int64_t DenseBytes(std::int64_t count, const std::string& /*packing*/) {
  return (count * kBits + 7) / 8;
}

}  // namespace

const std::vector<Arithmetic>& Arithmetics() {
  static const std::vector<Arithmetic> table = {
      {"int8", {"dense"}, 0.0, DenseBytes<8>, {DType::kInt8}},
      {"fp16", {"dense"}, 0.0, DenseBytes<16>, {DType::kFp16}},
      {"bf16", {"dense"}, 0.0, DenseBytes<16>, {DType::kBf16}},
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

}  // namespace pjsim
