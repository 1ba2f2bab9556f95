#include "sim/graph/dtype.h"

#include <stdexcept>

namespace pjsim {

const std::vector<std::string>& DTypeNames() {
  static const std::vector<std::string> names = {"int8", "fp16", "bf16", "fp32", "int32"};
  return names;
}

DType ParseDType(const std::string& name) {
  if (name == "int8") return DType::kInt8;
  if (name == "fp16") return DType::kFp16;
  if (name == "bf16") return DType::kBf16;
  if (name == "fp32") return DType::kFp32;
  if (name == "int32") return DType::kInt32;
  throw std::invalid_argument("unknown dtype '" + name + "'");
}

std::string DTypeName(DType t) {
  switch (t) {
    case DType::kInt8:
      return "int8";
    case DType::kFp16:
      return "fp16";
    case DType::kBf16:
      return "bf16";
    case DType::kFp32:
      return "fp32";
    case DType::kInt32:
      return "int32";
  }
  return "?";
}

int DTypeBits(DType t) {
  switch (t) {
    case DType::kInt8:
      return 8;
    case DType::kFp16:
    case DType::kBf16:
      return 16;
    case DType::kFp32:
    case DType::kInt32:
      return 32;
  }
  return 0;
}

}  // namespace pjsim
