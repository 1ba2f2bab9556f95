#pragma once
// DRAM traffic of a spike-driven GEMM layer (Layer::spiking), chunk by chunk of the block walk:
// the spikes of each input block (sampled from the layer's rate, seeded by block position, or
// counted in its recorded trace) and the bytes they move in the cheaper encoding; the weight rows
// fetched (event-driven: only rows of inputs that spiked); the spikes and bytes of each output
// block. An input block is drawn once per walk: every column block reads the same spikes
// (sampling once per block instead of once per task is what keeps dense, long trains fast).
#include <cstdint>
#include <vector>

#include "sim/graph/layer.h"
#include "sim/mapping/gemm_tiling.h"

namespace pjsim {

class SpikeTraffic {
 public:
  // `layer` (spiking enabled) must outlive this.
  SpikeTraffic(const Layer& layer, const GemmBlocks& blocks);

  struct Loads {
    double input_spikes = 0;        // in the chunk's input block, over all timesteps
    std::int64_t input_bytes = 0;   // that block as a spike train
    std::int64_t weight_bytes = 0;  // operand B rows of the inputs that spiked
  };
  Loads Load(const GemmChunk& c);

  struct Store {
    double output_spikes = 0;  // the output block emits, over all timesteps
    std::int64_t bytes = 0;
  };
  Store Output(const GemmChunk& c) const;

 private:
  const Layer& layer_;
  GemmBlocks blocks_;
  std::int64_t blocks_m_, blocks_n_, k_chunks_;
  std::vector<double> input_spikes_;  // per (batch, row block, K chunk); -1: not drawn yet
};

}  // namespace pjsim
