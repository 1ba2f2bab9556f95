// The `simple` DRAM model: requests are served in arrival order on one data bus of the channel
// bandwidth; each bank keeps one open row: a hit costs the access latency (hits to one bank
// pipeline, as column reads of an open row do), a miss adds the precharge+activate penalty and
// one activation. Contention between requesters emerges from the shared bus and banks.
#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "models/memory/dram_model.h"
#include "models/unsigned_divisor.h"
#include "sim/config/arch_config.h"
#include "sim/config/dram_model_registry.h"
#include "sim/config/yaml_reader.h"

namespace pjsim {
namespace {

struct SimpleDramParams : ModelParams {
  double access_latency_cycles = 0;    // request to first data on a row-buffer hit
  double row_miss_penalty_cycles = 0;  // extra on a row-buffer miss (precharge + activate)
  std::int64_t banks = 0;
  std::int64_t burst_bytes = 64;  // bus width x burst length (a x64 DDR4/DDR5 channel: 64 B)
  std::int64_t BurstBytes() const override { return burst_bytes; }
  double IdleReadLatencyCycles(
      double /*clock_hz: the latencies were read in its cycles*/) const override {
    return access_latency_cycles + row_miss_penalty_cycles;
  }
  // As SimpleDram::Serve walks a channel's addresses: consecutive rows in consecutive banks.
  DramRow RowOf(std::uint64_t address) const override {
    const std::uint64_t row_index = address / row_bytes;
    return {row_index % static_cast<std::uint64_t>(banks),
            row_index / static_cast<std::uint64_t>(banks)};
  }
  // A miss waits for its bank's last data, then takes the access latency and the penalty
  // (SimpleDram::Serve); nothing spaces two activations of a bank beyond that.
  DramRowSwitch RowSwitch(double /*clock_hz: as above*/) const override {
    return {access_latency_cycles + row_miss_penalty_cycles, 0};
  }
  // Serve answers b_transport at once, from the tile's loader thread.
  bool ServedAsIssued() const override { return true; }
  // Its placements (PlaceTensors' address map period: channels x interleave) were measured before
  // it had RowOf: tensors keep where they lay, so every simulated figure stands.
  bool RowsSpaceTensors() const override { return false; }
  std::uint64_t row_bytes = 1;
};

// What a run did to one channel: per bank it touched, where its first access was (a request's
// global address and the access's offset from it in the channel) and whether that hit, where its
// last access was (the row it left open) and when the bank freed up; when the bus freed up; the
// counts.
struct SimpleDramPart : ReplayPart {
  struct Bank {
    size_t bank;
    std::uint64_t first_address, first_offset;
    std::int64_t first_row;  // where nothing moves: the row of the first access
    bool hit;
    std::uint64_t last_address, last_offset;
    std::int64_t last_row;
    std::uint64_t free_ps;
  };
  std::vector<Bank> banks;
  std::uint64_t bus_free_ps = 0;
  ChannelResult counts;
};

class SimpleDram : public DramModel, public Replayable {
 public:
  SimpleDram(sc_core::sc_module_name name, PlatformContext& ctx, const SimpleDramParams& p)
      : DramModel(name, ctx),
        bytes_per_ps_(ctx.arch.dram.channel_bandwidth_bytes_per_s * 1e-12),
        access_ps_(ctx.CyclesToPs(p.access_latency_cycles)),
        miss_penalty_ps_(ctx.CyclesToPs(p.row_miss_penalty_cycles)),
        row_bytes_(static_cast<std::uint64_t>(ctx.arch.dram.row_bytes)),
        banks_(static_cast<std::uint64_t>(p.banks)),
        open_row_(static_cast<size_t>(p.banks), -1),
        bank_free_ps_(static_cast<size_t>(p.banks), 0),
        touched_(static_cast<size_t>(p.banks), 0),
        last_access_(static_cast<size_t>(p.banks)),
        row_transfer_ps_(TransferPs(row_bytes_)),
        row_divisor_(row_bytes_),
        bank_divisor_(banks_) {}

  Replayable* replay() override { return this; }

  // A replayed run leaves the bus busy until `free_ps`, as one reservation.
  void SetBusFree(std::uint64_t free_ps) {
    bus_.clear();
    bus_free_ps_ = bus_floor_ps_ = free_ps;
  }

  bool Quiet(std::uint64_t now_ps) const override {
    return bus_free_ps_ <= now_ps && std::all_of(bank_free_ps_.begin(), bank_free_ps_.end(),
                                                 [&](std::uint64_t t) { return t <= now_ps; });
  }
  // Moving by a multiple of channels x interleave keeps each access's channel and moves its
  // channel-local address by a 1/channels share; a multiple of banks x row of that keeps its bank
  // and adds one row count to every row. Rows of different tensors stay apart (so a hit between
  // them cannot appear or vanish) when a bank's row holds one row-aligned range of addresses:
  // one channel, or an interleave of a whole row (tensors are row-aligned).
  std::uint64_t MoveQuantum() const override {
    const auto channels = static_cast<std::uint64_t>(ctx().arch.dram.channels.size());
    const auto interleave = static_cast<std::uint64_t>(ctx().arch.dram.interleave_bytes);
    if (channels > 1 && interleave != row_bytes_) return 0;
    return channels * std::lcm(interleave, row_bytes_ * banks_);
  }
  void BeginRecord() override {
    recording_ = true;
    ++epoch_;
    first_touches_.clear();
    before_ = result();
  }
  std::unique_ptr<ReplayPart> EndRecord(std::uint64_t start_ps) override {
    recording_ = false;
    auto part = std::make_unique<SimpleDramPart>();
    part->banks.reserve(first_touches_.size());
    for (const Touch& t : first_touches_) {
      const Access& last = last_access_[t.bank];
      part->banks.push_back({t.bank, t.first.address, t.first.offset, t.row, t.hit, last.address,
                             last.offset, open_row_[t.bank], bank_free_ps_[t.bank] - start_ps});
    }
    if (!first_touches_.empty()) part->bus_free_ps = bus_free_ps_ - start_ps;
    const ChannelResult after = result();
    part->counts.bytes_read = after.bytes_read - before_.bytes_read;
    part->counts.bytes_written = after.bytes_written - before_.bytes_written;
    part->counts.row_hits = after.row_hits - before_.row_hits;
    part->counts.row_misses = after.row_misses - before_.row_misses;
    part->counts.busy_ps = after.busy_ps - before_.busy_ps;
    return part;
  }
  bool Matches(const ReplayPart& part, const AddressMap& to) const override {
    for (const auto& b : static_cast<const SimpleDramPart&>(part).banks) {
      const std::int64_t row =
          to.identity() ? b.first_row : Row(to(b.first_address), b.first_offset);
      if ((open_row_[b.bank] == row) != b.hit) return false;
    }
    return true;
  }
  void Apply(const ReplayPart& part, std::uint64_t start_ps, const AddressMap& to) override {
    const auto& p = static_cast<const SimpleDramPart&>(part);
    for (const auto& b : p.banks) {
      open_row_[b.bank] = to.identity() ? b.last_row : Row(to(b.last_address), b.last_offset);
      bank_free_ps_[b.bank] = start_ps + b.free_ps;
    }
    if (!p.banks.empty()) SetBusFree(start_ps + p.bus_free_ps);
    AddCounts(p.counts);
  }
  void ApplyExtrapolated(const ReplayPart& a, const ReplayPart& b, double t,
                         std::uint64_t start_ps) override {
    const auto& pa = static_cast<const SimpleDramPart&>(a);
    const auto& pb = static_cast<const SimpleDramPart&>(b);
    for (const auto& bank : pb.banks) {
      open_row_[bank.bank] = bank.last_row;
      bank_free_ps_[bank.bank] = start_ps + bank.free_ps;
    }
    if (!pb.banks.empty()) SetBusFree(start_ps + pb.bus_free_ps);
    const ChannelResult &ca = pa.counts, &cb = pb.counts;
    ChannelResult c;
    c.bytes_read = std::round(Extrapolate(ca.bytes_read, cb.bytes_read, t));
    c.bytes_written = std::round(Extrapolate(ca.bytes_written, cb.bytes_written, t));
    c.row_hits = std::llround(
        Extrapolate(static_cast<double>(ca.row_hits), static_cast<double>(cb.row_hits), t));
    c.row_misses = std::llround(
        Extrapolate(static_cast<double>(ca.row_misses), static_cast<double>(cb.row_misses), t));
    c.busy_ps = static_cast<std::uint64_t>(std::llround(
        Extrapolate(static_cast<double>(ca.busy_ps), static_cast<double>(cb.busy_ps), t)));
    AddCounts(c);
  }

 private:
  Service Serve(const tlm::tlm_generic_payload& trans, int layer, std::uint64_t arrival) override {
    // Walk the request row by row: each row segment waits for its bank (hit: access latency;
    // miss: + precharge/activate), then takes the shared data bus in order, so bank latencies
    // overlap and the bus serializes the data.
    const std::uint64_t start_local = LocalAddress(trans.get_address());
    std::uint64_t local = start_local;
    const std::uint64_t row_bytes = row_bytes_;
    std::uint64_t left = trans.get_data_length();
    Service s{0, arrival};
    bool first = true;
    // Divided once: every segment after the first starts a row, the next bank's (a request
    // walks the banks in order, then the next row of the first bank).
    std::uint64_t offset = row_divisor_.Remainder(local);
    const std::uint64_t row_index = row_divisor_.Quotient(local);
    auto bank = static_cast<size_t>(bank_divisor_.Remainder(row_index));
    auto row = static_cast<std::int64_t>(bank_divisor_.Quotient(row_index));
    for (; left > 0; offset = 0) {
      const std::uint64_t segment = std::min(left, row_bytes - offset);
      const bool hit = open_row_[bank] == row;
      // Column accesses to an open row pipeline: a hit's data comes the access latency after
      // its request and may follow the bank's previous data at once. A miss first waits for
      // the bank, then precharges and activates.
      std::uint64_t ready = hit ? std::max(arrival + access_ps_, bank_free_ps_[bank])
                                : std::max(arrival, bank_free_ps_[bank]) + access_ps_;
      if (recording_) {
        const Access access{trans.get_address(), local - start_local};
        if (touched_[bank] != epoch_) {
          touched_[bank] = epoch_;
          first_touches_.push_back({bank, access, row, hit});
        }
        last_access_[bank] = access;
      }
      if (!hit) {
        ready += miss_penalty_ps_;
        open_row_[bank] = row;
        ctx().ledger.Add(layer, ctx().actions.dram_activate, 1);
      }
      CountRow(hit);
      const std::uint64_t transfer_ps = SegmentPs(segment);
      // A request's segments follow one another on the bus.
      const std::uint64_t start =
          TakeBus(arrival, first ? ready : std::max(ready, s.done_ps), transfer_ps);
      s.done_ps = start + transfer_ps;
      bank_free_ps_[bank] = s.done_ps;
      AddBusy(transfer_ps);
      if (first) s.first_data_ps = start;
      first = false;
      local += segment;
      left -= segment;
      if (++bank == banks_) {
        bank = 0;
        ++row;
      }
    }
    return s;
  }

  // Reserves the data bus for `transfer_ps` for a request that reached the channel at `arrival`
  // and is ready at `ready`, and returns when the transfer starts. The bus serves requests in
  // the order they arrive: after every request that came before this one, and before those that
  // came later where it fits ahead of them. Requests are not issued in that order: a store's data
  // crosses the mesh before its channel sees it, a load's request does not, so a load issued after
  // a store may arrive first and must not wait behind a reservation for data still on its way.
  std::uint64_t TakeBus(std::uint64_t arrival, std::uint64_t ready, std::uint64_t transfer_ps) {
    // The requests that arrived later are the last few reserved (requests are issued almost in
    // arrival order): the one before them ends where this request may start.
    size_t later = bus_.size();
    while (later > 0 && bus_[later - 1].arrival > arrival) --later;
    std::uint64_t start =
        std::max({ready, bus_floor_ps_, later > 0 ? bus_[later - 1].end : std::uint64_t{0}});
    while (later < bus_.size() && bus_[later].start < start + transfer_ps) {
      start = std::max(start, bus_[later].end);
      ++later;
    }
    bus_.insert(bus_.begin() + static_cast<std::ptrdiff_t>(later),
                {start, start + transfer_ps, arrival});
    bus_free_ps_ = bus_.back().end;
    // Reservations that ended by now cannot delay a request (none arrives earlier than now, and
    // the search above starts from the back): dropped when they have piled up, so a call costs
    // O(1) amortised.
    if (bus_.size() >= prune_at_) {
      const std::uint64_t now = Now();
      const auto live =
          std::upper_bound(bus_.begin(), bus_.end(), now,
                           [](std::uint64_t t, const BusSlot& r) { return t < r.end; });
      bus_.erase(bus_.begin(), live);
      prune_at_ = std::max<size_t>(kPruneAt, 2 * bus_.size());
    }
    return start;
  }

  // The data bus's time for `bytes`.
  std::uint64_t TransferPs(std::uint64_t bytes) const {
    return static_cast<std::uint64_t>(std::ceil(static_cast<double>(bytes) / bytes_per_ps_));
  }
  // TransferPs of a row segment: a whole row's kept, and the last other size's (requests mostly
  // repeat a size; the division and rounding up are most of a hit's cost).
  std::uint64_t SegmentPs(std::uint64_t bytes) {
    if (bytes == row_bytes_) return row_transfer_ps_;
    if (bytes != segment_bytes_) {
      segment_bytes_ = bytes;
      segment_ps_ = TransferPs(bytes);
    }
    return segment_ps_;
  }

  // The row of the access `offset` bytes into the channel's part of a request at `address`.
  std::int64_t Row(std::uint64_t address, std::uint64_t offset) const {
    return static_cast<std::int64_t>((LocalAddress(address) + offset) / (row_bytes_ * banks_));
  }

  double bytes_per_ps_;
  std::uint64_t access_ps_, miss_penalty_ps_;
  std::uint64_t row_bytes_;
  std::uint64_t banks_;
  std::uint64_t bus_free_ps_ = 0;  // the end of the bus's last reservation
  // The bus's reservations (those that may still delay a request), sorted by start and disjoint;
  // none starts before the floor (a replayed run's end, which keeps no reservations of its own).
  struct BusSlot {
    std::uint64_t start, end, arrival;
  };
  std::vector<BusSlot> bus_;
  static constexpr size_t kPruneAt = 4096;
  size_t prune_at_ = kPruneAt;
  std::uint64_t bus_floor_ps_ = 0;
  std::vector<std::int64_t> open_row_;
  std::vector<std::uint64_t> bank_free_ps_;
  // Recording a run for replay: the banks it touched (touched_[bank] == epoch_), in order.
  bool recording_ = false;
  std::uint64_t epoch_ = 0;
  std::vector<std::uint64_t> touched_;
  struct Access {
    std::uint64_t address = 0;  // the request's global address
    std::uint64_t offset = 0;   // the access's channel-local offset from it
  };
  struct Touch {
    size_t bank;
    Access first;
    std::int64_t row;
    bool hit;
  };
  std::vector<Touch> first_touches_;
  std::vector<Access> last_access_;  // per bank, while recording
  ChannelResult before_;
  std::uint64_t row_transfer_ps_;  // a whole row's TransferPs, the usual segment's
  std::uint64_t segment_bytes_ = 0, segment_ps_ = 0;  // SegmentPs's last other size (0: none)
  UnsignedDivisor row_divisor_, bank_divisor_;        // by row_bytes_ and by banks_
};

std::shared_ptr<const ModelParams> ReadSimpleDramParams(ConfigMap& dram, const ArchConfig& arch) {
  auto p = std::make_shared<SimpleDramParams>();
  p->access_latency_cycles = dram.DurationCycles("access_latency", arch.clock_hz, true);
  p->row_miss_penalty_cycles = dram.DurationCycles("row_miss_penalty", arch.clock_hz, true);
  p->banks = dram.Int("banks", 1, 4096);
  p->row_bytes = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(arch.dram.row_bytes));
  const double burst = dram.QuantityOr("burst", 64, Dimension::kBytes);
  if (burst != std::floor(burst) || burst > arch.dram.row_bytes) {
    dram.Fail("burst", "must be a whole number of bytes, at most the row size (" +
                           std::to_string(static_cast<std::int64_t>(arch.dram.row_bytes)) + " B)");
  }
  p->burst_bytes = static_cast<std::int64_t>(burst);
  return p;
}

const bool kRegistered = DramModelRegistry().Add({
    .name = "simple",
    .summary = "open-row banks behind one in-order data bus (keys: access_latency, "
               "row_miss_penalty, banks, burst)",
    .read_params = ReadSimpleDramParams,
    .make = [](const std::string& name, int /*index*/,
               PlatformContext& ctx) -> std::unique_ptr<DramModel> {
      return std::make_unique<SimpleDram>(name.c_str(), ctx,
                                          ParamsAs<SimpleDramParams>(ctx.arch.dram.params));
    },
    .categories = {},
});

}  // namespace
}  // namespace pjsim
