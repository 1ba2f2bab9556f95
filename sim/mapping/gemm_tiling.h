#pragma once
// The block sizes of a GEMM-family layer's walk and one task's place in it (the mapping that
// chooses them: gemm_mapping.h, mapping_search.h).
#include <cstdint>

namespace pjsim {

struct GemmBlocks {
  std::int64_t m = 0, k = 0, n = 0;
};

// One task's place in the walk: product `batch`, output block (bi, bj), K chunk kc, and its
// sizes (the last block of a dimension may be short).
struct GemmChunk {
  std::int64_t batch = 0, bi = 0, bj = 0, kc = 0;
  std::int64_t mt = 0, kt = 0, nt = 0;
};

}  // namespace pjsim
