#pragma once
// Everything the `jedec` DRAM model needs to know about one channel: geometry, JEDEC timings
// (in clocks of tCK, named as datasheets name them), IDD currents, and the controller's policy.
// A preset file (configs/dram/*.yaml) supplies them; an arch's `dram:` section (or `pjsim
// dram-bench --set`) may override any field.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "models/memory/jedec_address_map.h"
#include "sim/config/model_params.h"

namespace pjsim {

class ConfigMap;

struct JedecParams : ModelParams {
  std::string name;    // preset name, for reports
  std::string source;  // the preset's primary sources

  // Geometry of one channel (ranks x bank groups x banks, each a rows x columns array).
  std::int64_t ranks = 1, bank_groups = 1, banks_per_group = 1, rows = 1, columns = 1;
  std::int64_t burst_length = 8, bus_width_bits = 64, devices_per_rank = 1, device_width = 64;
  // Data transfers per pin per tCK: 2 (double data rate), 4 for GDDR5 (data at double rate on
  // WCK = 2 x CK, JESD212), 8 for GDDR5X in QDR mode (JESD232). A burst takes
  // burst_length / transfers_per_clock clocks of the data bus.
  std::int64_t transfers_per_clock = 2;

  // Timings, in clocks of tCK (tCK itself in ns).
  double tCK = 1;
  std::int64_t CL = 1, CWL = 1, tRCD = 1, tRP = 1, tRAS = 1, tRC = 1;
  // ACT to WR where it differs from ACT to RD (JESD212 GDDR5 and JESD235 HBM name them tRCDWR and
  // tRCDRD; tRCD is the read one); tRCD where the device has one figure.
  std::int64_t tRCDWR = 1;
  // PRE to PRE of different banks of a rank (JESD212 GDDR5, JESD209-4 LPDDR4 tPPD) and the
  // 32-activate window (JESD212 t32AW: at most 32 ACTs of a rank within it, beside tFAW's four);
  // 0 where the device has none.
  std::int64_t tPPD = 0, t32AW = 0;
  std::int64_t tRRD_S = 1, tRRD_L = 1, tFAW = 1, tCCD_S = 1, tCCD_L = 1;
  // Write to write in one bank group (JESD79-5 tCCD_L_WR: DDR5 writes are spaced longer than
  // reads); tCCD_L where the device has no such figure.
  std::int64_t tCCD_L_WR = 1;
  std::int64_t tWTR_S = 1, tWTR_L = 1, tRTP = 1, tWR = 1, tRFC = 1, tREFI = 1, tXP = 1;
  // Per-bank refresh (LPDDR4/5 REFpb, DDR5 REFsb, HBM single-bank refresh): one command every
  // tREFIpb refreshes Banks() / RefreshSets() banks for tRFCpb; 0 where the device has none.
  std::int64_t tRFCpb = 0, tREFIpb = 0;
  // The data bus between bursts of different ranks: tRTRS clocks for the driving rank (and the
  // termination) to change, a board and controller figure rather than a device timing (1 in
  // DRAMsim3's DDR files). write_rank_switch: whether two writes to different ranks pay it too
  // (the controller drives both bursts, but the termination moves between ranks: Ramulator and
  // DRAMSim2 charge it; DRAMsim3's timing.cc does not, and its importer sets false).
  std::int64_t tRTRS = 1;
  bool write_rank_switch = true;
  // The same gap per pair of directions where a controller times them apart (Ramulator 2's DDR4
  // spaces column commands of different ranks by nBL + nCS after a read and by
  // nCL + nBL + nCS - nCWL from a write to a read): read then write, write then read, write then
  // write. Defaults: tRTRS, and for two writes tRTRS with write_rank_switch, else 0.
  std::int64_t tRTRS_RW = 1, tRTRS_WR = 1, tRTRS_WW = 1;
  // JESD79-5 two-cycle commands: ACT, RD and WR take two clocks of the command bus (DDR5's CA
  // bus carries them in two halves; PRE one). Honoured by the clocked command buses only.
  bool two_cycle_commands = false;
  // Read to write on one rank: CL + BL/2 - CWL + read_to_write_gap clocks (JESD79-4 READ to
  // WRITE: 2 with 1 tCK preambles; DRAMsim3 takes its tRTRS, which its importer copies).
  std::int64_t read_to_write_gap = 2;

  // Currents per device (mA) at VDD (V); I/O and termination energy per bit moved (pJ).
  double IDD0 = 0, IDD2N = 0, IDD2P = 0, IDD3N = 0, IDD3P = 0, IDD4R = 0, IDD4W = 0, IDD5B = 0;
  double IDD5PB = 0;  // during a per-bank refresh (over tRFCpb, as IDD5B over tRFC)
  double VDD = 1;
  double io_pj_per_bit = 0;

  // Controller.
  std::string address_mapping = "rorabgbaco";  // field order, most significant first
  bool open_page = true;                       // page_policy: open | closed
  bool fr_fcfs = true;                         // scheduler: fr-fcfs | fcfs | round-robin
  // scheduler: round-robin: FR-FCFS whose ties between banks (command queues) go round-robin
  // from the last one served instead of to the oldest entry (DRAMsim3's arbitration).
  bool round_robin = false;
  std::int64_t read_queue = 32, write_queue = 32;
  // queue_structure: `shared` (the scheduler sees every queued burst: read_queue / write_queue
  // bursts) or command queues of command_queue_depth bursts per bank (`per_bank`) or per rank
  // (`per_rank`) behind transaction queues of read_queue / write_queue bursts, as DRAMsim3's
  // controller is built: the scheduler sees only the command queues, a transaction moves into
  // its bank's (rank's) command queue when that has room, and later transactions pass one whose
  // command queue is full.
  enum class QueueStructure { kShared, kPerBank, kPerRank };
  QueueStructure queue_structure = QueueStructure::kShared;
  std::int64_t command_queue_depth = 8;
  // command_bus: `ahead` (PRE and ACT placed ahead of their column command, off any command
  // bus: one decision per column access), `one_per_clock` (a clocked arbiter: each clock at most
  // one command, PRE, ACT, RD or WR, the first ready of a queue in age order, queues taken as
  // the scheduler says; JESD79-4 carries one command per tCK) or `row_column` (one row command,
  // PRE or ACT, and one column command per clock: HBM's separate row and column command buses,
  // JESD235).
  enum class CommandBus { kAhead, kOnePerClock, kRowColumn };
  CommandBus command_bus = CommandBus::kAhead;
  // Column accesses an open row serves before a younger hit no longer keeps an older miss of
  // its bank waiting (0: no cap; the FR-FCFS+Cap starvation guard).
  std::int64_t row_hit_cap = 0;
  // Ramulator 2's ClosedRowPolicy (its `cap`): after this many column accesses since its ACT a
  // bank's row is closed. On a clocked command bus its PRE goes into a priority queue that every
  // other request but the active buffer's waits behind until the PRE issues; in the `ahead`
  // mode the PRE is placed as soon as tRTP / tWR allow. 0 (the key left out): rows stay open.
  std::int64_t close_after_accesses = 0;
  // Ramulator 2's active buffer (GenericDRAMController): a request whose ACT has issued leaves
  // its read or write queue for a buffer of this many entries, which is served before the queues
  // and whose banks no PRE closes; its queue slot frees at the ACT (0: none, the request keeps
  // its slot until its column command). Clocked command buses with a shared queue only.
  std::int64_t active_buffer = 0;
  // With command queues and a clocked command bus: transactions moved from the transaction
  // queues into the command queues per clock (0: as many as fit).
  std::int64_t moves_per_clock = 0;
  double write_high_watermark = 0.75, write_low_watermark = 0.25;  // fractions of write_queue
  // write_drain: `watermarks` (writes drain from the high watermark to the low one, counting
  // writes that arrive meanwhile) or `batch` (DRAMsim3's write buffer, controller.cc: a drain
  // starts when the write queue is full, or holds write_drain_idle writes while no read waits,
  // and moves exactly the writes held at its start, no read moving meanwhile).
  bool batch_write_drain = false;
  std::int64_t write_drain_idle = 16;  // DRAMsim3's write_buf_size
  bool power_down = true;
  std::int64_t power_down_idle = 64;  // clocks idle before entering power-down
  bool refresh = true;
  bool per_bank_refresh = false;  // refresh_mode: all_bank | per_bank
  // refresh_stagger: the ranks refresh tREFI / ranks apart (DRAMsim3's default); false: every
  // rank at each tREFI at once (Ramulator 2's AllBank refresh manager).
  bool refresh_stagger = true;
  bool exact = false;  // one scheduling decision per burst, no open-row run batching
  bool replay = true;  // repeated layer runs may be replayed (docs/DRAM.md, Replay of layer runs)
  // Platform: transactions that overlap in time share the controller (its queues and FR-FCFS
  // decisions) instead of each being served whole at its arrival (docs/DRAM.md, Interleaving).
  bool interleave_transactions = false;
  // Sustained over peak bandwidth on a long read stream (JedecSustainedReadFraction), measured
  // on first use, once for the params an architecture's `dram:` section gave (copies share it);
  // null: params built otherwise, which the cost model takes at their peak. Lazy, so that
  // reading or validating a configuration (a sweep's dry run) runs no controller.
  struct SustainedRate {
    std::once_flag once;
    double fraction = 1;
  };
  std::shared_ptr<SustainedRate> sustained_rate;
  // The address map, and how a bank changes rows (JedecRowSwitchPs) measured on first use, for
  // the params an architecture's `dram:` section gave (copies share them); null: params built
  // otherwise, whose requests the cost model takes as row hits.
  struct Rows {
    explicit Rows(const JedecParams& p) : map(p) {}
    JedecAddressMap map;
    std::once_flag once;
    DramRowSwitch switch_ps;
    std::once_flag turnaround_once;
    double turnaround_ps = 0;  // JedecBusTurnaroundPs
  };
  std::shared_ptr<Rows> rows_of;

  // Derived.
  // Precharge, activate and CAS latency, as the mapping search's cost model needs it.
  double IdleReadLatencyCycles(double clock_hz) const override {
    return static_cast<double>(tRP + tRCD + CL) * tCK * 1e-9 * clock_hz;
  }
  std::int64_t BurstBytes() const override { return bus_width_bits / 8 * burst_length; }
  double SustainedReadFraction() const override;               // jedec_sustained_rate.cpp
  DramRow RowOf(std::uint64_t address) const override;         // jedec_row_switch.cpp
  DramRowSwitch RowSwitch(double clock_hz) const override;     // the same
  double BusTurnaroundCycles(double clock_hz) const override;  // the same
  // tRFC (all-bank) or tRFCpb (per bank set); 0 with refresh off.
  double RefreshStallCycles(double clock_hz) const override {
    if (!refresh) return 0;
    return static_cast<double>(per_bank_refresh ? tRFCpb : tRFC) * tCK * 1e-9 * clock_hz;
  }
  std::uint64_t ChannelCapacityBytes() const override { return CapacityBytes(); }
  std::int64_t BurstClocks() const { return burst_length / transfers_per_clock; }
  std::int64_t RowBytes() const { return columns * device_width * devices_per_rank / 8; }
  // Bytes a channel addresses: every rank's banks' rows.
  std::uint64_t CapacityBytes() const {
    return static_cast<std::uint64_t>(ranks * Banks() * rows) *
           static_cast<std::uint64_t>(RowBytes());
  }
  std::int64_t Banks() const { return bank_groups * banks_per_group; }
  // Per-bank refresh commands per tREFI; command s refreshes the banks s, s + sets, s + 2 sets..
  // (flat index bank_group x banks_per_group + bank: DDR5's REFsb refreshes one bank of every
  // group, LPDDR5's REFpb a bank pair).
  std::int64_t RefreshSets() const {
    return tREFIpb > 0 ? std::max<std::int64_t>(1, (tREFI + tREFIpb / 2) / tREFIpb) : 1;
  }
  double PeakBytesPerNs() const {
    return static_cast<double>(bus_width_bits) / 8 * static_cast<double>(transfers_per_clock) / tCK;
  }
  std::uint64_t ClocksToPs(std::int64_t clocks) const {
    return static_cast<std::uint64_t>(static_cast<double>(clocks) * tCK * 1000 + 0.5);
  }
};

// Reads the fields from `section`; a `preset:` key there names a file (relative to the
// section's file) that supplies every field the section does not set. Every bad key or value is
// a ConfigError at its file:line (unknown keys of the preset are rejected here; the caller
// Finish()es `section`).
std::shared_ptr<JedecParams> ReadJedecParams(ConfigMap& section);

}  // namespace pjsim
