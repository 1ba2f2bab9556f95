#include "models/tile/compute_tile.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>

#include "models/access_extension.h"
#include "sim/config/number_type.h"
#include "sim/energy/platform_actions.h"
#include "sim/graph/elementwise_function.h"
#include "sim/task/dma_requests.h"

namespace pjsim {
namespace {

// A timing payload's request: `bytes` from `address`, not yet answered.
void SetRequest(tlm::tlm_generic_payload& p, tlm::tlm_command command, std::uint64_t address,
                std::uint64_t bytes) {
  p.set_command(command);
  p.set_address(address);
  p.set_data_length(static_cast<unsigned>(bytes));
  p.set_streaming_width(static_cast<unsigned>(bytes));
  p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

}  // namespace

ComputeTile::ComputeTile(sc_core::sc_module_name name, int index, PlatformContext& ctx,
                         const TileKind& kind, const std::vector<Layer>& layers,
                         SharedLoads& shared, PartialSums& partial_sums,
                         std::function<void()> on_done)
    : sc_core::sc_module(name),
      socket("socket"),
      index_(index),
      ctx_(ctx),
      kind_(kind),
      shared_(shared),
      partial_sums_(partial_sums),
      layers_(layers),
      on_done_(std::move(on_done)),
      operand_slots_(ctx.arch.mapping.double_buffering ? 2 : 1),
      output_slots_(ctx.arch.mapping.double_buffering ? 2 : 1),
      interleave_(static_cast<std::uint64_t>(ctx.arch.dram.interleave_bytes)),
      channels_(ctx.arch.dram.channels.size()) {
  InitTimingPayload(payload_);
  if (ctx.trace) trace_track_ = ctx.trace->AddTrack(TrackKind::kTile, basename(), index);
  SC_HAS_PROCESS(ComputeTile);
  SC_THREAD(LoaderThread);
  SC_THREAD(ComputeThread);
  SC_THREAD(StorerThread);
}

void ComputeTile::Start(const TaskQueue* tasks, std::uint64_t delay_ps) {
  tasks_ = tasks;
  start_event_.notify(sc_core::sc_time::from_value(delay_ps));  // 0: the next delta cycle
}

void ComputeTile::WaitPs(std::uint64_t ps) {
  if (ps == 0) return;
  ++ctx_.stats.waits;
  wait(sc_core::sc_time::from_value(ps));
}

std::uint64_t ComputeTile::IssuePerChannel(const pjsim::Transfer& t, tlm::tlm_command command,
                                           std::vector<std::uint64_t>* arrival_ps,
                                           std::vector<Port*>* in_flight) {
  // Consecutive interleave chunks of one transfer that land in the same channel are contiguous
  // in that channel's address space, so each transfer becomes one transaction per channel it
  // touches (first address, total bytes) instead of one per chunk: same bytes, same rows, far
  // fewer kernel calls.
  const std::uint64_t now = Now();
  std::uint64_t done = now;
  const std::uint64_t interleave = interleave_.value();
  const std::uint64_t channels = channels_.value();
  const auto bytes = static_cast<std::uint64_t>(t.bytes);
  if (bytes == 0) return done;
  const std::uint64_t first_chunk = interleave_.Quotient(t.address);
  const std::uint64_t last_chunk = interleave_.Quotient(t.address + bytes - 1);
  const std::uint64_t chunks = last_chunk - first_chunk + 1;
  std::vector<Port*> own;
  std::vector<Port*>& ports = in_flight ? *in_flight : own;
  for (std::uint64_t c = 0; c < std::min(chunks, channels); ++c) {
    // Chunks first_chunk + c, + c + channels, ...: the same channel, contiguous locally.
    const std::uint64_t chunk = first_chunk + c;
    const std::uint64_t start = c == 0 ? t.address : chunk * interleave;
    // Whole chunks, less the head of the transfer's first chunk and the tail of its last.
    std::uint64_t total = (channels_.Quotient(last_chunk - chunk) + 1) * interleave;
    if (c == 0) total -= t.address - first_chunk * interleave;
    if (channels_.Remainder(last_chunk - first_chunk) == c)
      total -= (last_chunk + 1) * interleave - (t.address + bytes);
    if (ctx_.dram_waits) {
      Port& port = IdlePort();
      tlm::tlm_generic_payload& p = port.payload;
      SetRequest(p, command, start, total);
      // The layer and receivers as the caller set them just now (another thread of this tile
      // may set them again while these transactions are in flight).
      const auto* mine = payload_.get_extension<AccessExtension>();
      auto* ext = p.get_extension<AccessExtension>();
      ext->layer = mine->layer;
      ext->multicast = arrival_ps ? mine->multicast : std::span<const int>{};
      port.now = now;
      port.running = true;
      port.go.notify();
      ports.push_back(&port);
      continue;
    }
    SetRequest(payload_, command, start, total);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(payload_, delay);
    done = std::max(done, now + static_cast<std::uint64_t>(delay.value()));
    if (arrival_ps) {
      const auto& got = payload_.get_extension<AccessExtension>()->arrival_ps;
      for (size_t i = 0; i < arrival_ps->size(); ++i)
        (*arrival_ps)[i] = std::max((*arrival_ps)[i], got.at(i));
    }
  }
  if (!in_flight) done = std::max(done, Collect(own, arrival_ps));
  return done;
}

std::uint64_t ComputeTile::Collect(const std::vector<Port*>& ports,
                                   std::vector<std::uint64_t>* arrival_ps) {
  std::uint64_t done = 0;
  for (Port* port : ports) {
    while (port->running) {
      ++ctx_.stats.waits;
      wait(port->finished);
    }
    done = std::max(done, port->done);
    if (arrival_ps) {
      const auto& got = port->payload.get_extension<AccessExtension>()->arrival_ps;
      for (size_t i = 0; i < arrival_ps->size(); ++i)
        (*arrival_ps)[i] = std::max((*arrival_ps)[i], got.at(i));
    }
    port->in_use = false;
  }
  return done;
}

void ComputeTile::InitTimingPayload(tlm::tlm_generic_payload& payload) {
  payload.set_data_ptr(&dummy_byte_);
  payload.set_byte_enable_ptr(nullptr);
  payload.set_dmi_allowed(false);
  payload.set_extension(new AccessExtension);
}

ComputeTile::Port& ComputeTile::IdlePort() {
  for (const auto& p : ports_) {
    if (!p->in_use) {
      p->in_use = true;
      return *p;
    }
  }
  auto& p = ports_.emplace_back(std::make_unique<Port>());
  InitTimingPayload(p->payload);
  p->in_use = true;
  Port* port = p.get();
  sc_core::sc_spawn([this, port] { PortThread(*port); });
  return *p;
}

void ComputeTile::PortThread(Port& port) {
  ctx_.Guard([&] {
    for (;;) {
      while (!port.running) wait(port.go);
      sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
      socket->b_transport(port.payload, delay);
      // The DRAM's delay counts from the call, as the direct path's does.
      port.done = port.now + static_cast<std::uint64_t>(delay.value());
      port.running = false;
      port.finished.notify();
      port_finished_.notify();
    }
  });
}

std::uint64_t ComputeTile::IssueRequests(std::span<const pjsim::Transfer> transfers,
                                         tlm::tlm_command command, int layer,
                                         std::span<const int> multicast,
                                         std::vector<std::uint64_t>* arrival_ps) {
  const auto outstanding = ctx_.arch.tile.dma_outstanding > 0
                               ? static_cast<size_t>(ctx_.arch.tile.dma_outstanding)
                               : std::numeric_limits<size_t>::max();
  auto* ext = payload_.get_extension<AccessExtension>();
  std::uint64_t done = Now();
  const auto merge = [&](const AccessExtension& got) {
    if (!arrival_ps) return;
    for (size_t i = 0; i < arrival_ps->size(); ++i)
      (*arrival_ps)[i] = std::max((*arrival_ps)[i], got.arrival_ps.at(i));
  };
  std::vector<std::uint64_t> pending;  // completion times of requests in flight (a min-heap)
  std::vector<Port*> ports;            // requests in flight on ports (a model that waits)
  const auto settle = [&](Port* port) {
    done = std::max(done, port->done);
    merge(*port->payload.get_extension<AccessExtension>());
    port->in_use = false;
  };
  // Waits until fewer than `outstanding` requests are in flight.
  const auto admit = [&] {
    while (ctx_.dram_waits && ports.size() >= outstanding) {
      const auto busy =
          std::partition(ports.begin(), ports.end(), [](const Port* p) { return p->running; });
      for (auto it = busy; it != ports.end(); ++it) settle(*it);
      ports.erase(busy, ports.end());
      if (ports.size() >= outstanding) {
        ++ctx_.stats.waits;
        wait(port_finished_);
      }
    }
    while (!ctx_.dram_waits && pending.size() >= outstanding) {
      std::pop_heap(pending.begin(), pending.end(), std::greater<>());
      const std::uint64_t next = pending.back();
      pending.pop_back();
      if (next > Now()) WaitPs(next - Now());
    }
  };
  const auto request = [&](std::uint64_t address, std::uint64_t bytes) {
    admit();
    if (ctx_.dram_waits) {
      Port& port = IdlePort();
      tlm::tlm_generic_payload& p = port.payload;
      SetRequest(p, command, address, bytes);
      auto* port_ext = p.get_extension<AccessExtension>();
      port_ext->layer = layer;
      port_ext->multicast = multicast;
      port.now = Now();
      port.running = true;
      port.go.notify();
      ports.push_back(&port);
      return;
    }
    // The payload is the tile's: its layer and receivers are set for this call alone (another
    // thread of the tile may use it while this one waits for a slot).
    ext->layer = layer;
    ext->multicast = multicast;
    SetRequest(payload_, command, address, bytes);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(payload_, delay);
    ext->multicast = {};
    const std::uint64_t end = Now() + static_cast<std::uint64_t>(delay.value());
    done = std::max(done, end);
    merge(*ext);
    pending.push_back(end);
    std::push_heap(pending.begin(), pending.end(), std::greater<>());
  };
  const auto interleave = static_cast<std::uint64_t>(ctx_.arch.dram.interleave_bytes);
  const auto channels = static_cast<std::uint64_t>(ctx_.arch.dram.channels.size());
  const auto piece = static_cast<std::uint64_t>(ctx_.arch.tile.dma_request_bytes);
  for (const pjsim::Transfer& t : transfers)
    ForEachDmaRequest(t, interleave, channels, piece, request);
  for (Port* port : ports) {
    while (port->running) {
      ++ctx_.stats.waits;
      wait(port->finished);
    }
    settle(port);
  }
  return done;
}

std::uint64_t ComputeTile::Transfer(std::span<const pjsim::Transfer> transfers,
                                    tlm::tlm_command command, int layer) {
  if (BoundedDma()) return IssueRequests(transfers, command, layer, {}, nullptr);
  payload_.get_extension<AccessExtension>()->layer = layer;
  std::uint64_t done = Now();
  if (ctx_.dram_waits) {
    // Every transfer's transactions in flight together, then waited for.
    std::vector<Port*> in_flight;
    for (const auto& t : transfers) IssuePerChannel(t, command, nullptr, &in_flight);
    return std::max(done, Collect(in_flight, nullptr));
  }
  for (const auto& t : transfers) done = std::max(done, IssuePerChannel(t, command));
  return done;
}

void ComputeTile::Multicast(const pjsim::Transfer& t, int layer, std::span<const int> tiles,
                            std::vector<std::uint64_t>& arrival_ps) {
  auto* ext = payload_.get_extension<AccessExtension>();
  ext->layer = layer;
  // A tile has the data when the last of the load's per-channel transactions has reached it.
  arrival_ps.assign(tiles.size(), Now());
  if (BoundedDma()) {
    IssueRequests(std::span(&t, 1), tlm::TLM_READ_COMMAND, layer, tiles, &arrival_ps);
  } else {
    ext->multicast = tiles;
    IssuePerChannel(t, tlm::TLM_READ_COMMAND, &arrival_ps);
  }
  ctx_.stats.multicast_copy_bytes +=
      static_cast<double>(t.bytes) * static_cast<double>(tiles.size() - 1);
  ext->multicast = {};
}

void ComputeTile::LoaderThread() {
  ctx_.Guard([this] {
    for (;;) {
      wait(start_event_);
      if (tasks_->empty()) Finished();  // (only where every tile of the layer is idle)
      for (size_t i = 0; i < tasks_->size(); ++i) {
        const TileTask& task = (*tasks_)[i];
        operand_slots_.Take(task.single_buffered);
        double bits = 0;
        auto loads = task.Loads();
        for (const auto& l : loads) bits += static_cast<double>(l.bytes) * 8;
        ctx_.ledger.Add(task.layer, ctx_.actions.sram_fill, bits);
        // Own loads are issued at once; shared ones when all their receivers are ready.
        auto own = loads;
        for (auto& l : own) {
          if (l.share >= 0) l.bytes = 0;
        }
        // Gathered rows arrive as their burst-aligned ranges; the padding is read, not kept.
        if (!task.weight_gather.empty()) {
          double gathered = 0;
          for (const auto& g : task.weight_gather) gathered += static_cast<double>(g.bytes);
          ctx_.stats.gather_overfetch_bytes += gathered - static_cast<double>(own[2].bytes);
          own[2].bytes = 0;
        }
        std::uint64_t done = Transfer(own, tlm::TLM_READ_COMMAND, task.layer);
        if (!task.weight_gather.empty())
          done = std::max(done, Transfer(task.weight_gather, tlm::TLM_READ_COMMAND, task.layer));
        std::array<SharedLoads::Entry*, 3> joined{};
        for (size_t s = 0; s < loads.size(); ++s) {
          const auto& l = loads[s];
          if (l.share < 0 || l.bytes == 0) continue;
          SharedLoads::Entry* entry = shared_.Join(task.layer, l.share, index_);
          if (entry->AllJoined()) {
            Multicast(l, task.layer, entry->tiles, entry->arrival_ps);
            shared_.Issued(*entry);
          }
          joined[s] = entry;
        }
        for (size_t s = 0; s < loads.size(); ++s) {
          if (joined[s]) shared_.Wait(task.layer, loads[s].share, joined[s], index_);
        }
        if (done > Now()) WaitPs(done - Now());
        loaded_.Write(static_cast<int>(i));
      }
    }
  });
}

const ComputeTile::VectorActions& ComputeTile::VectorActionsOf(int index, const Layer& layer) {
  const auto matches = [&](const VectorActions& v) {
    return v.function->name == layer.function && v.dtype == layer.dtype;
  };
  const auto l = static_cast<size_t>(index);
  if (vector_actions_of_.size() <= l) vector_actions_of_.resize(l + 1, -1);
  std::int32_t& at = vector_actions_of_[l];
  if (at >= 0 && matches(vector_actions_[static_cast<size_t>(at)]))
    return vector_actions_[static_cast<size_t>(at)];
  const auto known = std::find_if(vector_actions_.begin(), vector_actions_.end(), matches);
  at = static_cast<std::int32_t>(known - vector_actions_.begin());
  if (known != vector_actions_.end()) return *known;
  VectorActions& v = vector_actions_.emplace_back();
  v.function = &FindElementwiseFunction(layer.function);
  v.dtype = layer.dtype;
  const std::string prefix = VectorDTypePrefix(layer.dtype);
  const auto resolve = [&](const std::vector<std::pair<std::string, int>>& ops,
                           std::vector<std::pair<ActionId, int>>& out) {
    for (const auto& [suffix, count] : ops)
      out.emplace_back(ctx_.actions.vector_ops.at(prefix + "_" + suffix), count);
  };
  resolve(v.function->ops, v.ops);
  resolve(v.function->per_row_ops, v.per_row);
  resolve(v.function->inner_ops, v.inner);
  return v;
}

std::int64_t ComputeTile::RunTask(const TileTask& task) {
  const Layer& layer = layers_[static_cast<size_t>(task.layer)];
  auto& ledger = ctx_.ledger;
  double read_bits = 0, write_bits = 0;
  std::int64_t cycles = 0;
  if (task.kind == TaskKind::kGemm) {
    const GemmCost cost = kind_.RunGemm(ledger, task.layer, layer, task);
    cycles = cost.array_cycles;
    read_bits = cost.sram_read_bits;
    write_bits = cost.sram_write_bits;
  } else {
    // Vector unit: one element per lane per cycle, each element costing the function's ops.
    const VectorActions& v = VectorActionsOf(task.layer, layer);
    const ElementwiseFunction& f = *v.function;
    const auto elements = static_cast<double>(task.elements);
    for (const auto& [action, per_element] : v.ops)
      ledger.Add(task.layer, action, elements * per_element);
    const double rows = elements / static_cast<double>(layer.OutputShape().cols);
    for (const auto& [action, per_row] : v.per_row) ledger.Add(task.layer, action, rows * per_row);
    // An inner loop (conv taps, scan states) takes a lane one cycle per step.
    const std::int64_t steps = f.inner_ops.empty() ? 1 : layer.inner;
    for (const auto& [action, per_step] : v.inner) {
      ledger.Add(task.layer, action, elements * static_cast<double>(steps) * per_step);
    }
    cycles = CeilDiv(task.elements * steps, ctx_.arch.tile.vector_lanes);
    const double bits = DTypeBits(layer.dtype);
    read_bits = elements * bits * f.inputs + (f.has_gain ? static_cast<double>(layer.n) * bits : 0);
    write_bits = elements * bits;
  }
  ledger.Add(task.layer, ctx_.actions.sram_read, read_bits);
  ledger.Add(task.layer, ctx_.actions.sram_write, write_bits);
  return PortBoundCycles(cycles, read_bits, write_bits, ctx_.arch.tile.sram.port_bytes_per_cycle);
}

namespace {

// A tile task's trace args: the bytes it moves between DRAM and SRAM, and its shape.
SpanArgs TraceArgs(const TileTask& task) {
  SpanArgs a;
  a.bytes = 0;
  for (const Transfer& t : task.Loads()) a.bytes += static_cast<double>(t.bytes);
  a.bytes += static_cast<double>(task.store.bytes);
  if (task.kind == TaskKind::kGemm) {
    a.m = task.gemm.m;
    a.k = task.gemm.k;
    a.n = task.gemm.n;
  } else {
    a.elements = task.elements;
  }
  return a;
}

}  // namespace

void ComputeTile::ComputeThread() {
  ctx_.Guard([this] {
    // Waits for the loader's next task, also across runs: the loader writes none before the
    // tile is started, and at a start this thread would only find none loaded yet and wait for
    // one (a kernel wake-up per tile and run saved).
    for (;;) {
      const int i = loaded_.Read();
      const TileTask& task = (*tasks_)[static_cast<size_t>(i)];
      // Sums kept in the array need no output buffer until the chunk that drains them.
      if (task.accumulate_in_array ? task.last_k : task.first_k)
        output_slots_.Take(task.single_buffered);
      // A chunk that adds onto sums in the array must follow the one that left them there.
      if (task.accumulate_in_array && !task.first_k && !array_holds_sums_) {
        throw std::logic_error("tile " + std::to_string(index_) +
                               ": a K chunk continues sums the array does not hold");
      }
      array_holds_sums_ = task.kind == TaskKind::kGemm && task.accumulate_in_array && !task.last_k;
      // The storer stops after the last task: it must end an output block (store it).
      if (static_cast<size_t>(i) + 1 == tasks_->size() && !task.last_k) {
        throw std::logic_error("tile " + std::to_string(index_) +
                               ": the last task leaves its output block unfinished");
      }
      const std::int64_t cycles = RunTask(task);
      const std::uint64_t ps = ctx_.CyclesToPs(static_cast<double>(cycles));
      busy_ps_ += ps;
      ++ctx_.stats.tile_tasks;
      if (ctx_.trace)
        ctx_.trace->AddSpan(trace_track_, task.layer, Now(), Now(), Now() + ps, TraceArgs(task));
      WaitPs(ps);
      operand_slots_.Give(task.single_buffered);
      if (task.last_k) finished_.Write(i);
    }
  });
}

void ComputeTile::Reduce(const TileTask& task) {
  const PartialSumReduction& r = partial_sums_.Get(task.layer, task.reduction);
  const int root = partial_sums_.RootTile(task.layer, task.reduction);
  const auto bits = static_cast<double>(r.partial_bytes) * 8;
  auto& ledger = ctx_.ledger;
  if (root != index_) {
    // Read out of this tile's SRAM, written into the root's as it arrives.
    ledger.Add(task.layer, ctx_.actions.sram_read, bits);
    ledger.Add(task.layer, ctx_.actions.sram_fill, bits);
    auto* ext = payload_.get_extension<AccessExtension>();
    ext->layer = task.layer;
    ext->to_tile = root;
    SetRequest(payload_, tlm::TLM_WRITE_COMMAND, 0, static_cast<std::uint64_t>(r.partial_bytes));
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(payload_, delay);
    ext->to_tile = -1;
    ctx_.stats.reduction_bytes += static_cast<double>(r.partial_bytes);
    const std::uint64_t arrival = Now() + static_cast<std::uint64_t>(delay.value());
    partial_sums_.Arrived(task.layer, task.reduction, arrival);
    WaitPs(arrival - Now());  // the output buffer is busy until the partial sums are out
    return;
  }
  partial_sums_.WaitAll(task.layer, task.reduction);
  // The vector unit adds each received block into the root's: two reads and a write per
  // element, one add at the partial sums' precision.
  const auto others = static_cast<double>(r.contributors.size());
  if (reduce_add_ < 0) {  // registered at the first reduction, as it always was
    const NumberType acc = ctx_.arch.tile.accumulator;
    const std::string add = (IsFloat(acc) ? NumberTypeName(acc) : std::string("int32")) + "_add";
    reduce_add_ = VectorOpAction(ledger, ctx_.actions, ctx_.tech, add);
  }
  ledger.Add(task.layer, reduce_add_, others * static_cast<double>(r.elements));
  ledger.Add(task.layer, ctx_.actions.sram_read, 2 * others * bits);
  ledger.Add(task.layer, ctx_.actions.sram_write, others * bits);
  const std::int64_t cycles =
      PortBoundCycles(static_cast<std::int64_t>(r.contributors.size()) *
                          CeilDiv(r.elements, ctx_.arch.tile.vector_lanes),
                      2 * others * bits, others * bits, ctx_.arch.tile.sram.port_bytes_per_cycle);
  WaitPs(ctx_.CyclesToPs(static_cast<double>(cycles)));
}

void ComputeTile::StorerThread() {
  ctx_.Guard([this] {
    // Waits for the array's next finished block, also across runs (as ComputeThread: nothing
    // is finished before the tile is started). The queue ends with a store (ComputeThread
    // checks), so the run ends with its last task's store: no stores need counting first (for
    // a streamed queue, a walk of every task once more). A tile started with no tasks is
    // reported done by its loader.
    for (;;) {
      const int i = finished_.Read();
      const TileTask& task = (*tasks_)[static_cast<size_t>(i)];
      if (task.reduction >= 0) Reduce(task);
      if (task.store.bytes > 0) {
        ctx_.ledger.Add(task.layer, ctx_.actions.sram_read,
                        static_cast<double>(task.store.bytes) * 8);
        const std::uint64_t done =
            Transfer(std::span(&task.store, 1), tlm::TLM_WRITE_COMMAND, task.layer);
        WaitPs(done - Now());
      }
      output_slots_.Give(task.single_buffered);
      if (static_cast<size_t>(i) + 1 == tasks_->size()) Finished();
    }
  });
}

void ComputeTile::Finished() {
  // The loader and the array finished before the last store: the window can serve the next
  // queue read (kept plans would otherwise each hold one).
  tasks_->ReleaseWindow();
  on_done_();
}

}  // namespace pjsim
