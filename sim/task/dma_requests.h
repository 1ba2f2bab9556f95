#pragma once
// How a tile's DMA with bounded requests (`tile.dma`) cuts a transfer into DRAM requests. The
// channel interleave sends consecutive chunks to consecutive channels, so a channel's share of
// a transfer is its chunks, contiguous in the channel's own address space: one request per
// channel when requests are unbounded (the whole share), else pieces of at most
// `request_bytes`, the channels taken round-robin, piece by piece (address order, as a DMA
// engine walks a buffer). A request is named by the global address of its first byte; its
// bytes continue in the same channel (the DRAM model maps it to the channel's local space).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/task/tile_task.h"

namespace pjsim {

// Calls `request(global address, bytes)` for each request of `t`, in issue order.
// `request_bytes` 0: one request per channel.
template <typename F>
void ForEachDmaRequest(const Transfer& t, std::uint64_t interleave, std::uint64_t channels,
                       std::uint64_t request_bytes, F&& request) {
  const auto bytes = static_cast<std::uint64_t>(t.bytes);
  if (bytes == 0) return;
  const std::uint64_t first_chunk = t.address / interleave;
  const std::uint64_t last_chunk = (t.address + bytes - 1) / interleave;
  struct Share {
    std::uint64_t chunk, start, total;  // first chunk, first global address, bytes
  };
  std::vector<Share> shares;
  for (std::uint64_t c = 0; c < std::min(last_chunk - first_chunk + 1, channels); ++c) {
    const std::uint64_t chunk = first_chunk + c;
    Share s{chunk, c == 0 ? t.address : chunk * interleave, 0};
    for (std::uint64_t k = chunk; k <= last_chunk; k += channels) {
      s.total +=
          std::min((k + 1) * interleave, t.address + bytes) - std::max(k * interleave, t.address);
    }
    shares.push_back(s);
  }
  // The global address `offset` bytes into a channel's share (its first chunk may start inside).
  const auto address_at = [&](const Share& s, std::uint64_t offset) {
    const std::uint64_t first = (s.chunk + 1) * interleave - s.start;
    if (offset < first) return s.start + offset;
    const std::uint64_t rest = offset - first;
    return (s.chunk + (rest / interleave + 1) * channels) * interleave + rest % interleave;
  };
  const std::uint64_t piece = request_bytes > 0 ? request_bytes : bytes;
  for (std::uint64_t offset = 0;; offset += piece) {
    bool any = false;
    for (const Share& s : shares) {
      if (offset >= s.total) continue;
      request(address_at(s, offset), std::min(piece, s.total - offset));
      any = true;
    }
    if (!any) return;
  }
}

}  // namespace pjsim
