#include "sim/mapping/mapping_search.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "sim/arch/tile_kind.h"
#include "sim/config/config_error.h"
#include "sim/config/tile_kind_registry.h"
#include "sim/energy/platform_actions.h"
#include "sim/graph/spiking.h"
#include "sim/mapping/fixed_list.h"
#include "sim/mapping/mapping_ranking.h"
#include "sim/mapping/placement_rounds.h"
#include "sim/mapping/spike_traffic.h"
#include "sim/mapping/step_trains.h"
#include "sim/mapping/task_shape_memo.h"
#include "sim/task/array_timing.h"

namespace pjsim {
namespace {

// Block sizes for a dimension of `full`: for a block count c, the smallest multiple of `unit`
// that covers `full` in c blocks (so blocks are array-aligned and the last is not a sliver), and
// `full` itself; largest first. Every count up to kDense blocks and every size up to kDense units
// are candidates; between them, sizes step by about 3% (an enormous dimension gets ~500
// candidates, not millions).
std::vector<std::int64_t> BalancedBlocks(std::int64_t full, std::int64_t unit) {
  constexpr std::int64_t kDense = 64;
  const std::int64_t units = CeilDiv(full, unit);
  std::set<std::int64_t, std::greater<>> out{full};
  const auto add_count = [&](std::int64_t count) {
    out.insert(std::min(full, CeilDiv(units, count) * unit));
  };
  for (std::int64_t c = 1; c <= std::min(units, kDense); ++c) add_count(c);
  for (std::int64_t u = 1; u <= std::min(units, kDense); ++u) add_count(CeilDiv(units, u));
  for (double c = kDense; c < static_cast<double>(units) / kDense; c *= 1.03) {
    add_count(static_cast<std::int64_t>(c));
  }
  return {out.begin(), out.end()};
}

// K chunk lengths: K cut into 1, 2, 3, 4, 6, 8, 12, ... chunks (about x1.5 apart), each rounded up
// to a multiple of `unit`; largest first. Sparser than the block candidates: the chunk length
// changes the array's fill and drain per chunk and the first load, not the DRAM traffic.
std::vector<std::int64_t> KChunks(std::int64_t full, std::int64_t unit) {
  const std::int64_t units = CeilDiv(full, unit);
  std::set<std::int64_t, std::greater<>> out{full};
  for (double c = 1; c <= static_cast<double>(units); c = std::max(c + 1, std::floor(c * 1.5))) {
    out.insert(std::min(full, CeilDiv(units, static_cast<std::int64_t>(c)) * unit));
  }
  return {out.begin(), out.end()};
}

// Mean Manhattan distance from a tile to its nearest DRAM channel, in hops.
double MeanChannelHops(const ArchConfig& arch) {
  double sum = 0;
  for (std::int64_t y = 0; y < arch.mesh_height; ++y) {
    for (std::int64_t x = 0; x < arch.mesh_width; ++x) {
      std::int64_t best = std::numeric_limits<std::int64_t>::max();
      for (const auto& c : arch.dram.channels) {
        best = std::min(best, std::abs(c.x - x) + std::abs(c.y - y));
      }
      sum += static_cast<double>(best);
    }
  }
  return sum / static_cast<double>(arch.TileCount());
}

}  // namespace

TaskCycles KindTaskCycles(const ArchConfig& arch, const TechTable& tech) {
  std::shared_ptr<TileKind> kind = MakeTileKind(arch.tile);
  auto ledger = std::make_shared<EnergyLedger>(std::vector<std::string>{"scratch"});
  kind->RegisterActions(*ledger, tech);
  const double port = arch.tile.sram.port_bytes_per_cycle;
  return [kind, ledger, port](const Layer& layer, const TileTask& task) {
    const GemmCost c = kind->RunGemm(*ledger, 0, layer, task);
    return static_cast<double>(
        PortBoundCycles(c.array_cycles, c.sram_read_bits, c.sram_write_bits, port));
  };
}

MappingPrices PricesFor(const ArchConfig& arch, const TechTable& tech) {
  // The prices the platform will charge: its own actions, registered on a scratch ledger.
  EnergyLedger ledger({"scratch"});
  const PlatformActions a = RegisterPlatformActions(ledger, arch, tech);
  const auto price = [&ledger](ActionId id) {
    return ledger.actions()[static_cast<size_t>(id)].pj_per_unit;
  };
  MappingPrices p;
  p.dram_read_pj_per_byte = price(a.dram_read) * 8;
  p.dram_write_pj_per_byte = price(a.dram_write) * 8;
  p.sram_fill_pj_per_byte = price(a.sram_fill) * 8;
  p.noc_pj_per_byte_hop = (price(a.noc_router) + price(a.noc_link) * arch.noc.link_length_mm) * 8;
  // Leakage of the whole accelerator per cycle.
  p.static_pj_per_cycle =
      price(a.leak_pe) * a.pe_instances + price(a.leak_vector) * a.vector_instances +
      price(a.leak_sram) * a.sram_instances + price(a.leak_router) * a.router_instances +
      price(a.leak_dram) * a.dram_instances;
  // A task's energy: what the tile kind charges its own scratch ledger for the arithmetic, and the
  // SRAM traffic it returns at the platform's read and write prices (as ComputeTile::RunTask).
  std::shared_ptr<TileKind> kind = MakeTileKind(arch.tile);
  auto kind_ledger = std::make_shared<EnergyLedger>(std::vector<std::string>{"scratch"});
  kind->RegisterActions(*kind_ledger, tech);
  const double read_pj = price(a.sram_read), write_pj = price(a.sram_write);
  p.task_pj = [kind, kind_ledger, read_pj, write_pj](const Layer& layer, const TileTask& task) {
    std::vector<EnergyLedger::Entry> charged;  // this task's charges alone
    kind_ledger->Tap(&charged);
    const GemmCost c = kind->RunGemm(*kind_ledger, 0, layer, task);
    kind_ledger->Tap(nullptr);
    double pj = c.sram_read_bits * read_pj + c.sram_write_bits * write_pj;
    for (const EnergyLedger::Entry& e : charged) {
      pj += e.count * kind_ledger->actions()[static_cast<size_t>(e.action)].pj_per_unit;
    }
    return pj;
  };
  return p;
}

double ActivationTensorBytes(const Layer& layer, std::int64_t neurons, double rate) {
  const SpikingConfig& sp = layer.spiking;
  if (!sp.enabled()) return static_cast<double>(layer.ActivationBytes(neurons));
  const double spikes = rate * static_cast<double>(neurons * sp.timesteps);
  return std::ceil(SpikeTensorBits(sp, neurons, spikes) / 8);
}

double CompulsoryBytes(const Layer& layer) {
  if (layer.spiking.enabled()) {
    return static_cast<double>(layer.batch) *
           (ActivationTensorBytes(layer, layer.m * layer.k, layer.spiking.input_rate) +
            ExpectedGatherBytes(layer, layer.m, layer.k, layer.n, 1) +
            ActivationTensorBytes(layer, layer.m * layer.n, layer.spiking.output_rate));
  }
  return static_cast<double>(layer.batch) *
         static_cast<double>(layer.ActivationBytes(layer.m * layer.k) +
                             layer.OperandBBytes(layer.k * layer.n) +
                             layer.ActivationBytes(layer.m * layer.n));
}

double LowerBoundBytes(const Layer& layer, double on_chip_bytes) {
  if (layer.spiking.enabled()) return CompulsoryBytes(layer);
  // Elements of the narrowest operand that fit on chip, and the bytes of one such element: a
  // bound counted in those elements holds for every operand.
  const double narrowest = std::min({static_cast<double>(layer.ActivationBytes(1 << 20)),
                                     static_cast<double>(layer.OperandBBytes(1 << 20))}) /
                           static_cast<double>(1 << 20);
  const double s = on_chip_bytes / narrowest;
  const double per_product = 2.0 * static_cast<double>(layer.m) * static_cast<double>(layer.n) *
                                 static_cast<double>(layer.k) / std::sqrt(s) -
                             2.0 * s;
  return std::max(CompulsoryBytes(layer),
                  static_cast<double>(layer.batch) * per_product * narrowest);
}

namespace {

// Task cycles by `cycles` (or the array's closed form without it), memoised in `known` by task
// shape: the mappings of one layer share most of their tasks.
auto MemoisedTaskCycles(const ArchConfig& arch, const TaskCycles& cycles, TaskShapeMemo& known) {
  const auto compute = [&arch, &cycles](const Layer& l, const TileTask& task) {
    return cycles ? cycles(l, task)
                  : static_cast<double>(ArrayCycles(arch.tile.dataflow,
                                                    {arch.tile.rows, arch.tile.cols}, task.gemm,
                                                    task.accumulate_in_array && !task.last_k));
  };
  return MemoisedTaskValue<decltype(compute)>{&known, compute};
}

// Task energy by `energy`, memoised in `known` by task shape (empty without a price).
auto MemoisedTaskEnergy(const TaskEnergy& energy, TaskShapeMemo& known) {
  const auto compute = [&energy](const Layer& l, const TileTask& task) { return energy(l, task); };
  return MemoisedTaskValue<decltype(compute)>{&known, compute, static_cast<bool>(energy)};
}

// What the estimate needs of the platform beyond the arch's fields, computed once per search.
struct PlatformRates {
  double hops = 0;                  // mean hops from a tile to its nearest channel
  double dram_bytes_per_cycle = 0;  // all channels, at the rate the DRAM model sustains
  // A layer with the mesh to itself: the busiest link of its round's routes and trees.
  const GridLinkLoads* links = nullptr;
  // Where a ranking notes the rounds it looks up in `links` (null: not noted).
  PlacementRounds* noted = nullptr;
  // A grid's step of loads through a NoC whose waiting trains hold their channel, replayed
  // train by train (a layer alone on the mesh); null where nothing holds.
  const StepTrains* steps = nullptr;
  // Experts running beside other experts, whose traffic spreads over the whole mesh: cycles per
  // DRAM byte on the busiest link out of a channel's router when the first P tiles (a grid's
  // tiles, row-major) receive the data, [P]: each channel carries 1/channels of the bytes, split
  // over its router's links (and local port) by where the XY routes start.
  std::vector<double> first_hop_cycles_per_byte;
  // A channel's bus turning from reads to writes or back (ModelParams::BusTurnaroundCycles; 0
  // without a DRAM model that has one).
  double bus_turn_cycles = 0;
  // Each channel's data passes its own port into (out of) the mesh at one link width per cycle
  // (ModelParams::ChannelsHavePorts: the `packet` NoC).
  bool channel_ports = false;
  // Read requests cross the links behind the stores (ModelParams::RequestsFollowStores).
  bool requests_follow_stores = false;
};

// The DRAM channels a transfer of `bytes` touches (cut by the interleave).
double ChannelsTouched(const ArchConfig& arch, double bytes) {
  const auto channels = static_cast<double>(arch.dram.channels.size());
  const double pieces =
      arch.dram.interleave_bytes > 0 ? std::ceil(bytes / arch.dram.interleave_bytes) : channels;
  return std::min(channels, std::max(1.0, pieces));
}

PlatformRates RatesOf(const ArchConfig& arch, const GridLinkLoads& links, const StepTrains& steps) {
  PlatformRates r;
  r.steps = steps.Enabled() ? &steps : nullptr;
  r.hops = MeanChannelHops(arch);
  r.dram_bytes_per_cycle = arch.dram.SustainedBytesPerCycle(arch.clock_hz);
  r.bus_turn_cycles = arch.dram.params ? arch.dram.params->BusTurnaroundCycles(arch.clock_hz) : 0;
  r.channel_ports = arch.noc.params && arch.noc.params->ChannelsHavePorts();
  r.requests_follow_stores = arch.noc.params && arch.noc.params->RequestsFollowStores();
  r.links = &links;
  const std::int64_t tiles = arch.TileCount();
  const auto channels = static_cast<double>(arch.dram.channels.size());
  r.first_hop_cycles_per_byte.assign(static_cast<size_t>(tiles + 1), 0.0);
  std::vector<std::array<double, 5>> first_hops(arch.dram.channels.size(), {0, 0, 0, 0, 0});
  for (std::int64_t p = 1; p <= tiles; ++p) {
    const std::int64_t x = (p - 1) % arch.mesh_width, y = (p - 1) / arch.mesh_width;
    double busiest = 0;
    for (size_t c = 0; c < arch.dram.channels.size(); ++c) {
      const auto& ch = arch.dram.channels[c];
      // XY routing: X first, then Y; a tile at the channel's router takes the local port.
      const int dir = x > ch.x ? 0 : x < ch.x ? 1 : y > ch.y ? 2 : y < ch.y ? 3 : 4;
      first_hops[c][static_cast<size_t>(dir)] += 1;
      for (double n : first_hops[c]) busiest = std::max(busiest, n / static_cast<double>(p));
    }
    r.first_hop_cycles_per_byte[static_cast<size_t>(p)] =
        busiest / channels / arch.noc.link_bytes_per_cycle;
  }
  return r;
}

// `task_cycles` and `task_energy`: (layer, task) -> value, e.g. MemoisedTaskCycles's.
template <class Cycles = TaskCycles, class Energy = TaskEnergy>
MappingEstimate Estimate(const ArchConfig& arch, const PlatformRates& rates, const Layer& layer,
                         const GemmMapping& mp, const MappingPrices& prices,
                         const Cycles& task_cycles, const Energy& task_energy,
                         const DramShare& dram) {
  const std::int64_t mb = mp.blocks.m, kb = mp.blocks.k, nb = mp.blocks.n;
  const std::int64_t blocks_m = CeilDiv(layer.m, mb), blocks_n = CeilDiv(layer.n, nb);
  const std::int64_t k_chunks = CeilDiv(layer.k, kb);
  const std::int64_t pm = std::min(mp.grid_m, blocks_m), pn = std::min(mp.grid_n, blocks_n);
  const std::int64_t super_m = CeilDiv(blocks_m, pm), super_n = CeilDiv(blocks_n, pn);
  // K split: each tile walks `per_range` chunks of its range; range 0 (the root's) is full.
  const std::int64_t per_range = ChunksPerRange(k_chunks, mp.grid_k);
  const std::int64_t pk = KRanges(k_chunks, mp.grid_k);
  const std::int64_t k_tile = std::min(layer.k, per_range * kb);
  const auto batch = static_cast<double>(layer.batch);
  // A batch split (grid_b): `groups` grids side by side, in step, each walking its products; the
  // layer takes the first's (the most products). They share the DRAM and the channels' ports;
  // `dram.at` places them all (their routes add up on the links they share).
  const auto groups = static_cast<double>(std::max<std::int64_t>(1, mp.grid_b));
  const auto group_batch = static_cast<double>(BatchPerGroup(layer, mp));
  const bool multicast = arch.mapping.multicast;
  // Spiking layers fetch only the weight rows their own input block needs: not shareable.
  const bool share_b = multicast && !layer.spiking.enabled();
  const bool resident_a = mp.resident == ResidentOperand::kInput;
  const bool resident_b = mp.resident == ResidentOperand::kWeights;
  // A tile with one task has nothing to overlap: one buffer or two run it alike.
  const bool single = BufferCount(arch, mp) == 1 && TasksPerTile(layer, mp) > 1;
  const double full_dram_bw = rates.dram_bytes_per_cycle;
  const double dram_bw = full_dram_bw * dram.fraction / groups;
  // Cycles per byte on the busiest NoC link: the tiles' share of it, as of the DRAM. A layer
  // with the mesh to itself loads the links of its grid's routes and trees; experts beside other
  // experts (placed over the whole mesh) the links out of the channels' routers.
  const bool alone_on_mesh = dram.fraction >= 1;
  // Beside other experts whose homes are known: the routes of every home's grid, each moving
  // this one's bytes (grid_link_loads.h), so the links are not scaled by the share.
  const bool among = !alone_on_mesh && dram.among >= 0;
  const bool grid_links = alone_on_mesh || among;
  const int placement = alone_on_mesh ? dram.at : dram.among;
  // A round's NoC loads at `placement` (or, `at_home`, at the layer's own home).
  const auto links_of = [&](GridLinkLoads::Round round,
                            bool at_home) -> const GridLinkLoads::Loads& {
    if (at_home) round.placement = dram.at;
    if (rates.noted) rates.noted->Note(round, at_home || alone_on_mesh);
    return rates.links->Of(round);
  };
  const double link_cpb = 1 / arch.noc.link_bytes_per_cycle / (grid_links ? 1.0 : dram.fraction);
  const double first_hop_cpb =
      rates.first_hop_cycles_per_byte[static_cast<size_t>(pm * pn * pk)] / dram.fraction;
  // The DRAM time of one step's loads: their share of the bandwidth, and at least the time to
  // serve the loads the other tiles keep queued ahead of them (first come, first served).
  const auto step_dram = [&](double bytes) {
    return std::max(bytes / dram_bw, (bytes + dram.queued_bytes) / full_dram_bw);
  };
  const double port_bw = arch.noc.link_bytes_per_cycle;
  // Cycles `bytes` of DRAM traffic take through the busiest channel's port into (or out of) the
  // mesh, where channels have one (a transfer cut by the interleave over the channels it
  // touches), for a layer alone on the mesh whose steps are not replayed through those ports
  // (`replayed` below: a NoC whose trains hold, and more than one channel). Experts beside other
  // experts have the channels' ports replayed with their queue (channel_port_replay.h).
  const auto channels = static_cast<double>(arch.dram.channels.size());
  const bool ports_unreplayed = rates.channel_ports && alone_on_mesh && rates.steps == nullptr;
  const auto channel_port = [&](double bytes) {
    return ports_unreplayed ? bytes / ChannelsTouched(arch, bytes) / port_bw : 0.0;
  };
  const auto act = [&](std::int64_t n) { return static_cast<double>(layer.ActivationBytes(n)); };
  const auto wts = [&](std::int64_t n) { return static_cast<double>(layer.OperandBBytes(n)); };
  const auto size_of = [](std::int64_t full, std::int64_t block, std::int64_t index) {
    return std::min(block, full - index * block);
  };
  // Operand bytes a tile loads for an mt x kt x nt task. Spiking layers move their input as a
  // spike train and fetch only the weight rows of inputs that spiked, in whole DRAM bursts (the
  // walk's SpikeTraffic); here their expected sizes at the layer's rate.
  const SpikingConfig& sp = layer.spiking;
  const std::int64_t dram_burst = arch.dram.params ? arch.dram.params->BurstBytes() : 1;
  const auto in_bytes = [&](std::int64_t m, std::int64_t k) {
    return ActivationTensorBytes(layer, m * k, sp.input_rate);
  };
  const auto w_bytes = [&](std::int64_t m, std::int64_t k, std::int64_t n) {
    return sp.enabled() ? ExpectedGatherBytes(layer, m, k, n, dram_burst) : wts(k * n);
  };
  const auto out_bytes_of = [&](std::int64_t m, std::int64_t n) {
    return ActivationTensorBytes(layer, m * n, sp.output_rate);
  };
  // A layer alone on a NoC whose waiting trains hold their channel: a step's loads replayed
  // train by train (step_trains.h), each load at its place in the walk's blocked layouts.
  const bool replayed = alone_on_mesh && rates.steps != nullptr;
  const std::int64_t k_first = std::min(layer.k, kb);
  const auto step_trains = [&](std::int64_t mt, std::int64_t nt, bool a, bool b, std::int64_t rows,
                               std::int64_t cols) {
    GridStep s;
    s.round = {pm, pn, pk, rows, cols, multicast, share_b, placement};
    s.a_bytes = a ? in_bytes(mt, k_first) : 0;
    s.b_bytes = b ? w_bytes(mt, k_first, nt) : 0;
    s.a_row_stride = act(mb * layer.k);
    s.a_range_stride = static_cast<double>(per_range) * act(mt * kb);
    s.a_group_stride = group_batch * act(layer.m * layer.k);
    s.b_range_stride = wts(per_range * kb * layer.n);
    s.b_group_stride = layer.batch > 1 ? group_batch * wts(layer.k * layer.n) : 0;
    return rates.steps->Cycles(s, rates.links->FirstTiles(placement));
  };

  MappingEstimate e;
  // A load's round trip on an idle system (DRAM latency, hops to the tile and back): paid by
  // every load a tile waits for, and once where the pipeline fills and drains.
  const double latency =
      (arch.dram.params ? arch.dram.params->IdleReadLatencyCycles(arch.clock_hz) : 0) +
      static_cast<double>(arch.mesh_width + arch.mesh_height) * arch.noc.hop_latency_cycles;
  // The walk runs super-block by super-block ("rounds"): the grid's tiles take one output block
  // each and walk K. A round lasts as long as its slowest resource: the busiest tile's array
  // (the grid's first tile), the DRAM, the channels' NoC links, or the busiest tile's port.
  // Rounds differ only at the edges (remainder blocks, fewer active tiles) and in whether the
  // resident panel is loaded, so first/middle/last rounds of each index stand for all.
  const auto classes = [](std::int64_t count) {
    FixedList<std::pair<std::int64_t, std::int64_t>, 3> out;  // (representative, count)
    out.emplace_back(0, 1);
    if (count > 2) out.emplace_back(1, count - 2);
    if (count > 1) out.emplace_back(count - 1, 1);
    return out;
  };
  // A task of the walk: its shape, its place in its K range and (spiking) its expected spikes.
  // One task rewritten per use (every field set here is set on every use, the others keep their
  // defaults), not a TileTask built and destroyed per task class per candidate.
  TileTask scratch;
  const auto task_of = [&](std::int64_t m, std::int64_t k, std::int64_t n, bool first,
                           bool last) -> const TileTask& {
    TileTask& t = scratch;
    t.gemm = {m, k, n};
    t.first_k = first;
    t.last_k = last;
    t.accumulate_in_array = mp.accumulate_in_array;
    if (layer.spiking.enabled()) {
      t.input_spikes = layer.spiking.input_rate * static_cast<double>(m * k) *
                       static_cast<double>(layer.spiking.timesteps);
      t.weight_row_reads =
          SpikeWeightRowReads(t.input_spikes, layer.spiking.input_rate, m * layer.spiking.timesteps,
                              arch.tile.spike_batch, layer.spiking.correlation);
    }
    return t;
  };
  // Partial sums of a K split reach their root over a few hops: the mean distance between tiles.
  const double tile_hops = static_cast<double>(arch.mesh_width + arch.mesh_height) / 3;
  const double psum = static_cast<double>(PartialSumBytes(arch.tile.accumulator));
  double rounds_time = 0, first_load = 0;
  double single_rounds_time = 0;  // the rounds of a single-buffered walk
  double phantom = 0;  // the rounds' wait for a load after the walk's last task, which none makes
  double hops_bytes = 0;  // NoC byte-hops beyond the mean distance, for multicast trees
  double reduction_bytes = 0;
  for (const auto& [sa, ca] : classes(super_m)) {
    for (const auto& [sb, cb] : classes(super_n)) {
      const std::int64_t rows = std::min(pm, blocks_m - sa * pm);
      const std::int64_t cols = std::min(pn, blocks_n - sb * pn);
      const std::int64_t mt = size_of(layer.m, mb, sa * pm);  // the first tile's block
      const std::int64_t nt = size_of(layer.n, nb, sb * pn);
      const bool load_a = !(resident_a && sb > 0), load_b = !(resident_b && sa > 0);
      // K chunks: the first starts the sums, the last finishes them; all full but the last.
      const auto chunk_cycles = [&](std::int64_t kc) {
        return task_cycles(layer,
                           task_of(mt, size_of(layer.k, kb, kc), nt, kc == 0, kc == per_range - 1));
      };
      // Bytes of this round's operands and outputs, all tiles (DRAM) and the first tile (port):
      // the rows (columns) its active grid rows (columns) cover.
      const std::int64_t span_m = std::min(layer.m, (sa * pm + rows) * mb) - sa * pm * mb;
      const std::int64_t span_n = std::min(layer.n, (sb * pn + cols) * nb) - sb * pn * nb;
      const double a_bytes = in_bytes(span_m, layer.k);
      // Per grid row (its own rows, when spiking): the columns' blocks of operand B.
      const double b_bytes =
          w_bytes(mt, layer.k, nt) * static_cast<double>(span_n) / static_cast<double>(nt);
      const double out_bytes = out_bytes_of(span_m, span_n);
      const double a_read = load_a ? a_bytes * (multicast ? 1.0 : static_cast<double>(cols)) : 0;
      const double b_read = load_b ? b_bytes * (share_b ? 1.0 : static_cast<double>(rows)) : 0;
      const double dram_read = a_read + b_read;
      // The NoC: the busiest link of the round's routes and multicast trees (grid_link_loads.h).
      const GridLinkLoads::Loads* round_links =
          grid_links ? &links_of({pm, pn, pk, rows, cols, multicast, share_b, placement}, false)
                     : nullptr;
      const auto load_link_cycles = [&](double a, double b) {
        return round_links ? round_links->LoadBytes(a, b) * link_cpb : (a + b) * first_hop_cpb;
      };
      const auto store_link_cycles = [&](double out) {
        return round_links ? round_links->StoreBytes(out) * link_cpb : out * first_hop_cpb;
      };
      const double tile_in =
          (load_a ? in_bytes(mt, k_tile) : 0) + (load_b ? w_bytes(mt, k_tile, nt) : 0);
      // A task's loads are issued when the task before it starts computing (its buffer is then
      // free), so each task takes its compute or its share of the round's transfers, whichever
      // is longer; the round's output blocks are stored in a burst that delays the next round's
      // first loads.
      const auto kcs = static_cast<double>(per_range);
      // A tile has one load in flight (the next is issued when it arrives), so a load's round
      // trip is not hidden behind other loads of the same tile: each step pays it on top of
      // the time its bytes take on the busiest of DRAM, the NoC's busiest link and the tile port.
      const double step_links = load_link_cycles(a_read / kcs, b_read / kcs);
      // The channels' trains of a step through a NoC where a waiting train holds its channel.
      const double step_injection =
          replayed ? step_trains(mt, nt, load_a, load_b, rows, cols) : 0.0;
      const double step =
          latency + std::max({step_dram(dram_read / kcs), step_links, step_injection,
                              tile_in / kcs / port_bw, channel_port(dram_read / kcs)});
      // Beside other work (the experts of a pass) the grid runs out of step with the others, so
      // its round's stores (its tiles', together: they move in step) reach the channels between
      // the other tiles' loads, and every channel they touch turns its bus to writing and back:
      // time no load can use. The grid pays its own turns, and the others' (as many again per
      // share of the DRAM) while they run beside it (`dram.beside`). Alone, a round's stores
      // group into one burst per channel, whose turns the plan's replay prices (RowSwitchDelay).
      // Wider output blocks store less often and so turn less, which the estimate would
      // otherwise not see.
      const double turns = dram.fraction < 1 && rates.bus_turn_cycles > 0
                               ? 2 * rates.bus_turn_cycles * ChannelsTouched(arch, out_bytes) /
                                     channels * (1 + (1 / dram.fraction - 1) * dram.beside)
                               : 0.0;
      const double store_dram = out_bytes / dram_bw + turns;  // the stores' DRAM time
      const double burst = std::max({store_dram, store_link_cycles(out_bytes),
                                     out_bytes_of(mt, nt) / port_bw, channel_port(out_bytes)});
      // The range's chunks, each taking its compute or a wait, whichever is longer (the first
      // chunk's wait its own).
      const auto over_chunks = [&](double first_wait, double wait) {
        double t = std::max(chunk_cycles(0), first_wait);
        if (per_range > 2) t += std::max(chunk_cycles(1), wait) * (kcs - 2);
        if (per_range > 1) t += std::max(chunk_cycles(per_range - 1), wait);
        return t;
      };
      // Two buffers each for operands and outputs: a tile's three chains run side by side. Its
      // loader keeps one load in flight (each task takes its compute or its loads, whichever is
      // longer); its storer writes the round's block while the next blocks load and compute, one
      // store in flight (the round's burst and a round trip). Where loads and stores meet is the
      // DRAM: the round's stores are issued as the next round's first task starts, with that
      // task's successor's loads, and a channel serves in arrival order, so those loads wait
      // behind the stores' data there. On the mesh loads leave the channels and stores go
      // towards them, on other links and the ports' other directions, unless the loads' requests
      // travel as packets of their own: those go the stores' way and wait behind them (`packet`).
      const double after_stores = step + (rates.requests_follow_stores ? burst : store_dram);
      const double loads_chain = over_chunks(after_stores, step);
      const double store_chain = burst + latency;
      double round = std::max(loads_chain, store_chain);
      if (sa == super_m - 1 && sb == super_n - 1) {
        // The walk's last task waits for no next load (its term is its compute alone) and its
        // stores are the last store, priced after the rounds.
        const double last = chunk_cycles(per_range - 1);
        const double wait = per_range > 1 ? step : after_stores;
        phantom = round - std::min(round, loads_chain - (std::max(last, wait) - last));
      }
      double single_round = 0;
      if (single) {
        // One buffer: each chunk's loads wait for the chunk before it to finish computing, and
        // the next block's first chunk for this block's store, whose transfer hides only under
        // the round trip of the next loads. The grid's tiles wait for their shared loads
        // together, so they load at once, at their share of the DRAM, and compute at once. Tiles
        // running other work beside them (dram.fraction < 1) drift out of step: while these
        // compute, those load, so a load gets more than the share, and the round takes the
        // longer of its loads at the whole DRAM's rate then its compute, or its share of the
        // DRAM's time.
        const double compute = over_chunks(0, 0);
        const double gap = std::max(0.0, burst - latency);
        if (dram.fraction < 1) {
          // Alone, the grid's own routes (known: at its home).
          const double alone_links =
              among ? links_of({pm, pn, pk, rows, cols, multicast, share_b, dram.at}, true)
                              .LoadBytes(a_read / kcs, b_read / kcs) /
                          arch.noc.link_bytes_per_cycle
                    : step_links * dram.fraction;
          const double alone = latency + std::max({dram_read / kcs / full_dram_bw, alone_links,
                                                   tile_in / kcs / port_bw});
          single_round = std::max(kcs * alone + compute + gap, kcs * step + burst);
        } else {
          single_round = kcs * step + compute + gap;
        }
      }
      if (pk > 1) {
        // The root takes in the other ranges' partial sums through its port, one after another,
        // and adds each into its own on the vector unit before the block can be stored: two
        // SRAM reads and a write per sum, through its SRAM port (as ComputeTile::Reduce).
        const auto others = static_cast<double>(pk - 1);
        const double partial = psum * static_cast<double>(mt * nt);
        const auto adds = static_cast<double>(PortBoundCycles(
            (pk - 1) * CeilDiv(mt * nt, arch.tile.vector_lanes), 2 * others * partial * 8,
            others * partial * 8, arch.tile.sram.port_bytes_per_cycle));
        const double reduce =
            tile_hops * arch.noc.hop_latency_cycles + others * partial / port_bw + adds;
        round += reduce;
        single_round += reduce;
        reduction_bytes +=
            static_cast<double>(ca * cb) * others * psum * static_cast<double>(span_m * span_n);
      }
      const auto n = static_cast<double>(ca * cb);
      rounds_time += n * round;
      single_rounds_time += n * single_round;
      e.dram_read_bytes += n * dram_read;
      e.dram_write_bytes += n * out_bytes;
      e.delivered_bytes += n * ((load_a ? a_bytes * static_cast<double>(cols) : 0) +
                                (load_b ? b_bytes * static_cast<double>(rows) : 0));
      hops_bytes += n * ((load_a && multicast ? a_bytes * static_cast<double>(cols - 1) : 0) +
                         (load_b && share_b ? b_bytes * static_cast<double>(rows - 1) : 0));
      if (sa == 0 && sb == 0) {
        // The first task's operands: every tile of the grid loads at once.
        const double first_a =
            static_cast<double>(pk) *
            (multicast ? static_cast<double>(rows) : static_cast<double>(rows * cols)) *
            in_bytes(mt, kb);
        const double first_b =
            static_cast<double>(pk) *
            (share_b ? static_cast<double>(cols) : static_cast<double>(rows * cols)) *
            w_bytes(mt, kb, nt);
        first_load = std::max({(first_a + first_b) / dram_bw, load_link_cycles(first_a, first_b),
                               replayed ? step_trains(mt, nt, true, true, rows, cols) : 0.0,
                               (in_bytes(mt, kb) + w_bytes(mt, kb, nt)) / port_bw,
                               channel_port(first_a + first_b)});
      }
    }
  }
  e.tile_tasks = batch * static_cast<double>(blocks_m * blocks_n * k_chunks);
  rounds_time *= group_batch;
  single_rounds_time *= group_batch;
  e.dram_read_bytes *= batch;
  e.dram_write_bytes *= batch;
  e.delivered_bytes *= batch;
  hops_bytes *= batch;
  reduction_bytes *= batch;
  const double last_stored = static_cast<double>(pm * pn) * out_bytes_of(mb, nb);
  const double last_store_links =
      grid_links ? links_of({pm, pn, pk, pm, pn, multicast, share_b, placement}, false)
                           .StoreBytes(last_stored) *
                       link_cpb
                 : 0;
  const double last_store = std::max({last_stored / dram_bw, last_store_links,
                                      out_bytes_of(mb, nb) / port_bw, channel_port(last_stored)});
  // Two buffers: loads of the next task overlap the current one, so only the first load and the
  // last store show. One buffer: every load is in the rounds, and the same blocks never run
  // faster than on two.
  e.cycles = first_load + rounds_time - phantom + last_store + latency;
  if (single) e.cycles = std::max(e.cycles, single_rounds_time + last_store);
  const double noc_byte_hops = (e.dram_read_bytes + e.dram_write_bytes) * rates.hops + hops_bytes +
                               reduction_bytes * tile_hops;
  // The tiles' own energy, every task's arithmetic and array SRAM traffic, by classes of equal
  // tasks: full and remainder blocks; first, middle and last chunks of the full K ranges and of
  // the last one (which holds the remainder chunk).
  double tasks_pj = 0;
  if (task_energy) {
    const auto sizes = [](std::int64_t full, std::int64_t block) {
      FixedList<std::pair<std::int64_t, std::int64_t>, 2> out;  // (size, count)
      if (full / block > 0) out.emplace_back(block, full / block);
      if (full % block > 0) out.emplace_back(full % block, 1);
      return out;
    };
    struct KRange {
      std::int64_t chunks, last_chunk, count;
    };
    FixedList<KRange, 2> ranges;
    if (pk > 1) ranges.push_back({per_range, kb, pk - 1});
    ranges.push_back({k_chunks - (pk - 1) * per_range, layer.k - (k_chunks - 1) * kb, 1});
    for (const auto& [m, cm] : sizes(layer.m, mb)) {
      for (const auto& [n, cn] : sizes(layer.n, nb)) {
        for (const KRange& r : ranges) {
          // (Structured bindings are not captured: clang 14 refuses it.)
          const auto pj = [&, mt = m, nt = n](std::int64_t k, bool first, bool last) {
            return task_energy(layer, task_of(mt, k, nt, first, last));
          };
          const double range_pj =
              r.chunks == 1
                  ? pj(r.last_chunk, true, true)
                  : pj(kb, true, false) + static_cast<double>(r.chunks - 2) * pj(kb, false, false) +
                        pj(r.last_chunk, false, true);
          tasks_pj += static_cast<double>(cm * cn * r.count) * range_pj;
        }
      }
    }
  }
  e.energy_pj = batch * tasks_pj + e.dram_read_bytes * prices.dram_read_pj_per_byte +
                e.dram_write_bytes * prices.dram_write_pj_per_byte +
                (e.delivered_bytes + reduction_bytes) * prices.sram_fill_pj_per_byte +
                noc_byte_hops * prices.noc_pj_per_byte_hop + e.cycles * prices.static_pj_per_cycle;
  return e;
}

// The group counts (> 1) of the batch splits to rank: powers of two up to the products or the
// tiles, whichever is fewer, and that bound itself (each as the groups its products per group
// fill); or the one pinned (mapping.constraints.grid_b, clamped to that bound); none for a layer
// of one product, pinned unsplit, or sharing the DRAM with other work: experts beside experts
// already share the mesh among grids, and a pipelined group's layer runs beside the other
// groups' (whose prediction, pipeline_shares.h, prices one grid per layer: with splits it erred
// by up to 32%).
std::vector<std::int64_t> BatchGroupCounts(const Layer& layer, std::int64_t tiles,
                                           const DramShare& dram, const MappingConfig& c) {
  std::vector<std::int64_t> out;
  const std::int64_t most = std::min(layer.batch, tiles);
  const std::int64_t pinned = c.grid_b;
  if (most < 2 || pinned == 1 || dram.fraction < 1 || dram.queued_bytes > 0 ||
      c.strategy == MappingStrategy::kPipelined)
    return out;
  const auto add = [&](std::int64_t g) {
    const std::int64_t groups = CeilDiv(layer.batch, CeilDiv(layer.batch, g));
    if (groups > 1 && std::find(out.begin(), out.end(), groups) == out.end()) out.push_back(groups);
  };
  if (pinned > 1) {
    add(std::min(pinned, most));
    return out;
  }
  for (std::int64_t g = 2; g < most; g *= 2) add(g);
  add(most);
  return out;
}

}  // namespace

std::vector<RankedMapping> MappingSearch::Rank(const Layer& layer, std::int64_t tiles,
                                               std::int64_t sram_bytes, size_t top,
                                               const DramShare& dram) const {
  return Rank(layer, tiles, sram_bytes, top, dram, nullptr, nullptr);
}

std::int64_t MappingSearch::MostFittingTasks(const Layer& layer, std::int64_t tiles,
                                             std::int64_t sram_bytes) {
  // Spiking layers' operand sizes depend on their rates too: probed every time (as Best).
  const std::string key = MappingShapeKey(layer, tiles, sram_bytes);
  if (auto it = most_fitting_tasks_.find(key);
      it != most_fitting_tasks_.end() && !layer.spiking.enabled())
    return it->second;
  std::int64_t most = -1;
  Rank(layer, tiles, sram_bytes, 1, {}, &most, nullptr);
  return most_fitting_tasks_[key] = most;
}

std::vector<RankedMapping> MappingSearch::Rank(const Layer& layer, std::int64_t tiles,
                                               std::int64_t sram_bytes, size_t top,
                                               const DramShare& dram, std::int64_t* most_tasks,
                                               PlacementRounds* noted) const {
  const ArchConfig& arch = arch_;
  const MappingConfig& c = arch.mapping;
  // Grids that leave no tile out needlessly: for each row count as many columns as the tiles
  // allow, and for each such column count as many rows (64 tiles: 8x8, 4x16, 32x2, 21x3, ...);
  // or the grids the constraints allow.
  const auto grids_of = [&c](std::int64_t count) {
    std::vector<std::pair<std::int64_t, std::int64_t>> grids;
    if (c.grid_m > 0 || c.grid_n > 0) {
      for (std::int64_t gm = c.grid_m > 0 ? c.grid_m : 1; gm <= (c.grid_m > 0 ? c.grid_m : count);
           ++gm) {
        const std::int64_t gn = c.grid_n > 0 ? c.grid_n : count / gm;
        if (gm * gn <= count && gn > 0) grids.emplace_back(gm, gn);
      }
      return grids;
    }
    for (std::int64_t gm = 1; gm <= count; ++gm) {
      const std::int64_t gn = count / gm;
      if (count / gn == gm) grids.emplace_back(gm, gn);
    }
    return grids;
  };
  // A batch split's groups each map on `group_tiles` tiles at `share` (the grids' placement).
  std::int64_t group_tiles = tiles, grid_b = 1, group_stride = 0;
  DramShare share = dram;
  std::vector<std::pair<std::int64_t, std::int64_t>> grids = grids_of(tiles);
  // Candidates, or the one value a constraint (mapping.constraints) allows.
  const auto blocks = [](std::int64_t full, std::int64_t unit, std::int64_t fixed) {
    return fixed > 0 ? std::vector<std::int64_t>{std::min(fixed, full)}
                     : BalancedBlocks(full, unit);
  };
  // Weight- and input-stationary arrays hold one K fold (rows of K) at a time, so a chunk of one
  // fold costs no array cycles over longer ones and is the least SRAM of the single-pass
  // schedule (SCALE-Sim's): always a candidate there.
  const auto k_chunks = [&](std::int64_t full, std::int64_t unit) {
    std::vector<std::int64_t> out_ks = KChunks(full, unit);
    if (arch.tile.dataflow != Dataflow::kOutputStationary && unit < full && out_ks.back() != unit) {
      out_ks.push_back(unit);
    }
    return out_ks;
  };
  std::vector<std::int64_t> ms = blocks(layer.m, arch.tile.rows, c.block_m);
  std::vector<std::int64_t> ns = blocks(layer.n, arch.tile.cols, c.block_n);
  std::vector<std::int64_t> ks = c.block_k > 0
                                     ? std::vector<std::int64_t>{std::min(c.block_k, layer.k)}
                                     : k_chunks(layer.k, arch.tile.rows);  // largest first
  // With mapping.accumulate_in_array, an output-stationary array whose kind can keep a block's
  // sums in its PEs chains the K chunks of one-fold blocks there (no drain and refill per chunk,
  // no partial sums in SRAM): never slower, never more SRAM, the same DRAM traffic, so it replaces
  // accumulating in SRAM. Its K chunk length then costs no array cycles, so the chunk of one K
  // fold (the least SRAM) is a candidate too.
  const TileKindEntry* kind_entry = TileKindRegistry().Find(arch.tile.kind);
  const bool in_array = c.accumulate_in_array &&
                        arch.tile.dataflow == Dataflow::kOutputStationary &&
                        kind_entry != nullptr && kind_entry->accumulates_in_array;
  const auto one_fold = [&](std::int64_t mb, std::int64_t nb) {
    return in_array &&
           CanAccumulateInArray(arch.tile.dataflow, {arch.tile.rows, arch.tile.cols}, {mb, 0, nb});
  };
  std::int64_t fold_k = 0;  // the extra one-fold K chunk, 0: none
  const auto set_fold_k = [&](std::int64_t unit) {
    fold_k = in_array && c.block_k <= 0 && unit < layer.k &&
                     std::find(ks.begin(), ks.end(), unit) == ks.end()
                 ? unit
                 : 0;
  };
  set_fold_k(arch.tile.rows);
  MappingRanking ranking(c.objective, top, c.tie_window);
  const auto none_fit = [&] { return most_tasks ? *most_tasks < 0 : ranking.empty(); };
  const PlatformRates rates = [&] {
    PlatformRates r = RatesOf(arch, links_, steps_);
    r.noted = noted;
    return r;
  }();
  // The same without the step replay, which only lengthens a step: its estimate bounds a
  // mapping's cycles and energy from below, and most candidates are out of the running on it.
  const PlatformRates unreplayed = [&] {
    PlatformRates r = rates;
    r.steps = nullptr;
    return r;
  }();
  // Task cycles of this layer, memoised by task shape (mappings share most of their tasks).
  TaskShapeMemo known;
  const auto cycles = MemoisedTaskCycles(arch, cycles_, known);
  TaskShapeMemo known_pj;
  const auto task_energy = MemoisedTaskEnergy(prices_.task_pj, known_pj);
  // Tiles that can double-buffer may still run a layer on one buffer of twice the size (larger
  // blocks, fewer DRAM reads, no overlap): both are candidates, unless a constraint pins one.
  std::vector<bool> buffering = {false};  // single_buffered
  if (arch.mapping.double_buffering) {
    if (c.buffers == 1) buffering = {true};
    if (c.buffers == 0) buffering.push_back(true);
  }
  const auto consider = [&](GemmMapping mp) {
    mp.grid_b = grid_b;
    mp.group_stride = group_stride;
    mp.accumulate_in_array = one_fold(mp.blocks.m, mp.blocks.n) &&
                             ChunksPerRange(CeilDiv(layer.k, mp.blocks.k), mp.grid_k) > 1;
    bool double_fits = false;
    for (const bool single : buffering) {
      mp.single_buffered = single;
      const std::int64_t sram = MappingSramBytes(arch, layer, mp);
      if (sram > sram_bytes) continue;
      // A tile with one task has nothing to overlap, but one buffer would hold up the next
      // layer's first loads: two, where they fit.
      if (single && double_fits && TasksPerTile(layer, mp) <= 1) continue;
      double_fits = double_fits || !single;
      if (most_tasks) {
        *most_tasks = std::max(*most_tasks, layer.batch * CeilDiv(layer.m, mp.blocks.m) *
                                                CeilDiv(layer.n, mp.blocks.n) *
                                                CeilDiv(layer.k, mp.blocks.k));
        continue;
      }
      if (rates.steps != nullptr && ranking.Excludes(Estimate(arch, unreplayed, layer, mp, prices_,
                                                              cycles, task_energy, share))) {
        continue;
      }
      RankedMapping r{mp, Estimate(arch, rates, layer, mp, prices_, cycles, task_energy, share)};
      r.estimate.sram_bytes = sram;
      ranking.Add(std::move(r));
    }
  };
  const struct {
    LoopOrder order;
    ResidentOperand resident;
  } kVariants[] = {{LoopOrder::kNInner, ResidentOperand::kNone},
                   {LoopOrder::kNInner, ResidentOperand::kInput},
                   {LoopOrder::kMInner, ResidentOperand::kWeights}};
  // K split across tiles (grid_k > 1): for outputs of fewer blocks than tiles, which a grid over
  // M and N alone would leave partly idle. The whole output runs in one round (each block on
  // grid_k tiles), so no panel is resident; spiking layers keep whole K walks (their weight rows
  // depend on the input block's spikes over all of K).
  const bool k_split =
      c.grid_k != 1 && !layer.spiking.enabled() && (c.resident.empty() || c.resident == "none");
  const std::int64_t k_units = CeilDiv(layer.k, arch.tile.rows);
  const auto consider_k_split = [&](std::int64_t mb, std::int64_t nb) {
    const std::int64_t blocks_m = CeilDiv(layer.m, mb), blocks_n = CeilDiv(layer.n, nb);
    // Grid cells: every block at once, unless the constraints pin the grid (then any grid of the
    // tiles a pinned grid_k leaves).
    std::set<std::pair<std::int64_t, std::int64_t>> cells;
    if (c.grid_k > 1 || c.grid_m > 0 || c.grid_n > 0) {
      for (const auto& [gm, gn] : grids_of(group_tiles / std::max<std::int64_t>(c.grid_k, 2)))
        cells.emplace(std::min(gm, blocks_m), std::min(gn, blocks_n));
    } else {
      cells.emplace(blocks_m, blocks_n);
    }
    for (const auto& [pm, pn] : cells) {
      const std::int64_t most =
          c.grid_k > 1 ? c.grid_k : std::min(group_tiles / (pm * pn), k_units);
      for (std::int64_t gk = c.grid_k > 1 ? c.grid_k : 2; gk <= most; ++gk) {
        if (pm * pn * gk > group_tiles) break;
        // Chunks of each tile's range, array-aligned.
        const std::int64_t k_tile = std::min(layer.k, CeilDiv(k_units, gk) * arch.tile.rows);
        const std::vector<std::int64_t> range_ks =
            c.block_k > 0 ? ks : KChunks(k_tile, arch.tile.rows);
        for (std::int64_t kb : range_ks) {
          // A split into fewer ranges than asked is another grid_k's mapping.
          if (KRanges(CeilDiv(layer.k, kb), gk) != gk) continue;
          consider(
              GemmMapping{{mb, kb, nb}, pm, pn, LoopOrder::kNInner, ResidentOperand::kNone, gk});
        }
      }
    }
  };
  const auto consider_blocks = [&] {
    for (std::int64_t mb : ms) {
      for (std::int64_t nb : ns) {
        if (k_split) consider_k_split(mb, nb);
        if (c.grid_k > 1) continue;
        // A grid larger than the blocks is the grid of the blocks: evaluate each once.
        std::set<std::pair<std::int64_t, std::int64_t>> seen;
        for (const auto& [gm, gn] : grids) {
          const std::int64_t pm = std::min(gm, CeilDiv(layer.m, mb));
          const std::int64_t pn = std::min(gn, CeilDiv(layer.n, nb));
          if (!seen.emplace(pm, pn).second) continue;
          for (const auto& v : kVariants) {
            if (v.resident == ResidentOperand::kWeights && layer.spiking.enabled()) continue;
            if (!c.resident.empty() && c.resident != ResidentOperandName(v.resident)) continue;
            // Every K chunk that fits (the list does not depend on the SRAM, so more SRAM only
            // adds mappings).
            for (std::int64_t kb : ks)
              consider(GemmMapping{{mb, kb, nb}, pm, pn, v.order, v.resident});
            if (fold_k > 0 && one_fold(mb, nb))
              consider(GemmMapping{{mb, fold_k, nb}, pm, pn, v.order, v.resident});
          }
        }
      }
    }
  };
  // Batch splits: the products cut into groups, each group's grid on its share of the tiles, for
  // products whose blocks leave tiles idle (attention heads, MLA's per-head absorptions, an SSM's
  // chunks). A pinned split replaces the unsplit mappings.
  const std::vector<std::int64_t> splits =
      most_tasks ? std::vector<std::int64_t>{} : BatchGroupCounts(layer, tiles, dram, c);
  const std::int64_t first_tile = links_.FirstTiles(dram.at).front();
  const auto consider_splits = [&] {
    if (c.grid_b <= 1 || splits.empty()) consider_blocks();
    for (const std::int64_t groups : splits) {
      grid_b = groups;
      group_tiles = tiles / groups;
      group_stride = group_tiles;
      std::vector<std::int64_t> firsts;
      for (std::int64_t g = 0; g < groups; ++g) firsts.push_back(first_tile + g * group_stride);
      share.at = links_.Placement(firsts);
      grids = grids_of(group_tiles);
      consider_blocks();
    }
    grid_b = 1;
    group_tiles = tiles;
    group_stride = 0;
    share = dram;
    grids = grids_of(tiles);
  };
  consider_splits();
  // An SRAM too small for array-aligned blocks (a large array, a small scratchpad) still runs
  // the layer with blocks smaller than the array, which then runs partly empty: halve the block
  // unit until a mapping fits.
  for (std::int64_t div = 2;
       none_fit() && c.grid_k <= 1 && div / 2 < std::max(arch.tile.rows, arch.tile.cols);
       div *= 2) {
    const std::int64_t rows = std::max<std::int64_t>(1, arch.tile.rows / div);
    ms = blocks(layer.m, rows, c.block_m);
    ns = blocks(layer.n, std::max<std::int64_t>(1, arch.tile.cols / div), c.block_n);
    if (c.block_k <= 0) ks = k_chunks(layer.k, rows);
    set_fold_k(rows);
    consider_splits();
  }
  if (none_fit() && c.grid_k > 1) {
    // A pinned split impossible for this layer, whatever the SRAM, is a constraint error.
    const std::string why =
        !k_split             ? "spiking layers keep whole K walks"
        : c.grid_k > k_units ? "its K (" + std::to_string(layer.k) + ") has only " +
                                   std::to_string(k_units) + " array-row chunks"
        : c.grid_k > tiles ? "it is mapped on " + std::to_string(tiles) + " tiles"
                           : "";
    if (!why.empty()) {
      throw ConfigError(layer.where, "layer '" + layer.name + "': 'mapping.constraints.grid_k: " +
                                         std::to_string(c.grid_k) + "' cannot split it: " + why);
    }
  }
  if (none_fit()) {
    // The architecture's SRAM is too small for this layer (or for the blocks the constraints
    // pin): an input error, located at the layer, with the least SRAM that would do.
    const auto pinned = [](std::int64_t fixed, std::int64_t full) {
      return fixed > 0 ? std::min(fixed, full) : std::int64_t{1};
    };
    GemmMapping least{
        {pinned(c.block_m, layer.m), pinned(c.block_k, layer.k), pinned(c.block_n, layer.n)}};
    least.single_buffered = buffering.back();
    const bool pins = c.block_m > 0 || c.block_k > 0 || c.block_n > 0;
    throw ConfigError(layer.where,
                      "layer '" + layer.name + "': no mapping fits the " +
                          std::to_string(sram_bytes) + "-byte tile SRAM (needs at least " +
                          std::to_string(MappingSramBytes(arch, layer, least)) + " bytes" +
                          (pins ? " with the blocks mapping.constraints pins" : "") + ")");
  }
  if (most_tasks) return {};
  return ranking.Take();
}

std::string MappingShapeKey(const Layer& layer, std::int64_t tiles, std::int64_t sram_bytes,
                            const DramShare& dram) {
  std::ostringstream key;
  key << layer.batch << 'x' << layer.m << 'x' << layer.k << 'x' << layer.n << ' '
      << static_cast<int>(layer.kind) << ' ' << layer.arithmetic.name() << ' '
      << layer.weight_sparsity << ' ' << layer.ActivationBytes(1 << 20) << ' '
      << layer.OperandBBytes(1 << 20) << ' ' << layer.spiking.enabled() << " on " << tiles << ' '
      << sram_bytes << ' ' << dram.fraction << ' ' << std::llround(dram.queued_bytes) << " at "
      << dram.at << ' ' << dram.among << ' ' << dram.beside;
  return key.str();
}

RankedMapping MappingSearch::Refined(const Layer& layer,
                                     const std::vector<RankedMapping>& candidates) const {
  if (candidates.size() < 2) return candidates.front();
  const std::vector<std::optional<SimulatedMapping>> simulated = refiner_(layer, candidates);
  // Ranked as the estimates are (objective, tie window, then energy, DRAM and SRAM bytes), on
  // what the simulation measured; the pick keeps its estimate for the report.
  MappingRanking ranking(arch_.mapping.objective, 1, arch_.mapping.tie_window);
  for (size_t i = 0; i < candidates.size() && i < simulated.size(); ++i) {
    if (!simulated[i]) continue;
    RankedMapping r = candidates[i];
    r.estimate.cycles = simulated[i]->cycles;
    r.estimate.energy_pj = simulated[i]->energy_pj;
    r.estimate_rank = static_cast<int>(i) + 1;
    ranking.Add(std::move(r));
  }
  if (ranking.empty()) return candidates.front();  // none simulated: the estimate decides
  const RankedMapping best = ranking.Take().front();
  RankedMapping pick = candidates[static_cast<size_t>(best.estimate_rank - 1)];
  pick.estimate_rank = best.estimate_rank;
  pick.refined_candidates = static_cast<int>(candidates.size());
  return pick;
}

RankedMapping MappingSearch::RankPlaced(const Layer& layer, std::int64_t tiles,
                                        std::int64_t sram_bytes, const DramShare& dram) {
  // A batch split's rounds are looked up at its groups' placement, which a PlacementRounds does
  // not follow to another placement: such a layer is ranked at each.
  if (!BatchGroupCounts(layer, tiles, dram, arch_.mapping).empty())
    return Rank(layer, tiles, sram_bytes, 1, dram, nullptr, nullptr).front();
  DramShare anywhere = dram;
  anywhere.at = 0;
  anywhere.among = dram.among >= 0 ? 0 : -1;
  std::vector<PlacedRanking>& rankings =
      placed_[MappingShapeKey(layer, tiles, sram_bytes, anywhere)];
  for (const PlacedRanking& r : rankings) {
    if (r.rounds.SameLoads(links_, r.at, r.among, dram.at, dram.among)) return r.pick;
  }
  PlacementRounds rounds;
  RankedMapping pick = Rank(layer, tiles, sram_bytes, 1, dram, nullptr, &rounds).front();
  rounds.Seal();
  rankings.push_back({dram.at, dram.among, std::move(rounds), pick});
  return pick;
}

MappingEstimate MappingSearch::EstimateAt(const Layer& layer, const GemmMapping& mapping,
                                          const DramShare& dram) {
  TaskShapeMemo known;
  return Estimate(arch_, RatesOf(arch_, links_, steps_), layer, mapping, prices_,
                  MemoisedTaskCycles(arch_, cycles_, known), {}, dram);
}

const RankedMapping& MappingSearch::Best(const Layer& layer, std::int64_t tiles,
                                         std::int64_t sram_bytes, const DramShare& dram) {
  // Spiking layers' mappings depend on their rates too: ranked every time.
  const std::string key = MappingShapeKey(layer, tiles, sram_bytes, dram);
  if (!layer.spiking.enabled()) {
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  }
  const bool refine = refiner_ && arch_.mapping.refine > 1 && tiles == arch_.TileCount() &&
                      dram.fraction >= 1 && dram.queued_bytes == 0 && !layer.expert.enabled();
  RankedMapping pick;
  if (refine) {
    // Each refinement runs simulations: a spiking layer, ranked anew at every call, keeps its
    // refined pick by name (its rates are the layer's in a single-pass run).
    const std::string refined_key = layer.spiking.enabled() ? key + '\n' + layer.name : key;
    auto r = refined_.find(refined_key);
    if (r == refined_.end()) {
      r = refined_
              .emplace(refined_key,
                       Refined(layer, Rank(layer, tiles, sram_bytes,
                                           static_cast<size_t>(arch_.mapping.refine), dram)))
              .first;
    }
    pick = r->second;
  } else if (layer.spiking.enabled()) {
    pick = Rank(layer, tiles, sram_bytes, 1, dram).front();
  } else {
    pick = RankPlaced(layer, tiles, sram_bytes, dram);
  }
  auto [it, added] = memo_.insert_or_assign(key, std::move(pick));
  MappingEstimate& best = it->second.estimate;
  best.cycles_alone = best.cycles;
  if (dram.fraction < 1 || dram.queued_bytes > 0) {
    TaskShapeMemo known;
    best.cycles_alone =
        Estimate(arch_, RatesOf(arch_, links_, steps_), layer, it->second.mapping, prices_,
                 MemoisedTaskCycles(arch_, cycles_, known), {}, DramShare{.at = dram.at})
            .cycles;
  }
  return it->second;
}

}  // namespace pjsim
