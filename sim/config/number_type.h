#pragma once
// Number types of a tile's datapath (accumulators, adders, multipliers): name and bit width in
// one table. Names are the YAML spelling and the prefix of tech-table ops ("int32" -> "int32_add").
// This lives in the config layer because TileConfig holds one; tensor element types are DType
// (sim/graph/dtype.h), which has no int16 and adds bf16.
#include <string>
#include <vector>

namespace pjsim {

enum class NumberType { kInt8, kInt16, kInt32, kFp16, kFp32 };

const std::vector<std::string>& NumberTypeNames();  // in NumberType order
// Throws std::invalid_argument for a name not in NumberTypeNames().
NumberType ParseNumberType(const std::string& name);
const std::string& NumberTypeName(NumberType t);
int NumberTypeBits(NumberType t);
bool IsFloat(NumberType t);

}  // namespace pjsim
