#include "sim/mapping/tensor_placement.h"

#include <algorithm>
#include <numeric>

#include "sim/mapping/lifetime_offsets.h"

namespace pjsim {
namespace {

// Layer outputs' offsets from the bottom of the address space and the space they take. `reuse`:
// by liveness, an output from the step of its producer to that of its last reader in running
// order (the topological order, one layer at a time), so a dead output's rows hold a later one.
// A pass runs only after the one before has finished and no output is read in another pass, so
// one pass's lifetimes hold for all. An output nothing reads (the model's result) stays live to
// the end of the pass. Otherwise every output has its own region, one after another in layer order.
LifetimeOffsets OutputOffsets(const LayerGraph& graph, const std::vector<std::uint64_t>& bytes,
                              std::uint64_t row, bool reuse) {
  const size_t n = bytes.size();
  if (!reuse) {
    LifetimeOffsets bump;
    for (std::uint64_t b : bytes) {
      bump.offsets.push_back(bump.bytes);
      bump.bytes += (b + row - 1) / row * row;
    }
    return bump;
  }
  std::vector<std::int64_t> step(n);
  const std::vector<int>& order = graph.topological_order();
  for (size_t s = 0; s < order.size(); ++s) step[static_cast<size_t>(order[s])] = std::int64_t(s);
  std::vector<Lifetime> lifetimes(n);
  std::vector<bool> read(n, false);
  for (size_t l = 0; l < n; ++l) lifetimes[l] = {bytes[l], step[l], step[l]};
  for (size_t l = 0; l < n; ++l) {
    for (int p : graph.producers(static_cast<int>(l))) {
      Lifetime& t = lifetimes[static_cast<size_t>(p)];
      t.last = std::max(t.last, step[l]);
      read[static_cast<size_t>(p)] = true;
    }
  }
  for (size_t l = 0; l < n; ++l) {
    if (!read[l]) lifetimes[l].last = static_cast<std::int64_t>(n);
  }
  return PlanLifetimeOffsets(lifetimes, row);
}

// The span after which the address map gives the same channel and bank again with the next row:
// channels x lcm(interleave, the channel's row stride), the stride found by asking the model
// (RowOf); a model without rows, or whose rows do not space tensors (ModelParams::RowsSpaceTensors:
// `simple`), gives channels x interleave. A multiple of the row.
std::uint64_t AddressMapPeriod(const DramConfig& dram, std::uint64_t row) {
  const auto channels = static_cast<std::uint64_t>(dram.channels.size());
  const auto interleave =
      std::max<std::uint64_t>(static_cast<std::uint64_t>(dram.interleave_bytes), 1);
  std::uint64_t stride = 1;
  if (dram.params && dram.params->RowsSpaceTensors()) {
    const DramRow first = dram.params->RowOf(0);
    const std::uint64_t capacity = dram.params->ChannelCapacityBytes();
    for (std::uint64_t span = row;
         span <= (std::uint64_t{1} << 40) && (capacity == 0 || span < capacity); span *= 2) {
      const DramRow r = dram.params->RowOf(span);
      if (r.bank == first.bank && r.row != first.row) {
        stride = span;
        break;
      }
    }
  }
  return std::lcm(row, channels * std::lcm(interleave, stride));
}

// A runtime's allocator starts large tensors at large boundaries: PyTorch's CUDA caching
// allocator rounds every allocation above 1 MiB (kSmallSize) up to 2 MiB (kRoundLarge), in
// segments of its own. Aligned to a whole period of the address map too, every decoder block's
// weights and caches lie alike in every channel and bank, so a block's layer runs find the bank
// states of the block before's and replay them (their moves are multiples of the period).
// A period that would space tensors by more than kMaxLargeAlignment (many channels, ranks and
// banks) is not taken: the space left between tensors would distort the footprint.
constexpr std::uint64_t kLargeTensorBytes = std::uint64_t{1} << 20;
constexpr std::uint64_t kLargeTensorAlignment = std::uint64_t{2} << 20;
constexpr std::uint64_t kMaxLargeAlignment = std::uint64_t{8} << 20;

}  // namespace

TensorPlacement PlaceTensors(const ArchConfig& arch, const Workload& workload) {
  const auto& layers = workload.graph->layers();
  const auto row = static_cast<std::uint64_t>(arch.dram.row_bytes);
  const std::int64_t last_pass = workload.Passes() - 1;
  std::vector<std::uint64_t> output_bytes(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer last = layers[i].AtDecodeStep(last_pass);
    output_bytes[i] = static_cast<std::uint64_t>(last.OutputElements() * DTypeBits(last.dtype) / 8);
  }
  // Pipelined groups run layers side by side, in an order that timing decides: an output's last
  // reader in topological order may still run when a later layer writes, so nothing is reused.
  const bool reuse = arch.mapping.activation_placement == ActivationPlacement::kReuse &&
                     arch.mapping.strategy == MappingStrategy::kSpread;
  const LifetimeOffsets offsets = OutputOffsets(*workload.graph, output_bytes, row, reuse);
  DramAllocator dram(row);
  // A plan's transfer at address 0 stands for none, and a region there is never moved to another
  // layer's tensors (SameSizes): reused rows start one period of the address map up, so that every
  // output can be, and each tensor keeps the channels and banks it had at 0.
  const std::uint64_t bottom = reuse ? dram.Allocate(AddressMapPeriod(arch.dram, row)).bytes : 0;
  std::vector<DramRegion> outputs(layers.size());
  for (size_t i = 0; i < layers.size(); ++i)
    outputs[i] = {bottom + offsets.offsets[i], output_bytes[i]};
  // The persistent tensors above the outputs, one after another in layer order; with outputs
  // reused (a runtime's placement) the large ones at large boundaries.
  dram.Allocate(offsets.bytes);
  const std::uint64_t with_period =
      std::lcm(kLargeTensorAlignment, AddressMapPeriod(arch.dram, row));
  const std::uint64_t large_alignment =
      with_period <= kMaxLargeAlignment ? with_period : kLargeTensorAlignment;
  const auto persistent = [&](std::uint64_t bytes) {
    if (reuse && bytes > kLargeTensorBytes) {
      if (const std::uint64_t gap =
              (large_alignment - dram.used() % large_alignment) % large_alignment;
          gap > 0)
        dram.Allocate(gap);
    }
    return dram.Allocate(bytes);
  };
  TensorPlacement placement;
  placement.layers.resize(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer last = layers[i].AtDecodeStep(last_pass);
    const auto bytes_per = static_cast<std::uint64_t>(DTypeBits(last.dtype) / 8);
    LayerRegions& r = placement.layers[i];
    for (int p : workload.graph->producers(static_cast<int>(i)))
      r.inputs.push_back(outputs[static_cast<size_t>(p)]);
    for (int in = static_cast<int>(r.inputs.size()); in < last.Arity(); ++in) {
      const TensorShape s = last.InputShape(in);  // a workload input, read from DRAM
      r.inputs.push_back(persistent(static_cast<std::uint64_t>(s.rows * s.cols) * bytes_per));
    }
    switch (last.kind) {
      case OpKind::kLinear:
      case OpKind::kAttentionScores:
      case OpKind::kAttentionContext:
        // Weights (an expert op holds every expert's), or the KV cache at its final length.
        r.operand_b = persistent(static_cast<std::uint64_t>(
            last.expert.enabled() ? last.expert.experts * last.OperandBBytes(last.k * last.n)
                                  : last.OperandBStoredBytes()));
        break;
      case OpKind::kNorm:
        r.operand_b = persistent(static_cast<std::uint64_t>(last.n) * bytes_per);
        break;
      case OpKind::kEmbedding:
        r.operand_b = persistent(static_cast<std::uint64_t>(last.k * last.n) * bytes_per);
        break;
      default:
        break;
    }
    r.output = outputs[i];
  }
  placement.bytes = dram.used();
  return placement;
}

}  // namespace pjsim
