// Layer::arithmetic is a typed reference to the registry: every registered arithmetic resolves
// to its own entry (family and operand format as the tile kinds test them), the workload reader
// stores the entry the YAML names, and unknown names are errors.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>

#include "sim/config/yaml_reader.h"
#include "sim/graph/arithmetic.h"
#include "sim/workload/workload.h"

namespace pjsim {
namespace {

Workload Read(const std::string& yaml) {
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml")));
}

TEST(ArithmeticType, EveryRegisteredArithmeticResolvesToItsEntry) {
  std::set<const Arithmetic*> seen;
  for (const std::string& name : ArithmeticNames()) {
    const ArithmeticRef a = ArithmeticRef::Named(name);
    EXPECT_EQ(a.name(), name);
    EXPECT_EQ(&*a, &FindArithmetic(name));
    EXPECT_EQ(a, ArithmeticRef(FindArithmetic(name)));
    seen.insert(&*a);
    // The family's operand format is present exactly where the kinds read it.
    const bool dense =
        a.family() == ArithmeticFamily::kInt8 || a.family() == ArithmeticFamily::kFloat;
    EXPECT_EQ(a->operand.has_value(), dense) << name;
    EXPECT_EQ(a->lmul_format.has_value(), a.family() == ArithmeticFamily::kLmul) << name;
    EXPECT_EQ(name.starts_with("lmul-"), a.family() == ArithmeticFamily::kLmul) << name;
  }
  EXPECT_EQ(seen.size(), ArithmeticNames().size());  // distinct entries compare unequal
  EXPECT_NE(ArithmeticRef::Named("fp16"), ArithmeticRef::Named("bf16"));
}

TEST(ArithmeticType, FamiliesAndOperands) {
  EXPECT_EQ(ArithmeticRef().name(), "int8");  // a layer's default
  EXPECT_EQ(ArithmeticRef::Named("int8").family(), ArithmeticFamily::kInt8);
  EXPECT_EQ(ArithmeticRef::Named("ternary").family(), ArithmeticFamily::kTernary);
  EXPECT_EQ(ArithmeticRef::Named("binary").family(), ArithmeticFamily::kBinary);
  EXPECT_EQ(ArithmeticRef::Named("lmul-e4m3").family(), ArithmeticFamily::kLmul);
  for (const auto& [name, dtype] :
       {std::pair{"fp16", DType::kFp16}, std::pair{"bf16", DType::kBf16},
        std::pair{"fp32", DType::kFp32}}) {
    EXPECT_EQ(ArithmeticRef::Named(name).family(), ArithmeticFamily::kFloat) << name;
    EXPECT_EQ(ArithmeticRef::Named(name)->operand, dtype) << name;
  }
  EXPECT_EQ(ArithmeticRef::Named("int8")->operand, DType::kInt8);
}

TEST(ArithmeticType, UnknownNamesAreErrors) {
  EXPECT_THROW(ArithmeticRef::Named("int3"), std::out_of_range);
  EXPECT_THROW(ArithmeticRef::Named("lmul"), std::out_of_range);
  EXPECT_THROW(ArithmeticRef::Named(""), std::out_of_range);
  try {
    Read(
        "name: w\nlayers:\n  - {name: q, op: linear, m: 8, k: 64, n: 64, dtype: int8, "
        "arithmetic: int3, inputs: []}\n");
    FAIL() << "an unknown arithmetic was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("arithmetic"), std::string::npos) << e.what();
    EXPECT_EQ(e.where().line, 3) << e.what();
  }
}

TEST(ArithmeticType, WorkloadReaderStoresTheNamedEntry) {
  const Workload w = Read(R"(name: w
layers:
  - {name: a, op: linear, m: 8, k: 64, n: 64, dtype: int8, arithmetic: ternary, inputs: []}
  - {name: b, op: linear, m: 8, k: 64, n: 64, dtype: fp16, inputs: []}
  - {name: c, op: linear, m: 8, k: 64, n: 64, dtype: fp16, arithmetic: lmul-e4m3, inputs: []}
  - {name: s, op: attention_scores, heads: 2, head_dim: 32, q_len: 8, kv_len: 8, dtype: bf16,
     inputs: []}
)");
  const auto& layers = w.graph->layers();
  EXPECT_EQ(layers[0].arithmetic, ArithmeticRef::Named("ternary"));
  EXPECT_EQ(layers[1].arithmetic, ArithmeticRef::Named("fp16"));  // default: the dtype's
  EXPECT_EQ(layers[2].arithmetic, ArithmeticRef::Named("lmul-e4m3"));
  EXPECT_EQ(layers[3].arithmetic, ArithmeticRef::Named("bf16"));  // attention: the dtype's
}

TEST(ArithmeticType, Int32ActivationsHaveNoArithmetic) {
  try {
    Read(
        "name: w\nlayers:\n  - {name: s, op: attention_scores, heads: 2, head_dim: 32, "
        "q_len: 8, kv_len: 8, dtype: int32, inputs: []}\n");
    FAIL() << "int32 attention was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("no arithmetic multiplies int32"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace pjsim
