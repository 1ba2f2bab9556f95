#include "sim/config/number_type.h"

#include <array>
#include <stdexcept>

namespace pjsim {
namespace {

struct NumberTypeInfo {
  NumberType type;
  const char* name;
  int bits;
  bool is_float;
};

// In NumberType order.
constexpr std::array<NumberTypeInfo, 5> kTypes = {{
    {NumberType::kInt8, "int8", 8, false},
    {NumberType::kInt16, "int16", 16, false},
    {NumberType::kInt32, "int32", 32, false},
    {NumberType::kFp16, "fp16", 16, true},
    {NumberType::kFp32, "fp32", 32, true},
}};

const NumberTypeInfo& Info(NumberType t) { return kTypes.at(static_cast<size_t>(t)); }

}  // namespace

const std::vector<std::string>& NumberTypeNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& t : kTypes) out.emplace_back(t.name);
    return out;
  }();
  return names;
}

NumberType ParseNumberType(const std::string& name) {
  for (const auto& t : kTypes) {
    if (name == t.name) return t.type;
  }
  throw std::invalid_argument("unknown number type '" + name + "'");
}

const std::string& NumberTypeName(NumberType t) {
  return NumberTypeNames().at(static_cast<size_t>(t));
}

int NumberTypeBits(NumberType t) { return Info(t).bits; }

bool IsFloat(NumberType t) { return Info(t).is_float; }

}  // namespace pjsim
