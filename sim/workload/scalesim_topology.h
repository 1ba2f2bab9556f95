#pragma once
// Reads a SCALE-Sim topology file (github.com/scalesim-project/scale-sim-v2, topologies/): the
// GEMM each row's layer runs on the systolic array, as SCALE-Sim's topology_utils.py derives it.
// A convolution row (`Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width,
// Channels, Num Filter, Strides,` with an optional stride for the width) is its im2col GEMM:
// M = output pixels, K = filter window × channels, N = filters. A GEMM row (`Layer, M, N, K,`,
// SCALE-Sim's `-i gemm` input) is the GEMM itself. docs/MAPPING.md, "SCALE-Sim inputs".
#include <cstdint>
#include <string>
#include <vector>

namespace pjsim {

enum class ScaleSimTopologyFormat {
  kAuto,  // GEMM when the header's fields after the name are M, N, K; convolution otherwise
  kConv,
  kGemm,
};

struct ScaleSimGemm {
  std::string name;    // the row's layer name; a depthwise row ("DP" in its name) gives one
                       // layer per channel, NAME + "Channel_" + i, as SCALE-Sim splits it
  std::int64_t m = 0;  // output pixels (ofmap height × width), or the GEMM's M
  std::int64_t k = 0;  // filter height × width × channels, or the GEMM's K
  std::int64_t n = 0;  // filters, or the GEMM's N
  int line = 0;        // the row's line in the file
};

// Output size along one dimension as SCALE-Sim computes it: ceil((in - filter + stride) /
// stride), i.e. the windows that start inside the input (in >= filter).
std::int64_t ScaleSimOutputSize(std::int64_t in, std::int64_t filter, std::int64_t stride);

// The GEMMs of a topology file, in its order. Throws ConfigError at the file:line:column of a
// malformed row or value (a filter larger than its input, a zero or negative size, a missing
// field); the trailing comma SCALE-Sim's rows end with is optional here.
std::vector<ScaleSimGemm> ReadScaleSimTopology(const std::string& path,
                                               ScaleSimTopologyFormat format);

}  // namespace pjsim
