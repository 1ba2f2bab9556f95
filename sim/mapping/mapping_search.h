#pragma once
// The mapping search of GEMM-family layers: it enumerates the mapping space (gemm_mapping.h) —
// spatial grids over the tiles, block sizes that are multiples of the array's dimensions (balanced
// so the last block is not a sliver) plus the full dimension, loop orders and resident operands —
// predicts each point's cycles, DRAM bytes and data-movement energy with a cost model of the
// simulated schedule (prologue, overlap of load/compute/store, the slowest tile, DRAM, NoC and
// tile-port limits), and ranks them by the arch's `mapping.objective`. K chunks are the largest
// that fit the SRAM next to the chosen blocks (and half of it): a shorter chunk never moves fewer
// DRAM bytes and pays the array's fill and drain more often.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/energy/tech_table.h"
#include "sim/graph/layer.h"
#include "sim/mapping/gemm_mapping.h"
#include "sim/mapping/grid_link_loads.h"
#include "sim/mapping/placement_rounds.h"
#include "sim/mapping/step_trains.h"
#include "sim/task/tile_task.h"

namespace pjsim {

// The energy a tile charges for one GEMM task, as the simulated tile will: its arithmetic and its
// array's SRAM operand and partial-sum traffic (which mappings with small blocks or many K chunks
// multiply).
using TaskEnergy = std::function<double(const Layer& layer, const TileTask& task)>;

// Energy prices the search uses to estimate a mapping's energy (from the run's tech table; all
// zero without one, when only time and bytes rank mappings).
struct MappingPrices {
  double dram_read_pj_per_byte = 0, dram_write_pj_per_byte = 0;
  double sram_fill_pj_per_byte = 0;
  double noc_pj_per_byte_hop = 0;  // one router and one link
  double static_pj_per_cycle = 0;  // leakage of the whole accelerator
  TaskEnergy task_pj;              // empty: the tiles' own energy is not estimated
};
MappingPrices PricesFor(const ArchConfig& arch, const TechTable& tech);

// The cycles a tile spends on one GEMM task, as the simulated tile will: the tile kind's cycles
// or its scratchpad port's, whichever is longer (spiking tasks carry their expected spikes).
using TaskCycles = std::function<double(const Layer& layer, const TileTask& task)>;
// TaskCycles of the arch's tile kind (its own instance, charging a scratch ledger).
TaskCycles KindTaskCycles(const ArchConfig& arch, const TechTable& tech);

// How a layer's tiles share the DRAM with tiles running beside them (the experts of one pass).
struct DramShare {
  double fraction = 1;  // of the DRAM and channel-link bandwidth the layer's tiles get
  // Bytes of the other tiles' loads queued at the DRAM while one of this layer's waits (each tile
  // keeps one load in flight). The channels serve whole requests first come, first served, so a
  // load waits behind them however small it is: a tile issuing smaller loads than its neighbours
  // gets less than `fraction` (while one issuing larger loads gets no more: it still has the
  // whole layer's traffic to share). 0: every tile's loads are alike.
  double queued_bytes = 0;
  // Where the layer's grid starts on the mesh (MappingSearch::Placement of its first tile: a
  // pipelined group's, an expert's home's); 0: tile 0. Its NoC limit is that grid's routes.
  int at = 0;
  // Beside other experts (fraction < 1): the placement of every busy expert's home (its first
  // tile), each taken as mapped like this one (equal shapes map alike), whose routes add up on
  // the links they share; -1: not known, the links out of the channels at the DRAM share.
  int among = -1;
  // Beside other experts: the share of this layer's work during which they run (an expert
  // routed more tokens than the others runs on alone once they are done); 1: throughout.
  double beside = 1;
};

struct MappingEstimate {
  double cycles = 0;  // predicted layer time
  double dram_read_bytes = 0, dram_write_bytes = 0;
  double delivered_bytes = 0;  // bytes loaded into tile SRAMs (each receiver counted)
  double energy_pj = 0;        // tasks (with prices.task_pj), data movement, leakage
  double tile_tasks = 0;       // tasks over all tiles (each loads its chunks)
  // MappingSearch::Best: the same mapping's cycles with the whole DRAM to itself (an expert's
  // pace once the experts beside it are done).
  double cycles_alone = 0;
  std::int64_t sram_bytes = 0;
  double DramBytes() const { return dram_read_bytes + dram_write_bytes; }
};

struct RankedMapping {
  GemmMapping mapping;
  MappingEstimate estimate;
  // Refined picks (MappingSearch::Best): the pick's place in the estimate's order (1: its
  // best) and the candidates simulated; 0: not refined.
  int estimate_rank = 0, refined_candidates = 0;
};

// What simulating one candidate mapping of a layer alone on the platform measured.
struct SimulatedMapping {
  double cycles = 0;
  double energy_pj = 0;
};
// Simulates each of `candidates` (mappings of `layer`, best estimate first) alone on the
// platform; nullopt where a candidate could not be simulated. Set by the run that owns the
// simulator (sim/cli/simulated_refiner.h): the search itself simulates nothing.
using MappingRefiner = std::function<std::vector<std::optional<SimulatedMapping>>(
    const Layer& layer, const std::vector<RankedMapping>& candidates)>;

// Every operand read once and the output written once. A spiking layer (Layer::spiking) moves
// its input and output as spike trains and fetches only the weight rows of inputs that spiked,
// so its compulsory bytes are the expected ones at its rates: both trains once, and each weight
// row whose input spikes at least once in the layer's M x T slots once (the walk's fewest: one
// block of all M rows; smaller blocks each fetch their own rows).
double CompulsoryBytes(const Layer& layer);

// The bytes of `neurons` activations: dense, or for a spiking layer the spike train firing at
// `rate` over its timesteps, in its cheaper encoding (expected size).
double ActivationTensorBytes(const Layer& layer, std::int64_t neurons, double rate);

// DRAM bytes no schedule can beat with `on_chip_bytes` of SRAM: the compulsory bytes, or the
// red-blue pebble bound of Hong & Kung (1981) for the MACs of one product in the tight form of
// Smith et al. (2019), Q >= 2*M*N*K / sqrt(S) - 2*S elements, per product, whichever is larger.
// A spiking layer's products are event-driven (each weight row is needed only where an input
// spiked), outside the pebble game's dense product, so its bound is its compulsory bytes.
double LowerBoundBytes(const Layer& layer, double on_chip_bytes);

// What a layer's mappings depend on besides the architecture: its shape, operand widths, op
// kind and arithmetic (task cycles), the tiles, SRAM and DRAM share it is mapped with. Layers of
// one key map alike.
std::string MappingShapeKey(const Layer& layer, std::int64_t tiles, std::int64_t sram_bytes,
                            const DramShare& dram = {});

class MappingSearch {
 public:
  MappingSearch(const ArchConfig& arch, MappingPrices prices, TaskCycles cycles = {})
      : arch_(arch), prices_(prices), cycles_(std::move(cycles)), links_(arch), steps_(arch) {}

  // The best `top` mappings, best first. Throws std::runtime_error when nothing fits the SRAM.
  // `dram`: how the layer's tiles share the DRAM (an expert mapped on its share of the tiles
  // while the other experts run beside it).
  std::vector<RankedMapping> Rank(const Layer& layer, std::int64_t tiles, std::int64_t sram_bytes,
                                  size_t top, const DramShare& dram = {}) const;
  // What Rank would find without estimating a mapping: the most tile tasks of a mapping that
  // fits `sram_bytes` (an upper bound of the best one's); throws what Rank throws when none
  // does. Cheap: a caller can tell that mapping the layer would not throw, without ranking it.
  // Memoised per layer shape, tile count and SRAM budget, as Best.
  std::int64_t MostFittingTasks(const Layer& layer, std::int64_t tiles, std::int64_t sram_bytes);
  // The best mapping, memoised per layer shape, tile count, SRAM budget and DRAM share (decode
  // passes and repeated layers reuse it).
  // With `mapping.refine` K > 1 and a refiner, a layer on all the tiles with the DRAM to itself
  // takes the best of the estimate's K best by what `refiner` measured (RankedMapping::
  // estimate_rank tells which); the estimate it reports stays the cost model's.
  const RankedMapping& Best(const Layer& layer, std::int64_t tiles, std::int64_t sram_bytes,
                            const DramShare& dram = {});
  void SetRefiner(MappingRefiner refiner) { refiner_ = std::move(refiner); }
  // The cost model's estimate of `mapping` at `dram`: a pick priced again for the share it gets
  // beside other layers (pipeline_shares.h), its mapping unchanged.
  MappingEstimate EstimateAt(const Layer& layer, const GemmMapping& mapping, const DramShare& dram);

  const ArchConfig& arch() const { return arch_; }
  const TaskCycles& task_cycles() const { return cycles_; }
  // The id of grids placed from these mesh tiles (DramShare::at, ::among).
  int Placement(const std::vector<std::int64_t>& first_tiles) {
    return links_.Placement(first_tiles);
  }

 private:
  // The candidate the refiner's measurements rank best (the first, if none was simulated).
  RankedMapping Refined(const Layer& layer, const std::vector<RankedMapping>& candidates) const;
  // Rank, or with `most_tasks` only the mappings that fit, their most tile tasks noted there
  // (and none ranked).
  std::vector<RankedMapping> Rank(const Layer& layer, std::int64_t tiles, std::int64_t sram_bytes,
                                  size_t top, const DramShare& dram, std::int64_t* most_tasks,
                                  PlacementRounds* noted) const;
  // Rank's best at `dram`'s placements, or the best of a ranking of the same shape and share at
  // placements whose NoC loads it found the same (PlacementRounds).
  RankedMapping RankPlaced(const Layer& layer, std::int64_t tiles, std::int64_t sram_bytes,
                           const DramShare& dram);

  const ArchConfig& arch_;
  MappingPrices prices_;
  TaskCycles cycles_;
  GridLinkLoads links_;  // the NoC loads of grid shapes, kept across layers
  StepTrains steps_;     // a grid's step of loads through a packet NoC, replayed
  MappingRefiner refiner_;
  std::map<std::string, RankedMapping> refined_;  // refined picks (spiking layers: per layer)
  std::map<std::string, RankedMapping> memo_;     // by MappingShapeKey
  struct PlacedRanking {
    int at = 0, among = -1;  // where it was ranked
    PlacementRounds rounds;  // what it looked up there
    RankedMapping pick;
  };
  // By MappingShapeKey without the placements.
  std::map<std::string, std::vector<PlacedRanking>> placed_;
  std::map<std::string, std::int64_t> most_fitting_tasks_;  // by MappingShapeKey
};

}  // namespace pjsim
