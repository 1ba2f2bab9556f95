#pragma once
// What one simulation produced: the ledger of counts, layer timings and resource statistics.
// Plain data filled by models/simulate.cpp and read by the report writers.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/arch/power_domain.h"
#include "sim/energy/energy_ledger.h"
#include "sim/task/layer_plan.h"

namespace pjsim {

// The instant `ps` in whole clock cycles: the clock edge at or after it, counted from the start of
// the run. Every cycle figure of a run is rounded this one way, once per instant.
inline std::int64_t WholeCycles(std::uint64_t ps, std::uint64_t clock_period_ps) {
  return static_cast<std::int64_t>((ps + clock_period_ps - 1) / clock_period_ps);
}

struct LayerResult {
  std::uint64_t start_ps = 0;  // first pass
  std::uint64_t span_ps = 0;   // summed over passes
  std::uint64_t leakage_share_ps =
      0;                        // run time charged to this layer (split among overlapping layers)
  std::int64_t tile_tasks = 0;  // summed over passes
  double macs = 0;              // summed over passes
  double operand_b_bytes = 0;   // weights / KV cache / table read from DRAM, summed
  double input_spikes = 0;      // spiking layers, summed over passes
  Tiling tiling;                // of the last pass
  // Summed over passes: the mapping search's predicted cycles (GEMM layers), and the DRAM bytes
  // of every operand read once / no schedule could beat.
  double predicted_cycles = 0;
  double compulsory_bytes = 0;
  double lower_bound_bytes = 0;
  double reduction_bytes = 0;      // partial sums sent tile to tile (K split), summed over passes
  std::uint64_t tile_busy_ps = 0;  // summed over tiles
  // MoE expert ops, summed over passes: tokens each expert ran, and token slots dropped.
  std::vector<double> expert_rows;
  double expert_dropped = 0;
  // Whole clock cycles: each instant is rounded up to the clock edge at or after it
  // (WholeCycles), so a layer's cycles summed over passes are end edge minus start edge, and
  // layers run one after another add up to the run's cycles exactly.
  std::int64_t start_cycle = 0;  // first pass
  std::int64_t cycles = 0;       // summed over passes
};

// One pass of the workload (decode: one generated token). Passes run one after another; a pass
// ends when its last layer finishes (the last pass: when the run ends).
struct PassResult {
  std::uint64_t end_ps = 0;
  // Per ledger action (EnergyLedger::actions() order): the units charged during this pass, from
  // ledger snapshots at the pass boundaries; leakage is the pass's share of the run time at the
  // same rates the layers are charged. Summed over passes they give the ledger's totals.
  std::vector<double> counts;
};

struct ChannelResult {
  double bytes_read = 0;
  double bytes_written = 0;
  std::int64_t row_hits = 0;
  std::int64_t row_misses = 0;
  std::uint64_t busy_ps = 0;
  // DRAM commands, filled only by models that schedule them (`jedec`); reports show them only
  // then.
  bool has_commands = false;
  std::int64_t act = 0, pre = 0, rd = 0, wr = 0, ref = 0;
  double avg_read_latency_ns = 0, p99_read_latency_ns = 0;
};

// A sampled decode (workload key `decode_sampling`, models/decode_sampler.h): how many runs of
// the layers re-planned every pass were simulated in detail and how many extrapolated, the
// largest relative error of the checks (a detailed run predicted before it ran), and the
// estimated bound on the error that extrapolation put into the run's totals.
struct DecodeSamplingResult {
  std::int64_t interval = 0;  // 0: the workload asked for none
  bool applied = false;
  std::string not_applied;  // why, when asked for and !applied
  std::int64_t detailed_runs = 0, extrapolated_runs = 0, checks = 0;
  double max_check_error_time = 0, max_check_error_energy = 0;  // relative
  double error_bound_ps = 0;
  double error_bound_pj = 0;  // dynamic energy; leakage follows the time bound
};

struct SimulationResult {
  EnergyLedger ledger{{}};
  std::uint64_t clock_period_ps = 0;
  std::uint64_t total_ps = 0;
  std::vector<LayerResult> layers;  // indexed like workload layers
  std::vector<PassResult> passes;   // one per pass, in order
  std::vector<ChannelResult> channels;
  std::vector<double> link_bytes;
  std::int64_t tile_tasks = 0;
  std::int64_t waits = 0;
  std::int64_t transactions = 0;
  // Bytes multicast reads delivered to tiles beyond the one copy read from DRAM.
  double multicast_copy_bytes = 0;
  double reduction_bytes = 0;  // partial sums sent tile to tile (K split across tiles)
  // Bytes gathers of scattered rows read from DRAM beyond the rows they keep (whole bursts).
  double gather_overfetch_bytes = 0;
  // The DRAM address space the workload's tensors take (sim/mapping/tensor_placement.h).
  std::uint64_t dram_footprint_bytes = 0;
  // Power gating (empty unless the architecture enables it).
  std::string gating_policy;
  std::vector<PowerDomainResult> power_domains;
  double gating_reload_bytes = 0;  // resident weights re-read from DRAM after the SRAM was off
  // Layer runs replayed from a recorded run of the same plan instead of simulated
  // (models/layer_replay.h); the results are the same either way, so no report shows it.
  std::int64_t replayed_layer_runs = 0;
  // Simulated runs not recorded for replay because their records kept going unused
  // (models/replay_backoff.h). Not reported.
  std::int64_t replay_skipped_runs = 0;
  // Of the runs looked up for replay, those found to repeat a recorded shape by the walk their
  // plan was moved from, without comparing it task by task (models/layer_replay.h). Not reported.
  std::int64_t replay_shapes_by_walk = 0;
  DecodeSamplingResult decode_sampling;

  double seconds() const { return static_cast<double>(total_ps) * 1e-12; }
  std::int64_t cycles() const { return WholeCycles(total_ps, clock_period_ps); }
};

}  // namespace pjsim
