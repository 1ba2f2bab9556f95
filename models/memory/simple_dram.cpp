// The `simple` DRAM model: requests are served in arrival order on one data bus of the channel
// bandwidth; each bank keeps one open row: a hit costs the access latency, a miss adds the
// precharge+activate penalty and one activation. Contention between requesters emerges from the
// shared bus and banks.
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "models/memory/dram_model.h"
#include "sim/config/arch_config.h"
#include "sim/config/dram_model_registry.h"
#include "sim/config/yaml_reader.h"

namespace pjsim {
namespace {

struct SimpleDramParams : ModelParams {
  double access_latency_cycles = 0;    // request to first data on a row-buffer hit
  double row_miss_penalty_cycles = 0;  // extra on a row-buffer miss (precharge + activate)
  std::int64_t banks = 0;
  double IdleReadLatencyCycles(
      double /*clock_hz: the latencies were read in its cycles*/) const override {
    return access_latency_cycles + row_miss_penalty_cycles;
  }
};

class SimpleDram : public DramModel {
 public:
  SimpleDram(sc_core::sc_module_name name, PlatformContext& ctx, const SimpleDramParams& p)
      : DramModel(name, ctx),
        bytes_per_ps_(ctx.arch.dram.channel_bandwidth_bytes_per_s * 1e-12),
        access_ps_(ctx.CyclesToPs(p.access_latency_cycles)),
        miss_penalty_ps_(ctx.CyclesToPs(p.row_miss_penalty_cycles)),
        banks_(static_cast<std::uint64_t>(p.banks)),
        open_row_(static_cast<size_t>(p.banks), -1),
        bank_free_ps_(static_cast<size_t>(p.banks), 0) {}

 private:
  Service Serve(const tlm::tlm_generic_payload& trans, int layer, std::uint64_t arrival) override {
    // Walk the request row by row: each row segment waits for its bank (hit: access latency;
    // miss: + precharge/activate), then takes the shared data bus in order, so bank latencies
    // overlap and the bus serializes the data.
    std::uint64_t local = LocalAddress(trans.get_address());
    const auto row_bytes = static_cast<std::uint64_t>(ctx().arch.dram.row_bytes);
    std::uint64_t left = trans.get_data_length();
    Service s{0, arrival};
    bool first = true;
    while (left > 0) {
      const std::uint64_t segment = std::min(left, row_bytes - local % row_bytes);
      const size_t bank = static_cast<size_t>(local / row_bytes % banks_);
      const auto row = static_cast<std::int64_t>(local / (row_bytes * banks_));
      std::uint64_t ready = std::max(arrival, bank_free_ps_[bank]) + access_ps_;
      const bool hit = open_row_[bank] == row;
      if (!hit) {
        ready += miss_penalty_ps_;
        open_row_[bank] = row;
        ctx().ledger.Add(layer, ctx().actions.dram_activate, 1);
      }
      CountRow(hit);
      const auto transfer_ps =
          static_cast<std::uint64_t>(std::ceil(static_cast<double>(segment) / bytes_per_ps_));
      const std::uint64_t start = std::max(ready, bus_free_ps_);
      s.done_ps = start + transfer_ps;
      bus_free_ps_ = s.done_ps;
      bank_free_ps_[bank] = s.done_ps;
      AddBusy(transfer_ps);
      if (first) s.first_data_ps = start;
      first = false;
      local += segment;
      left -= segment;
    }
    return s;
  }

  double bytes_per_ps_;
  std::uint64_t access_ps_, miss_penalty_ps_;
  std::uint64_t banks_;
  std::uint64_t bus_free_ps_ = 0;
  std::vector<std::int64_t> open_row_;
  std::vector<std::uint64_t> bank_free_ps_;
};

std::shared_ptr<const ModelParams> ReadSimpleDramParams(ConfigMap& dram, const ArchConfig& arch) {
  auto p = std::make_shared<SimpleDramParams>();
  p->access_latency_cycles = dram.DurationCycles("access_latency", arch.clock_hz, true);
  p->row_miss_penalty_cycles = dram.DurationCycles("row_miss_penalty", arch.clock_hz, true);
  p->banks = dram.Int("banks", 1, 4096);
  return p;
}

const bool kRegistered = DramModelRegistry().Add({
    .name = "simple",
    .summary = "open-row banks behind one in-order data bus (keys: access_latency, "
               "row_miss_penalty, banks)",
    .read_params = ReadSimpleDramParams,
    .make = [](const std::string& name, int /*index*/,
               PlatformContext& ctx) -> std::unique_ptr<DramModel> {
      return std::make_unique<SimpleDram>(name.c_str(), ctx,
                                          ParamsAs<SimpleDramParams>(ctx.arch.dram.params));
    },
});

}  // namespace
}  // namespace pjsim
