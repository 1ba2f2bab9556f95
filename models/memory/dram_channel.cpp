#include "models/memory/dram_channel.h"

#include <algorithm>
#include <cmath>

#include "models/access_extension.h"

namespace pjsim {

DramChannel::DramChannel(sc_core::sc_module_name name, PlatformContext& ctx)
    : sc_core::sc_module(name),
      socket("socket"),
      ctx_(ctx),
      bytes_per_ps_(ctx.arch.dram.channel_bandwidth_bytes_per_s * 1e-12),
      access_ps_(ctx.CyclesToPs(ctx.arch.dram.access_latency_cycles)),
      miss_penalty_ps_(ctx.CyclesToPs(ctx.arch.dram.row_miss_penalty_cycles)),
      open_row_(static_cast<size_t>(ctx.arch.dram.banks), -1),
      bank_free_ps_(static_cast<size_t>(ctx.arch.dram.banks), 0) {
  socket.register_b_transport(this, &DramChannel::b_transport);
  if (ctx.trace) trace_track_ = ctx.trace->AddTrack(std::string("DRAM ") + basename());
}

void DramChannel::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const auto& dram = ctx_.arch.dram;
  auto* ext = trans.get_extension<AccessExtension>();
  const std::uint64_t now = Now();
  const std::uint64_t arrival = now + static_cast<std::uint64_t>(delay.value());
  const double bytes = trans.get_data_length();

  // A request covers one contiguous range of this channel's local address space (the NoC
  // coalesces a transfer's interleave chunks per channel). Walk it row by row: each row segment
  // waits for its bank (hit: access latency; miss: + precharge/activate), then takes the shared
  // data bus in order, so bank latencies overlap and the bus serializes the data.
  const auto channels = static_cast<std::uint64_t>(dram.channels.size());
  const auto interleave = static_cast<std::uint64_t>(dram.interleave_bytes);
  const std::uint64_t addr = trans.get_address();
  std::uint64_t local = addr / (interleave * channels) * interleave + addr % interleave;
  const auto row_bytes = static_cast<std::uint64_t>(dram.row_bytes);
  const auto banks = static_cast<std::uint64_t>(dram.banks);
  std::uint64_t left = trans.get_data_length();
  std::uint64_t first_data = 0, done = arrival;
  bool first = true;
  while (left > 0) {
    const std::uint64_t segment = std::min(left, row_bytes - local % row_bytes);
    const size_t bank = static_cast<size_t>(local / row_bytes % banks);
    const auto row = static_cast<std::int64_t>(local / (row_bytes * banks));
    std::uint64_t ready = std::max(arrival, bank_free_ps_[bank]) + access_ps_;
    if (open_row_[bank] != row) {
      ready += miss_penalty_ps_;
      open_row_[bank] = row;
      ++row_misses_;
      ctx_.ledger.Add(ext->layer, ctx_.actions.dram_activate, 1);
    } else {
      ++row_hits_;
    }
    const auto transfer_ps = static_cast<std::uint64_t>(std::ceil(static_cast<double>(segment) / bytes_per_ps_));
    const std::uint64_t start = std::max(ready, bus_free_ps_);
    done = start + transfer_ps;
    bus_free_ps_ = done;
    bank_free_ps_[bank] = done;
    busy_ps_ += transfer_ps;
    if (first) first_data = start;
    first = false;
    local += segment;
    left -= segment;
  }
  ext->data_start_ps = first_data;
  if (ctx_.trace) ctx_.trace->AddSpan(trace_track_, ext->layer, first_data, done);

  const bool is_read = trans.is_read();
  (is_read ? bytes_read_ : bytes_written_) += bytes;
  ctx_.ledger.Add(ext->layer, is_read ? ctx_.actions.dram_read : ctx_.actions.dram_write,
                  bytes * 8);
  ++ctx_.stats.transactions;
  delay = sc_core::sc_time::from_value(done - now);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace pjsim
