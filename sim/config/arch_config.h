#pragma once
// The accelerator as the user specifies it (configs/arch/*.yaml), in base units.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/config/model_params.h"
#include "sim/config/number_type.h"
#include "sim/config/plugin_key.h"
#include "sim/task/array_timing.h"

namespace pjsim {

class ConfigMap;

struct SramConfig {
  double capacity_bytes = 0;
  double port_bytes_per_cycle = 0;  // read+write bandwidth of the scratchpad ports
};

struct TileConfig {
  std::string kind;  // registered tile kind, e.g. "int8_mac", "fp16_mac"
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  Dataflow dataflow = Dataflow::kOutputStationary;
  NumberType accumulator = NumberType::kInt32;
  SramConfig sram;
  std::int64_t vector_lanes = 0;  // elementwise ops per cycle
  // Spiking tiles: (row, timestep) slots whose spikes the array buffers and serves input neuron
  // by input neuron, reading each active neuron's weight row once per batch (1: once per spike).
  std::int64_t spike_batch = 1;
  // MAC arrays: a PE whose activation is zero gates its multiplier and adder (zero detect and
  // operand isolation, Eyeriss-style data gating): the layer's activation_sparsity of the MACs
  // cost a gate instead of a product and an add; cycles do not change.
  bool zero_gating = false;
  // The tile's DMA engine (`tile.dma`): 0/0 issues each transfer as one transaction per DRAM
  // channel, all at once. With `request_size`, a channel's part of a transfer is split into
  // requests of at most that many bytes, issued round-robin over the channels in address order;
  // with `outstanding` (16 when only the size is given), at most that many requests of one
  // transfer set are in flight, the next issued when one completes, so channels and links
  // interleave the tiles' requests.
  std::int64_t dma_request_bytes = 0;
  std::int64_t dma_outstanding = 0;
};

// The mesh's links, whatever model (`model`, sim/config/noc_model_registry.h) times them.
struct NocConfig {
  std::string model = "simple";
  double link_bytes_per_cycle = 0;
  double hop_latency_cycles = 0;
  double link_length_mm = 0;
  std::shared_ptr<const ModelParams> params;  // the model's own keys; null if it has none
};

struct DramChannelPosition {
  std::int64_t x = 0;
  std::int64_t y = 0;
};

// What every DRAM model shares (the mapper and the energy model read it); the channel timing is
// the model's (`model`, sim/config/dram_model_registry.h), from its own keys in `params`.
struct DramConfig {
  std::string model = "simple";
  std::string type;  // key into the tech table's dram section
  double channel_bandwidth_bytes_per_s = 0;
  double row_bytes = 0;
  double interleave_bytes = 0;  // consecutive chunks of this size go to consecutive channels
  std::vector<DramChannelPosition> channels;
  std::shared_ptr<const ModelParams> params;  // the model's own keys; null if it has none

  // Bytes per cycle of a `clock_hz` clock all channels together sustain on long read streams
  // (their peak times the model's ModelParams::SustainedReadFraction): what the mapping search
  // expects of the DRAM.
  double SustainedBytesPerCycle(double clock_hz) const {
    const double fraction = params ? params->SustainedReadFraction() : 1.0;
    return channel_bandwidth_bytes_per_s / clock_hz * static_cast<double>(channels.size()) *
           fraction;
  }
  // Bytes all channels address together (ModelParams::ChannelCapacityBytes); 0: unbounded.
  std::uint64_t CapacityBytes() const {
    return params ? params->ChannelCapacityBytes() * channels.size() : 0;
  }
};

// Where layer outputs lie in DRAM (docs/DRAM.md, "Placement").
enum class ActivationPlacement {
  kReuse,     // by liveness: an output's rows are free again after its last reader
  kDisjoint,  // each output its own region for the whole run, in layer order
};

enum class MappingStrategy {
  kSpread,     // every layer spread over all tiles, one layer at a time
  kPipelined,  // tiles split into groups; layers take groups round-robin in topological order and
               // run as soon as their inputs and their group are ready (independent layers overlap)
};

// What the mapping search minimises per layer (sim/mapping/mapping_search.h).
enum class MappingObjective { kLatency, kEnergy, kEdp, kDramBytes };

struct MappingConfig {
  // The tiles can double-buffer: the search then chooses per layer between two buffers (loads
  // overlap compute) and one (blocks twice as large). false: every layer single-buffered.
  bool double_buffering = true;
  MappingObjective objective = MappingObjective::kLatency;
  // Mappings whose objective is within this fraction of the best are ties, settled by the
  // secondary figure (energy for latency, time otherwise): a difference the cost model cannot
  // resolve should not decide (docs/MAPPING.md).
  double tie_window = 0.01;
  // Simulated refinement (docs/MAPPING.md): the `refine` best mappings of the cost model for each
  // GEMM layer that has the platform to itself are simulated alone and ranked by what the
  // simulation measured (0: off, the cost model decides). `pjsim run` of single-pass workloads.
  std::int64_t refine = 0;
  // Operands shared by several tiles are read once and multicast (false: every tile reads its own
  // copy, as a NoC without multicast would force).
  bool multicast = true;
  // Output-stationary arrays keep a one-fold block's sums in the PEs across its K chunks
  // (TileTask::accumulate_in_array) where the search finds that faster (false: every chunk drains
  // its sums to SRAM, as an array without that path must).
  bool accumulate_in_array = true;
  // Constraints on the GEMM mapping space (0 / empty: free), as Timeloop's mapspace constraints:
  // to reproduce a published mapping, or to hold one fixed across a sweep. A block larger than
  // the layer's dimension is clamped to it.
  std::int64_t block_m = 0, block_k = 0, block_n = 0, grid_m = 0, grid_n = 0;
  std::int64_t grid_k = 0;   // tiles each output block's K is split across (1: no K split)
  std::int64_t grid_b = 0;   // groups a layer's batch of products is split across (1: none)
  std::string resident;      // "none" | "input" | "weights"; empty: free
  std::int64_t buffers = 0;  // 1 | 2 buffers per operand and output block; 0: free
  MappingStrategy strategy = MappingStrategy::kSpread;
  std::int64_t groups = 1;  // tile groups (pipelined)
  // The pipelined strategy places outputs disjoint whatever this says (docs/DRAM.md).
  ActivationPlacement activation_placement = ActivationPlacement::kReuse;
  // Multi-pass (decode) runs: keep every linear layer's weights in the tiles' SRAM after the
  // first pass when they fit in `resident_fraction` of each tile's SRAM (the rest is left for
  // tiling); otherwise weights are fetched from DRAM every pass.
  bool weight_residency = true;
  double resident_fraction = 0.5;
  // MoE expert placement within the layer's tiles: each expert's home is `tiles_per_expert`
  // consecutive tiles (0 = tiles / experts, at least 1; experts wrap around and share tiles when
  // they do not fit). Each pass the `replicate_hot_experts` busiest experts also run half their
  // tokens on the home tiles of the idlest experts (a replica that reads its own weights).
  std::int64_t tiles_per_expert = 0;
  std::int64_t replicate_hot_experts = 0;
};

// Power gating of every tile, as two domains: the logic (PE array and vector lanes; gated means
// off, it holds no state) and the SRAM bank (gated into `gated_state`: retention keeps its
// contents at `retention_fraction` of its leakage, off leaks nothing but loses resident weights,
// which the tile then reloads from DRAM). A tile is idle between the layers it runs.
struct PowerGatingConfig {
  bool enabled = false;                   // false: the flat per-component leakage of the base model
  std::string policy = "never";           // registered gating policy (GatingPolicyRegistry)
  PluginParams params;                    // every policy's keys, e.g. the timeout policy's timeout
  std::string gated_state = "retention";  // SRAM: retention | off
  double retention_fraction = 0.2;        // ~10-30% of active: docs/SOURCES.md#power-gating
  double wake_latency_cycles = 10;
  // Wake-up energy, as cycles of the domain's full leakage it costs (the break-even time of a
  // domain gated to zero leakage; ~14 cycles for GPU execution units,
  // docs/SOURCES.md#power-gating).
  double wake_energy_leakage_cycles = 14;
};

struct ArchConfig {
  std::string file;
  std::string name;
  double clock_hz = 0;  // 0 in YAML = take the tech table's clock
  std::int64_t mesh_width = 0;
  std::int64_t mesh_height = 0;
  TileConfig tile;
  NocConfig noc;
  DramConfig dram;
  MappingConfig mapping;
  PowerGatingConfig power_gating;

  std::int64_t TileCount() const { return mesh_width * mesh_height; }
  // A one-tile design has no network: its DRAM channels feed the tile's scratchpad directly, so
  // there is no router to cross, leak or lay out (the port still has the link's width).
  bool HasRouters() const { return TileCount() > 1; }
};

// Reads and validates an architecture mapping. `default_clock_hz` (from the tech table) is used
// when the architecture does not set `clock`; cycle-valued latencies need a clock.
ArchConfig ReadArchConfig(ConfigMap root, double default_clock_hz);

}  // namespace pjsim
