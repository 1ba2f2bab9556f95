#pragma once
// Element types of tensors and the width each occupies in memory.
#include <string>
#include <vector>

namespace pjsim {

enum class DType { kInt8, kFp16, kBf16, kFp32, kInt32 };

const std::vector<std::string>& DTypeNames();
DType ParseDType(const std::string& name);  // name must be one of DTypeNames()
std::string DTypeName(DType t);
int DTypeBits(DType t);

}  // namespace pjsim
