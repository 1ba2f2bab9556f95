#pragma once
// DRAM traffic of a spike-driven GEMM layer (Layer::spiking), chunk by chunk of the block walk:
// the spikes of each input block (sampled from the layer's rate, seeded by block position, or
// counted in its recorded trace) and the bytes they move in the cheaper encoding; the weight rows
// fetched (event-driven: only rows of inputs that spiked); the spikes and bytes of each output
// block. An input block is drawn once per walk: every column block reads the same spikes
// (sampling once per block instead of once per task is what keeps dense, long trains fast).
// Which rows are fetched matters to the DRAM (scattered rows cost row activations and whole
// bursts), so each input block also knows where its active inputs are: recorded in the trace,
// or drawn uniformly (the count as above) with the block's seed.
#include <cstdint>
#include <vector>

#include "sim/graph/layer.h"
#include "sim/mapping/gemm_tiling.h"
#include "sim/task/tile_task.h"

namespace pjsim {

class SpikeTraffic {
 public:
  // `layer` (spiking enabled) must outlive this. `spike_batch`: the array's buffered slots
  // (TileConfig::spike_batch).
  SpikeTraffic(const Layer& layer, const GemmBlocks& blocks, std::int64_t spike_batch = 1);

  // Consecutive active inputs [first, first + count) of a chunk, counted from its first row.
  struct RowRun {
    std::int64_t first = 0, count = 0;
  };
  struct Loads {
    double input_spikes = 0;        // in the chunk's input block, over all timesteps
    double weight_row_reads = 0;    // SRAM weight-row reads those spikes cost the array
    std::int64_t input_bytes = 0;   // that block as a spike train
    std::int64_t weight_bytes = 0;  // operand B rows of the inputs that spiked
    // Where those rows are, in order; one run of all kt rows when every input spiked.
    const std::vector<RowRun>* active_rows = nullptr;
  };
  Loads Load(const GemmChunk& c);

  struct Store {
    double output_spikes = 0;  // the output block emits, over all timesteps
    std::int64_t bytes = 0;
  };
  Store Output(const GemmChunk& c) const;

 private:
  // Weight-row reads of a drawn input block (`spikes` over c.mt x T slots of c.kt inputs): with a
  // recorded trace and batches of whole rows, the rows' active inputs counted batch by batch;
  // otherwise the independent-spike expectation (SpikeWeightRowReads) at the block's rate.
  double RowReads(const GemmChunk& c, double spikes) const;

  const Layer& layer_;
  GemmBlocks blocks_;
  std::int64_t spike_batch_;
  std::int64_t blocks_m_, blocks_n_, k_chunks_;
  struct InputBlock {
    double spikes = -1;  // -1: not drawn yet
    double row_reads = 0;
    std::vector<RowRun> active_rows;
  };
  // The active inputs' positions: `rows` of `kt`, from the trace or drawn with `seed`.
  std::vector<RowRun> ActiveRows(const GemmChunk& c, std::int64_t rows, std::uint64_t seed) const;

  std::vector<InputBlock> input_blocks_;  // per (batch, row block, K chunk)
};

// The DRAM reads that fetch `rows` of a weight chunk stored row after row from `address` (each
// row `nt` operand-B elements): every run of rows widened to whole `burst`-byte blocks (a DRAM
// access moves no less), runs that then touch or overlap merged. Empty when the rows are the
// whole chunk of `kt` rows (read as one range) or none.
std::vector<Transfer> GatherRows(const Layer& layer, std::uint64_t address, std::int64_t nt,
                                 std::int64_t kt, const std::vector<SpikeTraffic::RowRun>& rows,
                                 std::int64_t burst);

// The expected DRAM bytes of the weight rows one chunk fetches (`mt` input rows x `kt` inputs,
// rows of `nt` operand-B elements) at the layer's input rate, for the mapping search: an input is
// active with p = 1 - (1 - rate)^(mt T); rows are read in whole `burst`-byte blocks, so a block
// holding several short rows costs when any of them is active, and a row of several blocks pays
// the padding of its last one when its neighbour is idle.
double ExpectedGatherBytes(const Layer& layer, std::int64_t mt, std::int64_t kt, std::int64_t nt,
                           std::int64_t burst);

}  // namespace pjsim
