#include "sim/mapping/fcfs_request_replay.h"

#include <algorithm>
#include <cstddef>
#include <queue>
#include <tuple>

namespace pjsim {

std::vector<double> FcfsReplayFinishCycles(const std::vector<std::vector<QueuedTask>>& tiles,
                                           double dram_bytes_per_cycle, double round_trip,
                                           const std::vector<QueuedRequest>& requests,
                                           ChannelPortReplay* ports) {
  struct Request {
    double issue;
    size_t tile;
    std::int64_t task;  // the task whose load this is; -1: a store
    double bytes;
    // A load: the index into `requests`, or -1 for the task's `load_bytes`. A store: its task.
    std::int64_t shared = -1;
    bool operator>(const Request& o) const {
      return std::tie(issue, tile, task) > std::tie(o.issue, o.tile, o.task);
    }
  };
  std::priority_queue<Request, std::vector<Request>, std::greater<>> pending;
  std::vector<double> finish(tiles.size(), 0), task_end(tiles.size(), 0);
  // The task each tile waits to load, its loads still to come and when the last came.
  std::vector<std::int64_t> waiting(tiles.size(), 0), loads_left(tiles.size(), 0);
  std::vector<double> data_in(tiles.size(), 0);
  // Shared requests: receivers that have issued them, and the last one's issue.
  std::vector<size_t> ready(requests.size(), 0);
  std::vector<double> ready_at(requests.size(), 0);
  // Tile `tile` issues task `k`'s loads at `issue`; a task with nothing to load starts then, and
  // issues the next one's, until a task waits for a load.
  const auto issue_loads = [&](size_t tile, std::int64_t k, double issue) {
    const std::vector<QueuedTask>& tasks = tiles[tile];
    while (true) {
      const QueuedTask& task = tasks[static_cast<size_t>(k)];
      waiting[tile] = k;
      data_in[tile] = issue;
      loads_left[tile] =
          (task.load_bytes > 0 ? 1 : 0) + static_cast<std::int64_t>(task.requests.size());
      if (task.load_bytes > 0) pending.push({issue, tile, k, task.load_bytes});
      for (size_t r : task.requests) {
        ready_at[r] = std::max(ready_at[r], issue);
        if (++ready[r] == requests[r].receivers.size()) {
          pending.push({ready_at[r], tile, k, 0, static_cast<std::int64_t>(r)});
        }
      }
      if (loads_left[tile] > 0) return;
      // On chip already: the task starts, and the next one's loads issue.
      const double start = std::max(issue, task_end[tile]);
      task_end[tile] = start + task.compute_cycles;
      finish[tile] = std::max(finish[tile], task_end[tile]);
      if (task.store_bytes > 0) pending.push({task_end[tile], tile, -1, task.store_bytes, k});
      if (static_cast<size_t>(++k) == tasks.size()) return;
      issue = tasks[static_cast<size_t>(k)].single_buffered ? task_end[tile] : start;
    }
  };
  // One of the loads tile `tile` waits for is in at `in`: the last one starts its task, which
  // issues the next one's loads and queues its own store.
  const auto loaded = [&](size_t tile, double in) {
    data_in[tile] = std::max(data_in[tile], in);
    if (--loads_left[tile] > 0) return;
    const std::vector<QueuedTask>& tasks = tiles[tile];
    const std::int64_t k = waiting[tile];
    const QueuedTask& task = tasks[static_cast<size_t>(k)];
    const double start = std::max(data_in[tile], task_end[tile]);
    task_end[tile] = start + task.compute_cycles;
    finish[tile] = std::max(finish[tile], task_end[tile]);
    if (task.store_bytes > 0) pending.push({task_end[tile], tile, -1, task.store_bytes, k});
    if (static_cast<size_t>(k + 1) == tasks.size()) return;
    const QueuedTask& next = tasks[static_cast<size_t>(k + 1)];
    issue_loads(tile, k + 1, next.single_buffered ? task_end[tile] : start);
  };
  for (size_t t = 0; t < tiles.size(); ++t) {
    if (!tiles[t].empty()) issue_loads(t, 0, 0);
  }
  std::vector<size_t> to_tile(1);
  double server_free = 0;
  // The one server takes `bytes` issued at `issue` after the requests before it.
  const auto serve = [&](double issue, double bytes) {
    server_free = std::max(issue, server_free) + bytes / dram_bytes_per_cycle;
    return server_free;
  };
  while (!pending.empty()) {
    const Request r = pending.top();
    pending.pop();
    if (r.task < 0) {
      double served = 0;
      if (ports != nullptr && !tiles[r.tile][static_cast<size_t>(r.shared)].store_pieces.empty()) {
        served = ports->Store(r.issue, tiles[r.tile][static_cast<size_t>(r.shared)].store_pieces);
      } else {
        served = serve(r.issue, r.bytes);
      }
      finish[r.tile] = std::max(finish[r.tile], served);
      continue;
    }
    if (r.shared >= 0) {
      // Its channels serve it and send its trains through the ports (without ports, the one
      // server serves its bytes).
      const QueuedRequest& q = requests[static_cast<size_t>(r.shared)];
      double out = 0;
      if (ports != nullptr) {
        out = ports->Load(r.issue, q.pieces, q.receivers);
      } else {
        double bytes = 0;
        for (double piece : q.pieces) bytes += piece;
        out = serve(r.issue, bytes);
      }
      for (size_t t : q.receivers) loaded(t, out + round_trip);
      continue;
    }
    loaded(r.tile, serve(r.issue, r.bytes) + round_trip);
  }
  return finish;
}

}  // namespace pjsim
