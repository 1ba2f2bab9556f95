#pragma once
// What one simulation produced: the ledger of counts, layer timings and resource statistics.
// Plain data filled by models/simulate.cpp and read by the report writers.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/arch/power_domain.h"
#include "sim/energy/energy_ledger.h"
#include "sim/task/tile_task.h"

namespace pjsim {

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

struct SimulationResult {
  EnergyLedger ledger{{}};
  std::uint64_t clock_period_ps = 0;
  std::uint64_t total_ps = 0;
  std::vector<LayerResult> layers;  // indexed like workload layers
  std::vector<ChannelResult> channels;
  std::vector<double> link_bytes;
  std::int64_t tile_tasks = 0;
  std::int64_t waits = 0;
  std::int64_t transactions = 0;
  // Bytes multicast reads delivered to tiles beyond the one copy read from DRAM.
  double multicast_copy_bytes = 0;
  double reduction_bytes = 0;  // partial sums sent tile to tile (K split across tiles)
  // Power gating (empty unless the architecture enables it).
  std::string gating_policy;
  std::vector<PowerDomainResult> power_domains;
  double gating_reload_bytes = 0;  // resident weights re-read from DRAM after the SRAM was off

  double seconds() const { return static_cast<double>(total_ps) * 1e-12; }
  std::int64_t cycles() const {
    return static_cast<std::int64_t>((total_ps + clock_period_ps - 1) / clock_period_ps);
  }
};

}  // namespace pjsim
