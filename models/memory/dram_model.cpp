#include "models/memory/dram_model.h"

#include <string>

#include "models/access_extension.h"

namespace pjsim {

DramModel::DramModel(sc_core::sc_module_name name, PlatformContext& ctx)
    : sc_core::sc_module(name), socket("socket"), ctx_(ctx) {
  socket.register_b_transport(this, &DramModel::b_transport);
  if (ctx.trace) trace_track_ = ctx.trace->AddTrack(TrackKind::kDram, basename());
}

std::uint64_t DramModel::LocalAddress(std::uint64_t address) const {
  const auto channels = static_cast<std::uint64_t>(ctx_.arch.dram.channels.size());
  const auto interleave = static_cast<std::uint64_t>(ctx_.arch.dram.interleave_bytes);
  return address / (interleave * channels) * interleave + address % interleave;
}

void DramModel::AddCounts(const ChannelResult& counts) {
  result_.bytes_read += counts.bytes_read;
  result_.bytes_written += counts.bytes_written;
  result_.row_hits += counts.row_hits;
  result_.row_misses += counts.row_misses;
  result_.busy_ps += counts.busy_ps;
}

void DramModel::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  auto* ext = trans.get_extension<AccessExtension>();
  const std::uint64_t now = Now();
  const Service s = Serve(trans, ext->layer, now + static_cast<std::uint64_t>(delay.value()));
  ext->data_start_ps = s.first_data_ps;
  if (ctx_.trace) {
    ctx_.trace->AddSpan(trace_track_, ext->layer, now, s.first_data_ps, s.done_ps,
                        {.bytes = static_cast<double>(trans.get_data_length()),
                         .access = trans.is_read() ? 'r' : 'w'});
  }

  const double bytes = trans.get_data_length();
  const bool is_read = trans.is_read();
  (is_read ? result_.bytes_read : result_.bytes_written) += bytes;
  ctx_.ledger.Add(ext->layer, is_read ? ctx_.actions.dram_read : ctx_.actions.dram_write,
                  bytes * 8);
  ++ctx_.stats.transactions;
  delay = sc_core::sc_time::from_value(s.done_ps - now);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace pjsim
