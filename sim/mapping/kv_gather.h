#pragma once
// Where a sparse attention op's kept keys/values live in its KV cache (docs/SPARSE_ATTENTION.md):
// the op multiplies over the kept tokens as if they were one dense operand, but each contiguous
// run of them (a selected block, a token, or the window) is read from its own place in the cache,
// so the DRAM model sees scattered reads. A task's chunk of the token dimension must lie within one
// run: FitToGather shrinks the mapping's token block to a divisor of the run.
#include <cstdint>

#include "sim/graph/attention_sparsity.h"
#include "sim/graph/layer.h"
#include "sim/mapping/gemm_mapping.h"

namespace pjsim {

// Shrinks the block along the token dimension (scores: N, context: K) to the largest divisor of
// the gathered run that is no larger; dense ops are left as they are.
void FitToGather(const Layer& layer, GemmMapping& mapping);

class KvGather {
 public:
  explicit KvGather(const Layer& layer);
  // Byte offset, from the start of the KV cache region, of the operand-B chunk a task of product
  // `batch` loads: K-chunk `kc` of `kt` rows and N-block `bj`, in the dense blocked layout of
  // the chunk's cache slice with its token index moved to where the run holding it is stored.
  std::uint64_t Offset(std::int64_t batch, std::int64_t kc, std::int64_t kt, std::int64_t bj,
                       const GemmBlocks& blocks);

 private:
  const KvSelection& SelectionOf(std::int64_t batch);

  const Layer& layer_;
  std::int64_t query_blocks_;
  std::int64_t slice_bytes_;  // one (sequence, KV head) cache
  std::int64_t selected_batch_ = -1;
  KvSelection selection_;
};

}  // namespace pjsim
