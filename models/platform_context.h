#pragma once
// What every SystemC component of one platform shares: the ledger it charges, the priced
// actions, the clock, and run statistics. Included only by models/ (it pulls in SystemC). Owned by
// the Platform; components hold a reference.
#include <cstdint>
#include <exception>
#include <systemc>

#include "sim/config/arch_config.h"
#include "sim/energy/energy_ledger.h"
#include "sim/energy/platform_actions.h"
#include "sim/energy/tech_table.h"
#include "sim/report/run_observer.h"
#include "sim/report/trace_recorder.h"

namespace pjsim {

// Current simulated time in picoseconds (the kernel's resolution is set to 1 ps).
inline std::uint64_t Now() { return static_cast<std::uint64_t>(sc_core::sc_time_stamp().value()); }

struct RunStats {
  std::int64_t tile_tasks = 0;
  std::int64_t waits = 0;         // SystemC wait() calls made by pjsim threads
  std::int64_t transactions = 0;  // TLM transactions (DRAM chunks)
  // Bytes multicast reads delivered beyond the one copy read from DRAM (receivers - 1 each).
  double multicast_copy_bytes = 0;
  double reduction_bytes = 0;  // partial sums sent tile to tile (K split across tiles)
  // Bytes gathers read beyond the rows they keep (whole bursts around scattered rows).
  double gather_overfetch_bytes = 0;
};

struct PlatformContext {
  const ArchConfig& arch;
  const TechTable& tech;
  EnergyLedger& ledger;
  PlatformActions& actions;
  std::uint64_t clock_period_ps = 0;
  RunStats stats;
  TraceRecorder* trace = nullptr;  // null unless a timeline was requested
  // The first exception a SystemC thread threw; it stops the simulation and Simulate rethrows
  // it (exceptions must not cross the SystemC kernel, which would wrap them). Set only by Fail.
  std::exception_ptr error;
  RunObserver* observer = nullptr;  // told of each layer and pass as it finishes
  bool replay = true;               // repeated layer runs may be replayed (models/layer_replay.h)
  // A DRAM model waits in b_transport until its request is decided (the `jedec` model): the
  // initiators keep several transactions in flight (models/tile/compute_tile.h, Port).
  bool dram_waits = false;

  // The one route for an error out of a SystemC thread.
  void Fail(std::exception_ptr e) {
    if (!error) error = e;
    sc_core::sc_stop();
  }
  // Runs a SystemC thread's body and reports what it throws through Fail. The kernel's own
  // unwinding of a killed thread passes through, as the kernel requires.
  template <class Body>
  void Guard(Body&& body) {
    try {
      body();
    } catch (const sc_core::sc_unwind_exception&) {
      throw;
    } catch (...) {
      Fail(std::current_exception());
    }
  }

  std::uint64_t CyclesToPs(double cycles) const {
    return static_cast<std::uint64_t>(cycles * static_cast<double>(clock_period_ps) + 0.5);
  }
};

}  // namespace pjsim
