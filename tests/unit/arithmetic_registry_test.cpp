// The arithmetic registry: packed weight sizes are the exact buffers of sim/numerics/packing,
// defaults (packing, sparsity, activations, L-Mul format) are as documented in docs/ARITHMETIC.md.
#include <gtest/gtest.h>

#include "sim/graph/arithmetic.h"
#include "sim/numerics/packing.h"

namespace pjsim {
namespace {

TEST(ArithmeticRegistry, PackedWeightBytesAreTheNumericsBuffers) {
  const Arithmetic& t = FindArithmetic("ternary");
  EXPECT_EQ(t.packings, (std::vector<std::string>{"2bit", "base3", "tl2", "entropy"}));
  EXPECT_DOUBLE_EQ(t.default_sparsity, 1.0 / 3.0);
  EXPECT_EQ(t.weight_bytes(10, "2bit"), 3);     // ceil(10/4)
  EXPECT_EQ(t.weight_bytes(10, "base3"), 2);    // ceil(10/5)
  EXPECT_EQ(t.weight_bytes(10, "tl2"), 2 + 1);  // 4 groups: 2 index bytes + 1 sign byte
  EXPECT_EQ(t.weight_bytes(10, "entropy"), 2);  // ceil(15.85) = 16 bits
  EXPECT_EQ(t.weight_bytes(0, "2bit"), 0);
  // Whatever the count, the same bytes as packing.h's Pack would return.
  for (const std::int64_t n : {1, 7, 255, 1000, 6912 * 2560}) {
    EXPECT_EQ(t.weight_bytes(n, "tl2"),
              numerics::PackedBits(numerics::WeightPacking::kTernaryTl2, n).bytes);
    if (n <= 1000) {
      const std::vector<int8_t> w(static_cast<size_t>(n), 1);
      EXPECT_EQ(t.weight_bytes(n, "base3"),
                static_cast<std::int64_t>(
                    numerics::PackWeights(numerics::WeightPacking::kTernaryBase3, w).size()));
    }
  }
  const Arithmetic& b = FindArithmetic("binary");
  EXPECT_EQ(b.weight_bytes(9, "1bit"), 2);
  EXPECT_DOUBLE_EQ(b.default_sparsity, 0);
}

TEST(ArithmeticRegistry, LmulFormatsAndWidths) {
  EXPECT_EQ(FindArithmetic("lmul-e4m3").weight_bytes(10, "dense"), 10);
  EXPECT_EQ(FindArithmetic("lmul-fp16").weight_bytes(10, "dense"), 20);
  EXPECT_EQ(FindArithmetic("lmul-fp32").weight_bytes(10, "dense"), 40);
  EXPECT_EQ(*FindArithmetic("lmul-e5m2").lmul_format, numerics::kFp8E5M2);
  EXPECT_EQ(*FindArithmetic("lmul-bf16").lmul_format, numerics::kBf16);
  EXPECT_EQ(FindArithmetic("lmul-e4m3").activations,
            (std::vector<DType>{DType::kFp16, DType::kBf16}));
  EXPECT_FALSE(FindArithmetic("fp16").lmul_format.has_value());
  EXPECT_FALSE(FindArithmetic("ternary").lmul_format.has_value());
}

TEST(ArithmeticRegistry, UnpackOpsAndUnknownNames) {
  EXPECT_EQ(UnpackOpName("dense"), "");
  EXPECT_EQ(UnpackOpName("base3"), "unpack_base3");
  EXPECT_THROW(FindArithmetic("int3"), std::out_of_range);
  EXPECT_THROW(FindArithmetic("ternary").weight_bytes(4, "base4"), std::out_of_range);
}

}  // namespace
}  // namespace pjsim
