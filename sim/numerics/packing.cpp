#include "sim/numerics/packing.h"

#include <cmath>
#include <stdexcept>

namespace pjsim::numerics {
namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// log2(3) as a double-double: kLog2_3Hi + kLog2_3Lo carries ~107 bits.
constexpr double kLog2_3Hi = 0x1.95c01a39fbd68p+0;
constexpr double kLog2_3Lo = 0x1.e7e802c48281ap-54;

int64_t EntropyBits(int64_t count) {
  if (count == 0) return 0;
  const double n = static_cast<double>(count);
  const double product = n * kLog2_3Hi;
  const double product_error = std::fma(n, kLog2_3Hi, -product);  // exact: n * hi - product
  const double whole = std::floor(product);
  const double fraction = (product - whole) + (product_error + n * kLog2_3Lo);
  // count * log2(3) is irrational for count >= 1, so the ceiling is floor + 1.
  return static_cast<int64_t>(whole) + static_cast<int64_t>(std::floor(fraction)) + 1;
}

void CheckCount(int64_t count) {
  if (count < 0) throw std::invalid_argument("weight count must be >= 0");
}

void CheckTernary(int8_t w) {
  if (w < -1 || w > 1) throw std::invalid_argument("packing: ternary weight outside {-1, 0, 1}");
}

uint8_t Trit(int8_t w) { return static_cast<uint8_t>(w < 0 ? 2 : w); }  // 0, +1, -1 -> 0, 1, 2

int8_t FromTrit(unsigned digit) { return static_cast<int8_t>(digit == 2 ? -1 : digit); }

int8_t WeightAt(std::span<const int8_t> weights, size_t i) {
  return i < weights.size() ? weights[i] : int8_t{0};
}

}  // namespace

std::string PackingName(WeightPacking layout) {
  switch (layout) {
    case WeightPacking::kTernary2Bit:
      return "ternary-2bit";
    case WeightPacking::kTernaryBase3:
      return "ternary-base3";
    case WeightPacking::kTernaryTl2:
      return "ternary-tl2";
    case WeightPacking::kBinary1Bit:
      return "binary-1bit";
    case WeightPacking::kTernaryEntropy:
      return "ternary-entropy";
  }
  return "?";
}

PackedSize PackedBits(WeightPacking layout, int64_t count) {
  CheckCount(count);
  switch (layout) {
    case WeightPacking::kTernary2Bit:
      return {2 * count, CeilDiv(count, 4)};
    case WeightPacking::kTernaryBase3:
      return {8 * CeilDiv(count, 5), CeilDiv(count, 5)};
    case WeightPacking::kTernaryTl2: {
      const int64_t groups = CeilDiv(count, 3);
      return {5 * groups, CeilDiv(groups, 2) + CeilDiv(groups, 8)};
    }
    case WeightPacking::kBinary1Bit:
      return {count, CeilDiv(count, 8)};
    case WeightPacking::kTernaryEntropy: {
      if (count >= (int64_t{1} << 40)) {
        throw std::invalid_argument("entropy size is exact only below 2^40 weights");
      }
      const int64_t bits = EntropyBits(count);
      return {bits, CeilDiv(bits, 8)};
    }
  }
  throw std::invalid_argument("unknown packing layout");
}

double BitsPerWeight(WeightPacking layout) {
  switch (layout) {
    case WeightPacking::kTernary2Bit:
      return 2.0;
    case WeightPacking::kTernaryBase3:
      return 1.6;
    case WeightPacking::kTernaryTl2:
      return 5.0 / 3.0;
    case WeightPacking::kBinary1Bit:
      return 1.0;
    case WeightPacking::kTernaryEntropy:
      return kLog2_3Hi;
  }
  throw std::invalid_argument("unknown packing layout");
}

std::vector<uint8_t> PackWeights(WeightPacking layout, std::span<const int8_t> weights) {
  const int64_t count = static_cast<int64_t>(weights.size());
  if (layout == WeightPacking::kTernaryEntropy) {
    throw std::invalid_argument("ternary-entropy is a size bound, not a storable layout");
  }
  std::vector<uint8_t> packed(static_cast<size_t>(PackedBits(layout, count).bytes), 0);
  switch (layout) {
    case WeightPacking::kTernary2Bit:
      for (size_t i = 0; i < weights.size(); ++i) {
        CheckTernary(weights[i]);
        packed[i / 4] = static_cast<uint8_t>(packed[i / 4] | Trit(weights[i]) << (2 * (i % 4)));
      }
      break;
    case WeightPacking::kTernaryBase3:
      for (size_t j = 0; j < packed.size(); ++j) {
        unsigned value = 0;
        for (size_t k = 5; k-- > 0;) {
          const int8_t w = WeightAt(weights, 5 * j + k);
          CheckTernary(w);
          value = value * 3 + Trit(w);
        }
        packed[j] = static_cast<uint8_t>(value);
      }
      break;
    case WeightPacking::kTernaryTl2: {
      const size_t groups = static_cast<size_t>(CeilDiv(count, 3));
      const size_t sign_plane = (groups + 1) / 2;
      for (size_t j = 0; j < groups; ++j) {
        int value = 0;
        for (size_t k = 0; k < 3; ++k) {
          const int8_t w = WeightAt(weights, 3 * j + k);
          CheckTernary(w);
          value = value * 3 + w;
        }
        const unsigned index = static_cast<unsigned>(value < 0 ? -value : value);
        packed[j / 2] = static_cast<uint8_t>(packed[j / 2] | index << (4 * (j % 2)));
        if (value < 0) {
          packed[sign_plane + j / 8] =
              static_cast<uint8_t>(packed[sign_plane + j / 8] | 1u << (j % 8));
        }
      }
      break;
    }
    case WeightPacking::kBinary1Bit:
      for (size_t i = 0; i < weights.size(); ++i) {
        if (weights[i] != 1 && weights[i] != -1) {
          throw std::invalid_argument("packing: binary weight outside {-1, +1}");
        }
        if (weights[i] == 1) packed[i / 8] = static_cast<uint8_t>(packed[i / 8] | 1u << (i % 8));
      }
      break;
    case WeightPacking::kTernaryEntropy:
      break;  // rejected above
  }
  return packed;
}

std::vector<int8_t> UnpackWeights(WeightPacking layout, std::span<const uint8_t> packed,
                                  int64_t count) {
  if (layout == WeightPacking::kTernaryEntropy) {
    throw std::invalid_argument("ternary-entropy is a size bound, not a storable layout");
  }
  if (static_cast<int64_t>(packed.size()) != PackedBits(layout, count).bytes) {
    throw std::invalid_argument("unpack: buffer size does not match " + PackingName(layout));
  }
  std::vector<int8_t> weights(static_cast<size_t>(count));
  switch (layout) {
    case WeightPacking::kTernary2Bit:
      for (size_t i = 0; i < weights.size(); ++i) {
        const unsigned code = (packed[i / 4] >> (2 * (i % 4))) & 3u;
        if (code == 3) throw std::invalid_argument("unpack: invalid 2-bit code 11");
        weights[i] = FromTrit(code);
      }
      break;
    case WeightPacking::kTernaryBase3:
      for (size_t j = 0; j < packed.size(); ++j) {
        unsigned value = packed[j];
        if (value >= 243) throw std::invalid_argument("unpack: base-3 byte above 242");
        for (size_t k = 0; k < 5; ++k, value /= 3) {
          if (5 * j + k < weights.size()) weights[5 * j + k] = FromTrit(value % 3);
        }
      }
      break;
    case WeightPacking::kTernaryTl2: {
      const size_t groups = static_cast<size_t>(CeilDiv(count, 3));
      const size_t sign_plane = (groups + 1) / 2;
      for (size_t j = 0; j < groups; ++j) {
        const int index = (packed[j / 2] >> (4 * (j % 2))) & 0xF;
        if (index > 13) throw std::invalid_argument("unpack: TL2 index above 13");
        int value = ((packed[sign_plane + j / 8] >> (j % 8)) & 1) != 0 ? -index : index;
        // Balanced-ternary digits, least significant (w2) first.
        for (size_t k = 3; k-- > 0;) {
          const int digit = ((value % 3) + 3) % 3;  // 0, 1, 2
          const int w = digit == 2 ? -1 : digit;
          value = (value - w) / 3;
          if (3 * j + k < weights.size()) weights[3 * j + k] = static_cast<int8_t>(w);
        }
      }
      break;
    }
    case WeightPacking::kBinary1Bit:
      for (size_t i = 0; i < weights.size(); ++i) {
        weights[i] = static_cast<int8_t>(((packed[i / 8] >> (i % 8)) & 1) != 0 ? 1 : -1);
      }
      break;
    case WeightPacking::kTernaryEntropy:
      break;  // rejected above
  }
  return weights;
}

}  // namespace pjsim::numerics
