#pragma once
// Parameters a plug-in model reads from its own keys (e.g. the `simple` DRAM model's banks and
// latencies), kept opaque in the architecture so that a new model needs no new field there: the
// model's key reader creates its subclass, the model's factory reads it back with ParamsAs.
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>

namespace pjsim {

// Where a DRAM access lands: a bank (an index unique within its channel) and the row it opens.
struct DramRow {
  std::uint64_t bank = 0, row = 0;
};

// A request to a bank that holds another row: its first data comes `after_data` after the
// bank's last data (precharge, activation, CAS latency: the bank cannot precharge before those
// reads are done) and at least `row_cycle` after the first data of the row it closes (the row
// cycle, activation to activation).
struct DramRowSwitch {
  double after_data = 0, row_cycle = 0;
};

struct ModelParams {
  virtual ~ModelParams() = default;
  // A DRAM model's read latency on an idle channel when the bank holds another row (request to
  // first data), in cycles of a `clock_hz` clock: the mapping search's cost model charges it to
  // every load a tile waits for. 0 if unknown.
  virtual double IdleReadLatencyCycles(double clock_hz) const {
    (void)clock_hz;
    return 0;
  }
  // The smallest block one DRAM access moves (bus width x burst length): a gather of scattered
  // rows (spiking weight rows) is fetched in whole, aligned blocks of this size. 1 if the model
  // moves single bytes.
  virtual std::int64_t BurstBytes() const { return 1; }
  // The fraction of its peak bandwidth a channel sustains on a long stream of reads (refresh,
  // activation limits, bus turnarounds), as the model itself serves one: the mapping search's
  // cost model prices DRAM transfers at it. 1 if the model streams at its peak.
  virtual double SustainedReadFraction() const { return 1; }
  // The bank and row of a run of bursts starting at channel-local `address` (fields below the
  // column cycle within a run, so a run is keyed by its first column). A model without rows: one
  // bank, one row (every access hits).
  virtual DramRow RowOf(std::uint64_t address) const {
    (void)address;
    return {};
  }
  // How a bank changes rows for requests served one after another, in cycles of a `clock_hz`
  // clock (a stream's row changes are in SustainedReadFraction). Zeros if unknown.
  virtual DramRowSwitch RowSwitch(double clock_hz) const {
    (void)clock_hz;
    return {};
  }
  // The data-bus time a channel loses, on average, each time it turns from serving a read
  // transaction to a write or back (the read data clears the bus before write data may follow;
  // after write data, the write-to-read delay and the CAS latency pass before read data), in
  // cycles of a `clock_hz` clock. 0 for a model whose bus does not turn around.
  virtual double BusTurnaroundCycles(double clock_hz) const {
    (void)clock_hz;
    return 0;
  }
  // How long one refresh keeps a channel (a rank of it) from serving, in cycles of a `clock_hz`
  // clock: 0 for a model that does not refresh. The sustained rate spreads refresh evenly (its
  // mean share), so a layer that spans a refresh interval or less meets one refresh or none, and
  // its time differs from the prediction by up to this much (what a check of predictions allows).
  virtual double RefreshStallCycles(double clock_hz) const {
    (void)clock_hz;
    return 0;
  }
  // Whether a tile's DRAM transaction reaches its channel as the tile issues it (the model
  // answers at once), so that loads issued at one time reach the channels in the order the
  // kernel runs the tiles' loaders; false: each goes by a port thread of its own
  // (PlatformContext::dram_waits), in the order the tiles issued them.
  virtual bool ServedAsIssued() const { return false; }
  // Whether tensor placement spaces tensors by the rows RowOf gives (the address map's period
  // after which a channel's bank comes back with the next row); false: by channels x interleave.
  virtual bool RowsSpaceTensors() const { return true; }
  // Bytes one DRAM channel addresses: its address map drops the bits above them (as DRAMsim3's
  // and Ramulator 2's mappers do), so tensors past them alias rows of tensors below. 0: the model
  // addresses any byte (no rows to alias).
  virtual std::uint64_t ChannelCapacityBytes() const { return 0; }
  // A NoC model's wormhole back-pressure: a train longer than this many bytes, waiting for its
  // destination, fills the virtual channels of the buffers on its way and holds the links and
  // the source port behind it (a shorter one leaves virtual channels free). Infinite for a NoC
  // without back-pressure: nothing waiting holds its source.
  virtual double HoldingTrainBytes() const { return std::numeric_limits<double>::infinity(); }
  // A NoC model where each DRAM channel's reads enter the mesh, and its writes leave it, through a
  // port of one flit (the link width) per cycle, as each tile's do (`packet`). False where a
  // channel feeds the links out of its router and the tile there at once (`simple`).
  virtual bool ChannelsHavePorts() const { return false; }
  // A NoC model whose read requests travel the mesh as packets of their own, towards the
  // channels, on the links and ports the tiles' stores take (`packet`): a request behind a store's
  // train waits for it, so stores on their way delay the loads issued after them. False where a
  // request reaches its channel without crossing the links (`simple`).
  virtual bool RequestsFollowStores() const { return false; }
};

// `params` as the type the model's key reader created; throws if it is missing or another
// model's (an architecture built in code without running the reader).
template <class T>
const T& ParamsAs(const std::shared_ptr<const ModelParams>& params) {
  const auto* p = dynamic_cast<const T*>(params.get());
  if (!p) throw std::logic_error("model parameters missing or of another model");
  return *p;
}

}  // namespace pjsim
