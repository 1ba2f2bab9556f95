#pragma once
// One DRAM channel as a TLM-2.0 target (loosely timed, b_transport with annotated delay).
// Requests are served in arrival order on one data bus of the configured bandwidth; each bank
// keeps one open row: a hit costs the access latency, a miss adds the precharge+activate penalty
// and one activation. Contention between requesters emerges from the shared bus and banks.
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <vector>

#include "models/platform_context.h"

namespace pjsim {

class DramChannel : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<DramChannel> socket;

  DramChannel(sc_core::sc_module_name name, PlatformContext& ctx);

  double bytes_read() const { return bytes_read_; }
  double bytes_written() const { return bytes_written_; }
  std::int64_t row_hits() const { return row_hits_; }
  std::int64_t row_misses() const { return row_misses_; }
  std::uint64_t busy_ps() const { return busy_ps_; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  PlatformContext& ctx_;
  double bytes_per_ps_;
  std::uint64_t access_ps_, miss_penalty_ps_;
  std::uint64_t bus_free_ps_ = 0;
  std::vector<std::int64_t> open_row_;
  std::vector<std::uint64_t> bank_free_ps_;
  double bytes_read_ = 0, bytes_written_ = 0;
  std::int64_t row_hits_ = 0, row_misses_ = 0;
  std::uint64_t busy_ps_ = 0;
  int trace_track_ = -1;
};

}  // namespace pjsim
