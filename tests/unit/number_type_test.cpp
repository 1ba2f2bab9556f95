// Number types of the tile datapath: every name round-trips, widths are the types' bit widths,
// and tile.accumulator in an arch file becomes the type (unknown names are rejected).
#include "sim/config/number_type.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "sim/config/arch_config.h"
#include "sim/config/yaml_reader.h"
#include "test_paths.h"

namespace pjsim {
namespace {

TEST(NumberType, NamesRoundTrip) {
  ASSERT_EQ(NumberTypeNames(),
            (std::vector<std::string>{"int8", "int16", "int32", "fp16", "fp32"}));
  for (const std::string& name : NumberTypeNames()) {
    EXPECT_EQ(NumberTypeName(ParseNumberType(name)), name);
  }
  for (const NumberType t : {NumberType::kInt8, NumberType::kInt16, NumberType::kInt32,
                             NumberType::kFp16, NumberType::kFp32}) {
    EXPECT_EQ(ParseNumberType(NumberTypeName(t)), t);
  }
}

TEST(NumberType, WidthsAndKinds) {
  EXPECT_EQ(NumberTypeBits(NumberType::kInt8), 8);
  EXPECT_EQ(NumberTypeBits(NumberType::kInt16), 16);
  EXPECT_EQ(NumberTypeBits(NumberType::kInt32), 32);
  EXPECT_EQ(NumberTypeBits(NumberType::kFp16), 16);
  EXPECT_EQ(NumberTypeBits(NumberType::kFp32), 32);
  EXPECT_FALSE(IsFloat(NumberType::kInt16));
  EXPECT_FALSE(IsFloat(NumberType::kInt32));
  EXPECT_TRUE(IsFloat(NumberType::kFp16));
  EXPECT_TRUE(IsFloat(NumberType::kFp32));
}

TEST(NumberType, UnknownNamesAreErrors) {
  EXPECT_THROW(ParseNumberType("int64"), std::invalid_argument);
  EXPECT_THROW(ParseNumberType("bf16"), std::invalid_argument);  // an element type only
  EXPECT_THROW(ParseNumberType(""), std::invalid_argument);
  EXPECT_THROW(ParseNumberType("Int32"), std::invalid_argument);
}

TEST(NumberType, ArchFilesGiveTheAccumulatorType) {
  const auto accumulator = [](const std::string& file) {
    const std::string path = test::SourceDir() + "/configs/arch/" + file;
    ConfigMap root = ConfigMap::Root(ConfigDocument::Load(path));
    root.Has("tech");  // the run config reads it
    return ReadArchConfig(root, 1e9).tile.accumulator;
  };
  EXPECT_EQ(accumulator("default.yaml"), NumberType::kInt32);
  EXPECT_EQ(accumulator("mesh4x4-ternary.yaml"), NumberType::kInt8);
  EXPECT_EQ(accumulator("mesh4x4-fp16.yaml"), NumberType::kFp32);
  EXPECT_EQ(accumulator("spiking-mesh4x4.yaml"), NumberType::kInt16);
}

}  // namespace
}  // namespace pjsim
