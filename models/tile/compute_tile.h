#pragma once
// A compute tile: PE array (its kind decides arithmetic and cycles), vector unit, SRAM
// scratchpad and a DMA, as three concurrent SystemC threads per tile:
//   loader  : fetches task i's operands from DRAM through the NoC (TLM reads) into a free buffer
//   compute : runs task i on the array once its operands are in, for the kind's exact cycles
//   storer  : writes finished output blocks back to DRAM (TLM writes); with K split across
//             tiles, a contributor sends its partial sums to the block's root tile instead, and
//             the root adds the partial sums it receives before it stores the block
// With double buffering, two operand buffers and two output buffers let the loader fetch task
// i+1 and the storer drain block j-1 while task i computes; without it, each stage waits for the
// previous one. Overlap and stalls therefore come out of the simulation, not a formula.
#include <tlm_utils/simple_initiator_socket.h>

#include <functional>
#include <memory>
#include <span>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/platform_context.h"
#include "models/tile/buffer_slots.h"
#include "models/tile/partial_sums.h"
#include "models/tile/shared_loads.h"
#include "models/tile/task_index_fifo.h"
#include "models/unsigned_divisor.h"
#include "sim/arch/tile_kind.h"
#include "sim/graph/elementwise_function.h"
#include "sim/graph/layer.h"

namespace pjsim {

class ComputeTile : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<ComputeTile> socket;

  // `index` is the tile's platform index (its NoC binding); `shared` coordinates the loads it
  // shares with other tiles, `partial_sums` the reductions of K splits.
  ComputeTile(sc_core::sc_module_name name, int index, PlatformContext& ctx, const TileKind& kind,
              const std::vector<Layer>& layers, SharedLoads& shared, PartialSums& partial_sums,
              std::function<void()> on_done);

  // Starts running `tasks` (owned by the caller until on_done fires) after `delay_ps` (e.g. the
  // tile's power domains waking up).
  void Start(const TaskQueue* tasks, std::uint64_t delay_ps = 0);

  std::uint64_t busy_ps() const { return busy_ps_; }
  // A replayed run of a layer (models/layer_replay.h) kept the tile busy `ps`.
  void AddBusy(std::uint64_t ps) { busy_ps_ += ps; }

 private:
  // Each thread reports an exception through PlatformContext::Guard and ends. Only the loader
  // waits for a start; the compute thread and the storer wait for what the stage before them
  // hands on (their first task of a run comes after the start).
  void LoaderThread();
  void ComputeThread();
  void StorerThread();
  // The run's last task is stored (or the tile had none): frees its window, reports it done.
  void Finished();
  // Issues the transfers (split at channel-interleave boundaries) and returns when the last one
  // completes, in ps of simulated time.
  std::uint64_t Transfer(std::span<const pjsim::Transfer> transfers, tlm::tlm_command command,
                         int layer);
  // Reads `t` once for every tile of `tiles` (a multicast); sets each one's arrival time.
  void Multicast(const pjsim::Transfer& t, int layer, std::span<const int> tiles,
                 std::vector<std::uint64_t>& arrival_ps);
  // Issues one transaction per DRAM channel `t` touches (its interleave chunks in one channel are
  // contiguous there); returns the latest completion, in absolute ps. For a multicast, merges
  // each transaction's per-receiver arrival times into `arrival_ps` (latest wins).
  // With ports (PlatformContext::dram_waits), `in_flight` collects them for the caller to wait
  // for (Collect); null: waited for here.
  struct Port;
  std::uint64_t IssuePerChannel(const pjsim::Transfer& t, tlm::tlm_command command,
                                std::vector<std::uint64_t>* arrival_ps = nullptr,
                                std::vector<Port*>* in_flight = nullptr);
  // The DMA with bounded requests (tile.dma): every transfer split into requests (a channel's
  // part in pieces of request_size, round-robin over the channels in address order), at most
  // `outstanding` in flight, the next issued when one completes. Returns the latest completion
  // (absolute ps) once every request has completed; for a multicast (`arrival_ps` not null)
  // merges each request's per-receiver arrival times into it.
  std::uint64_t IssueRequests(std::span<const pjsim::Transfer> transfers, tlm::tlm_command command,
                              int layer, std::span<const int> multicast,
                              std::vector<std::uint64_t>* arrival_ps);
  bool BoundedDma() const {
    return ctx_.arch.tile.dma_request_bytes > 0 || ctx_.arch.tile.dma_outstanding > 0;
  }
  // A DRAM model that waits in b_transport until its request is decided (the `jedec` model,
  // PlatformContext::dram_waits) would serialize a transfer's per-channel transactions: each
  // is issued instead by a port thread of its own, all in flight together, as a DMA engine
  // issues them. Ports are made as needed and reused.
  struct Port {
    tlm::tlm_generic_payload payload;
    sc_core::sc_event go, finished;
    bool in_use = false, running = false;
    std::uint64_t now = 0, done = 0;
  };
  Port& IdlePort();
  // A payload of this tile's: timing only (no data), with its access extension.
  void InitTimingPayload(tlm::tlm_generic_payload& payload);
  void PortThread(Port& port);
  // Waits for the ports' transactions; returns the latest completion (absolute ps) and merges
  // their receivers' arrival times into `arrival_ps` (if not null), then frees the ports.
  std::uint64_t Collect(const std::vector<Port*>& ports, std::vector<std::uint64_t>* arrival_ps);
  std::int64_t RunTask(const TileTask& task);  // charges energy, returns cycles
  // A vector layer's function and the ledger actions of its ops with their counts, resolved by
  // name once per function and data type (not a string built and a map searched per task and
  // op), and found by layer index.
  struct VectorActions {
    const ElementwiseFunction* function = nullptr;
    DType dtype{};
    std::vector<std::pair<ActionId, int>> ops, per_row, inner;
  };
  const VectorActions& VectorActionsOf(int index, const Layer& layer);
  // A finished block of a K split (task.reduction >= 0): a contributor sends its partial sums
  // to the root; the root waits for all of them and adds them into its own.
  void Reduce(const TileTask& task);
  void WaitPs(std::uint64_t ps);

  int index_;
  PlatformContext& ctx_;
  const TileKind& kind_;
  SharedLoads& shared_;
  PartialSums& partial_sums_;
  const std::vector<Layer>& layers_;
  std::function<void()> on_done_;
  const TaskQueue* tasks_ = nullptr;

  sc_core::sc_event start_event_;
  BufferSlots operand_slots_, output_slots_;
  TaskIndexFifo loaded_{"loaded"};
  TaskIndexFifo finished_{"finished"};
  std::uint64_t busy_ps_ = 0;
  bool array_holds_sums_ = false;  // the last task left its sums in the array
  int trace_track_ = -1;
  tlm::tlm_generic_payload payload_;
  unsigned char dummy_byte_ = 0;  // timing-only payloads carry no data
  std::vector<std::unique_ptr<Port>> ports_;
  std::vector<VectorActions> vector_actions_;    // one per function and data type run
  std::vector<std::int32_t> vector_actions_of_;  // per layer index: its entry there, -1 none
  ActionId reduce_add_ = -1;                     // Reduce's add, once registered
  sc_core::sc_event port_finished_;              // any port's transaction finished
  UnsignedDivisor interleave_, channels_;        // the DRAM's channel interleave and channel count
};

}  // namespace pjsim
