#include "sim/mapping/fcfs_request_replay.h"

#include <algorithm>
#include <cstddef>
#include <queue>
#include <tuple>

namespace pjsim {

std::vector<double> FcfsReplayFinishCycles(const std::vector<std::vector<QueuedTask>>& tiles,
                                           double dram_bytes_per_cycle, double round_trip) {
  struct Request {
    double issue;
    size_t tile;
    std::int64_t task;  // the task whose load this is; -1: a store
    double bytes;
    bool operator>(const Request& o) const {
      return std::tie(issue, tile, task) > std::tie(o.issue, o.tile, o.task);
    }
  };
  std::priority_queue<Request, std::vector<Request>, std::greater<>> pending;
  std::vector<double> finish(tiles.size(), 0), task_end(tiles.size(), 0);
  // A load served (or needing no service): its task starts when the data is in and the task
  // before it has ended; it issues the next load and queues its own store.
  const auto loaded = [&](size_t tile, std::int64_t k, double data_in) {
    const std::vector<QueuedTask>& tasks = tiles[tile];
    while (true) {
      const QueuedTask& task = tasks[static_cast<size_t>(k)];
      const double start = std::max(data_in, task_end[tile]);
      task_end[tile] = start + task.compute_cycles;
      finish[tile] = std::max(finish[tile], task_end[tile]);
      if (task.store_bytes > 0) pending.push({task_end[tile], tile, -1, task.store_bytes});
      if (static_cast<size_t>(++k) == tasks.size()) return;
      const QueuedTask& next = tasks[static_cast<size_t>(k)];
      const double issue = next.single_buffered ? task_end[tile] : start;
      if (next.load_bytes > 0) {
        pending.push({issue, tile, k, next.load_bytes});
        return;
      }
      data_in = issue;  // on chip already: the next task needs no request
    }
  };
  for (size_t t = 0; t < tiles.size(); ++t) {
    if (tiles[t].empty()) continue;
    if (tiles[t][0].load_bytes > 0) {
      pending.push({0, t, 0, tiles[t][0].load_bytes});
    } else {
      loaded(t, 0, 0);
    }
  }
  double server_free = 0;
  while (!pending.empty()) {
    const Request r = pending.top();
    pending.pop();
    const double served = std::max(r.issue, server_free) + r.bytes / dram_bytes_per_cycle;
    server_free = served;
    if (r.task < 0) {
      finish[r.tile] = std::max(finish[r.tile], served);
    } else {
      loaded(r.tile, r.task, served + round_trip);
    }
  }
  return finish;
}

}  // namespace pjsim
