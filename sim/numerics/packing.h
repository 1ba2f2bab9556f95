#pragma once
// Storage layouts of ternary and 1-bit weights, and their exact sizes (for memory traffic).
//
// Layouts (weights w[0..n), bytes b[..]; "LSB first" = weight i in the lowest free bits):
//   kTernary2Bit   4 weights/byte. Weight i -> bits 2*(i%4)+1..2*(i%4) of b[i/4];
//                  code 00 = 0, 01 = +1, 10 = -1 (11 invalid). Padding codes are 00 (= 0).
//   kTernaryBase3  5 weights/byte (1.6 bit). b[j] = sum_k d(w[5j+k]) * 3^k, k = 0..4, with
//                  digit d(0) = 0, d(+1) = 1, d(-1) = 2. Bytes 243..255 invalid. Padding
//                  weights are 0, so an all-zero group is byte 0.
//   kTernaryTl2    bitnet.cpp TL2 style, 3 weights in 5 bits (~1.67 bit). Group j = weights
//                  3j, 3j+1, 3j+2 (padding 0) has the balanced-ternary value
//                  v = 9 w0 + 3 w1 + w2 in [-13, 13]; it is stored as a 4-bit magnitude index
//                  |v| (0..13; 14, 15 invalid) and a sign bit (v < 0). With g = ceil(n/3)
//                  groups the buffer is two planes: first ceil(g/2) bytes of indices (group j
//                  in the low nibble of byte j/2 when j is even, high nibble when odd), then
//                  ceil(g/8) bytes of sign bits (group j at bit j%8 of byte ceil(g/2) + j/8).
//                  A sign bit of 1 with index 0 decodes as zeros (Pack never writes it).
//   kBinary1Bit    8 weights/byte, w in {-1, +1}; bit i%8 of b[i/8] is 1 for +1, 0 for -1.
//                  Padding bits are 0.
//   kTernaryEntropy  Not a storable layout: the information-theoretic size, ceil(n log2 3)
//                  bits (~1.585 bit/weight). Pack/Unpack throw std::invalid_argument for it.
// Round trips are exact. Unpack throws std::invalid_argument for invalid codes or a buffer
// whose size is not PackedBits(layout, count).bytes.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace pjsim::numerics {

enum class WeightPacking { kTernary2Bit, kTernaryBase3, kTernaryTl2, kBinary1Bit, kTernaryEntropy };

std::string PackingName(WeightPacking layout);

struct PackedSize {
  int64_t bits = 0;   // payload bits the layout occupies (2n, 8 ceil(n/5), 5 ceil(n/3), n, or
                      // ceil(n log2 3)); excludes the padding of the last byte/plane
  int64_t bytes = 0;  // size of the buffer Pack returns (ceil(bits / 8) for kTernaryEntropy)
};

// Exact size of `count` weights (count >= 0; < 2^40 for kTernaryEntropy, whose
// ceil(count * log2 3) is evaluated in double-double: error < 1e-15, while for count < 2^40
// count * log2 3 never comes closer than 1.7e-13 to an integer (continued-fraction bound)).
PackedSize PackedBits(WeightPacking layout, int64_t count);

// Asymptotic bits per weight: 2, 1.6, 5/3, 1, log2(3).
double BitsPerWeight(WeightPacking layout);

std::vector<uint8_t> PackWeights(WeightPacking layout, std::span<const int8_t> weights);
std::vector<int8_t> UnpackWeights(WeightPacking layout, std::span<const uint8_t> packed,
                                  int64_t count);

}  // namespace pjsim::numerics
