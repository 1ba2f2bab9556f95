#pragma once
// Places tensors in the DRAM address space (bump allocation, row-aligned). A layer reads its
// operands blocked in the order it reads them and writes its output blocks in the order it
// stores them (GemmWalk), so one block is one contiguous address range.
#include <cstdint>

namespace pjsim {

struct DramRegion {
  std::uint64_t base = 0;
  std::uint64_t bytes = 0;
};

class DramAllocator {
 public:
  explicit DramAllocator(std::uint64_t alignment) : alignment_(alignment) {}
  DramRegion Allocate(std::uint64_t bytes) {
    DramRegion r{next_, bytes};
    next_ += (bytes + alignment_ - 1) / alignment_ * alignment_;
    return r;
  }
  // Bytes of address space handed out so far, alignment included.
  std::uint64_t used() const { return next_; }

 private:
  std::uint64_t alignment_;
  std::uint64_t next_ = 0;
};

}  // namespace pjsim
