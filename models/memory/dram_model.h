#pragma once
// One DRAM channel as a TLM-2.0 target (loosely timed: b_transport with annotated delay), the
// interface every DRAM model implements (registered by name, sim/config/dram_model_registry.h).
// The base class does what the platform and the reports rely on, whatever the model: it counts
// the bytes read and written, charges their energy, records the transaction and its trace span,
// and hands the NoC the time the first byte is on the bus (AccessExtension::data_start_ps). A
// model decides only when the data moves (Serve), counting row hits/misses and bus-busy time
// and charging activations as it does.
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <systemc>
#include <tlm>

#include "models/platform_context.h"
#include "models/replayable.h"
#include "sim/report/simulation_result.h"

namespace pjsim {

class DramModel : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<DramModel> socket;

  // What the channel did; a model may add its own counts (ChannelResult::has_commands).
  virtual ChannelResult result() const { return result_; }
  // The model's replay support (models/layer_replay.h), null if it has none.
  virtual Replayable* replay() { return nullptr; }
  // The run ends at `end_ps`: a model charges `layer` with what the channel owes up to then
  // (e.g. a DRAM refreshes every rank every tREFI after its last request too).
  virtual void FinishRun(std::uint64_t /*end_ps*/, int /*layer*/) {}

 protected:
  DramModel(sc_core::sc_module_name name, PlatformContext& ctx);

  struct Service {
    std::uint64_t first_data_ps = 0;  // the first byte is on the channel's data bus
    std::uint64_t done_ps = 0;        // the last byte has left it
  };
  // Serves one request arriving at `arrival_ps` (>= now): `trans` covers one contiguous range of
  // this channel's share of the address space (the NoC coalesces a transfer's interleave chunks
  // per channel), at its global address. `layer` is the layer to charge.
  virtual Service Serve(const tlm::tlm_generic_payload& trans, int layer,
                        std::uint64_t arrival_ps) = 0;

  // For Serve: row-buffer outcomes and data-bus time, reported per channel.
  void CountRow(bool hit) { ++(hit ? result_.row_hits : result_.row_misses); }
  void AddBusy(std::uint64_t ps) { result_.busy_ps += ps; }
  // For a replayed run: adds the bytes, row outcomes and busy time of `counts`.
  void AddCounts(const ChannelResult& counts);
  // The channel-local address of a global one under the channel interleave.
  std::uint64_t LocalAddress(std::uint64_t address) const;
  PlatformContext& ctx() const { return ctx_; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  PlatformContext& ctx_;
  ChannelResult result_;
  int trace_track_ = -1;
};

}  // namespace pjsim
