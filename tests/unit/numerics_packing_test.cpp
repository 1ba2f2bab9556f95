#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

#include "sim/numerics/packing.h"

namespace pjsim::numerics {
namespace {

constexpr WeightPacking kTernaryLayouts[] = {
    WeightPacking::kTernary2Bit, WeightPacking::kTernaryBase3, WeightPacking::kTernaryTl2};

std::vector<int8_t> RandomTernary(std::mt19937_64& rng, size_t n) {
  std::vector<int8_t> w(n);
  for (int8_t& x : w) x = static_cast<int8_t>(static_cast<int>(rng() % 3) - 1);
  return w;
}

TEST(NumericsPacking, HandPackedBytes) {
  // 2-bit: codes 01 (+1), 10 (-1), 00 (0), 01 (+1), LSB first -> 0b01'00'10'01.
  EXPECT_EQ(PackWeights(WeightPacking::kTernary2Bit, std::vector<int8_t>{1, -1, 0, 1}),
            (std::vector<uint8_t>{0x49}));
  // base-3: digits 1, 2, 0, 1, 2 -> 1 + 2*3 + 0*9 + 1*27 + 2*81 = 196.
  EXPECT_EQ(PackWeights(WeightPacking::kTernaryBase3, std::vector<int8_t>{1, -1, 0, 1, -1}),
            (std::vector<uint8_t>{196}));
  // TL2: (1, -1, 0) -> v = 9 - 3 + 0 = 6; (-1, 1, 1) -> v = -9 + 3 + 1 = -5. Index plane
  // 0x56 (group 0 low nibble), sign plane bit 1 set.
  EXPECT_EQ(PackWeights(WeightPacking::kTernaryTl2, std::vector<int8_t>{1, -1, 0, -1, 1, 1}),
            (std::vector<uint8_t>{0x56, 0x02}));
  // 1-bit: +1 -> 1, -1 -> 0, LSB first.
  EXPECT_EQ(PackWeights(WeightPacking::kBinary1Bit, std::vector<int8_t>{1, -1, -1, 1}),
            (std::vector<uint8_t>{0x09}));
  // Padding is weight 0, i.e. zero bytes, in every ternary layout.
  for (const WeightPacking layout : kTernaryLayouts) {
    for (const uint8_t byte : PackWeights(layout, std::vector<int8_t>(7, 0))) EXPECT_EQ(byte, 0);
  }
}

TEST(NumericsPacking, RandomRoundTripsAreExact) {
  std::mt19937_64 rng(1);
  for (size_t n = 0; n < 70; ++n) {
    const std::vector<int8_t> w = RandomTernary(rng, n);
    for (const WeightPacking layout : kTernaryLayouts) {
      const std::vector<uint8_t> packed = PackWeights(layout, w);
      ASSERT_EQ(static_cast<int64_t>(packed.size()), PackedBits(layout, n).bytes);
      ASSERT_EQ(UnpackWeights(layout, packed, static_cast<int64_t>(n)), w)
          << PackingName(layout) << " n=" << n;
    }
    std::vector<int8_t> binary(n);
    for (int8_t& x : binary) x = (rng() & 1) != 0 ? int8_t{1} : int8_t{-1};
    const std::vector<uint8_t> packed = PackWeights(WeightPacking::kBinary1Bit, binary);
    ASSERT_EQ(UnpackWeights(WeightPacking::kBinary1Bit, packed, static_cast<int64_t>(n)), binary);
  }
  const std::vector<int8_t> big = RandomTernary(rng, 100003);
  for (const WeightPacking layout : kTernaryLayouts) {
    EXPECT_EQ(UnpackWeights(layout, PackWeights(layout, big), 100003), big);
  }
}

TEST(NumericsPacking, EdgeVectorsRoundTrip) {
  for (const int8_t value : {int8_t{-1}, int8_t{0}, int8_t{1}}) {
    for (const size_t n : {size_t{1}, size_t{5}, size_t{16}, size_t{17}}) {
      const std::vector<int8_t> w(n, value);
      for (const WeightPacking layout : kTernaryLayouts) {
        EXPECT_EQ(UnpackWeights(layout, PackWeights(layout, w), static_cast<int64_t>(n)), w);
      }
    }
  }
}

TEST(NumericsPacking, EveryTl2TripleAndBase3ByteDecodes) {
  // All 27 triples round-trip through TL2, and every index 0..13 with either sign decodes to
  // the triple whose balanced-ternary value it encodes.
  for (int v = -13; v <= 13; ++v) {
    const std::vector<int8_t> w = {static_cast<int8_t>((v + 13) / 9 - 1),
                                   static_cast<int8_t>((v + 13) / 3 % 3 - 1),
                                   static_cast<int8_t>((v + 13) % 3 - 1)};
    ASSERT_EQ(9 * w[0] + 3 * w[1] + w[2], v);
    const std::vector<uint8_t> packed = PackWeights(WeightPacking::kTernaryTl2, w);
    ASSERT_EQ(packed[0], v < 0 ? -v : v);
    ASSERT_EQ(packed[1], v < 0 ? 1 : 0);
    ASSERT_EQ(UnpackWeights(WeightPacking::kTernaryTl2, packed, 3), w);
  }
  for (unsigned byte = 0; byte < 243; ++byte) {
    const std::vector<uint8_t> packed = {static_cast<uint8_t>(byte)};
    const std::vector<int8_t> w = UnpackWeights(WeightPacking::kTernaryBase3, packed, 5);
    ASSERT_EQ(PackWeights(WeightPacking::kTernaryBase3, w), packed);
  }
}

TEST(NumericsPacking, InvalidInputsThrow) {
  EXPECT_THROW(PackWeights(WeightPacking::kTernary2Bit, std::vector<int8_t>{2}),
               std::invalid_argument);
  EXPECT_THROW(PackWeights(WeightPacking::kBinary1Bit, std::vector<int8_t>{0}),
               std::invalid_argument);
  EXPECT_THROW(PackWeights(WeightPacking::kTernaryEntropy, std::vector<int8_t>{0}),
               std::invalid_argument);
  EXPECT_THROW(UnpackWeights(WeightPacking::kTernary2Bit, std::vector<uint8_t>{0x03}, 1),
               std::invalid_argument);
  EXPECT_THROW(UnpackWeights(WeightPacking::kTernaryBase3, std::vector<uint8_t>{243}, 5),
               std::invalid_argument);
  EXPECT_THROW(UnpackWeights(WeightPacking::kTernaryTl2, std::vector<uint8_t>{0x0E, 0}, 3),
               std::invalid_argument);
  EXPECT_THROW(UnpackWeights(WeightPacking::kTernary2Bit, std::vector<uint8_t>{0, 0}, 4),
               std::invalid_argument);  // wrong buffer size
  EXPECT_THROW(PackedBits(WeightPacking::kTernary2Bit, -1), std::invalid_argument);
}

TEST(NumericsPacking, ExactSizes) {
  EXPECT_EQ(PackedBits(WeightPacking::kTernary2Bit, 5).bits, 10);
  EXPECT_EQ(PackedBits(WeightPacking::kTernary2Bit, 5).bytes, 2);
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryBase3, 6).bits, 16);
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryBase3, 6).bytes, 2);
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryTl2, 7).bits, 15);  // 3 groups
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryTl2, 7).bytes, 3);  // 2 index + 1 sign bytes
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryTl2, 48).bytes, 8 + 2);
  EXPECT_EQ(PackedBits(WeightPacking::kBinary1Bit, 9).bytes, 2);
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryEntropy, 0).bits, 0);
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryEntropy, 1).bits, 2);
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryEntropy, 5).bits, 8);  // 3^5 = 243 <= 256
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryEntropy, 665).bits, 1055);
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryEntropy, 190537).bits, 301994);
  // 753110839881 log2 3 exceeds an integer by only 1.7e-13: plain double arithmetic gives
  // 1193652440098 here; the exact answer is one more.
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryEntropy, 753110839881).bits, 1193652440099);
  EXPECT_THROW(PackedBits(WeightPacking::kTernaryEntropy, int64_t{1} << 40), std::invalid_argument);
}

TEST(NumericsPacking, BitNet2B4TLinearWeights) {
  // docs/SOURCES.md#bitnet2b4t: 2.084e9 weights in linear layers; ~0.41 GB at 1.58 bit,
  // 0.52 GB at 2 bit.
  constexpr int64_t kWeights = 2084000000;
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryEntropy, kWeights).bits, 3303061852);
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryEntropy, kWeights).bytes, 412882732);  // 0.41 GB
  EXPECT_EQ(PackedBits(WeightPacking::kTernary2Bit, kWeights).bytes, 521000000);     // 0.52 GB
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryBase3, kWeights).bytes, 416800000);    // 0.42 GB
  EXPECT_EQ(PackedBits(WeightPacking::kTernaryTl2, kWeights).bytes,
            347333334 + 86833334);  // 0.43 GB
  EXPECT_EQ(PackedBits(WeightPacking::kBinary1Bit, kWeights).bytes, 260500000);
  EXPECT_DOUBLE_EQ(BitsPerWeight(WeightPacking::kTernaryTl2), 5.0 / 3.0);
  EXPECT_NEAR(BitsPerWeight(WeightPacking::kTernaryEntropy), 1.5849625, 1e-7);
}

}  // namespace
}  // namespace pjsim::numerics
