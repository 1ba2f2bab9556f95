#pragma once
// Offsets for buffers that live over intervals of a run's steps, so that buffers live at the same
// step never share a byte and buffers that are never live together may: the greedy-by-size offset
// planner of Pisarchyk and Lee, "Efficient Memory Management for Deep Neural Net Inference"
// (arXiv:2001.03288, 2020, section 5.2), the one TensorFlow Lite's GPU delegate uses
// (GreedyBySizeAssignment). Largest buffer first; each takes the smallest gap between the buffers
// already placed that live when it does, or goes above them all. Every offset and size is a
// multiple of the alignment (a DRAM row), ties are broken by first step then index, so the
// result depends only on the input.
#include <cstdint>
#include <vector>

namespace pjsim {

struct Lifetime {
  std::uint64_t bytes = 0;
  std::int64_t first = 0;  // the step that writes it
  std::int64_t last = 0;   // the last step that reads it (>= first)
};

struct LifetimeOffsets {
  std::vector<std::uint64_t> offsets;  // one per buffer, in input order (0 for an empty one)
  std::uint64_t bytes = 0;             // the peak: the highest aligned end
};

LifetimeOffsets PlanLifetimeOffsets(const std::vector<Lifetime>& buffers, std::uint64_t alignment);

}  // namespace pjsim
