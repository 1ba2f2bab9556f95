#pragma once
// Exact cycle count of the LIF neuron update unit (rtl/lif_unit.sv), confirmed cycle for cycle by
// the RTL cross-checks (tests/rtl/lif_unit_test.cpp). Plain C++, no SystemC: a spiking tile model
// can charge these cycles directly.
//
// One timestep of the unit: E synaptic events (target neuron, weight; already fetched) are waiting
// in its queue, N neurons are updated by U lanes. Cycles from the start edge to the edge that
// raises done (the harness convention of rtl/rtl_harness.h):
//   cycles = E + ceil(N / U) + 3        (0 when N == 0: the unit answers done at once)
// * E: one event per cycle through the read-modify-write of the input-current SRAM (an event to
//   a neuron >= N is dropped but still takes its cycle);
// * ceil(N / U): one row of U neurons per cycle through the update pipeline (membrane and current
//   read, leak, integrate / saturate / fire / reset, membrane write);
// * 3: one cycle draining the last event write, two cycles of update-pipeline latency.
// A task of T timesteps with E_t events at timestep t takes sum_t LifTimestepCycles(E_t, N, U).
//
// Relation to the SystemC spiking tile (sim/arch/spiking_kind.cpp), which charges
// ceil(S/R) * ceil(n/C) cycles for S input spikes fanning out to n neurons on R spike lanes and C
// neuron lanes, plus T * ceil(m*n/C) for the membrane updates: this unit has one event port (one
// synapse per cycle, so S spikes to n targets are E = S * n events, i.e. R = C = 1 for the event
// term) and C = U update lanes, with which the membrane term is the tile's exactly. The tile model
// leaves out the 3 cycles of drain and pipeline latency per timestep.
#include <cstdint>
#include <span>

namespace pjsim {

constexpr std::int64_t LifTimestepCycles(std::int64_t events, std::int64_t neurons,
                                         std::int64_t lanes) {
  if (neurons <= 0) return 0;
  return events + (neurons + lanes - 1) / lanes + 3;
}

// A task of one timestep per element of `events_per_timestep`.
constexpr std::int64_t LifTaskCycles(std::span<const std::int64_t> events_per_timestep,
                                     std::int64_t neurons, std::int64_t lanes) {
  std::int64_t cycles = 0;
  for (const std::int64_t e : events_per_timestep) cycles += LifTimestepCycles(e, neurons, lanes);
  return cycles;
}

}  // namespace pjsim
