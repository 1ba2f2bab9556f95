#include "sim/sweep/slurm_array.h"

#include <algorithm>

namespace pjsim::sweep {

size_t ArrayTaskCount(size_t point_count, size_t points_per_task) {
  const size_t n = std::max<size_t>(1, points_per_task);
  return (point_count + n - 1) / n;
}

TaskBatch ArrayTaskBatch(size_t task, size_t points_per_task, size_t point_count) {
  const size_t n = std::max<size_t>(1, points_per_task);
  TaskBatch b;
  b.first = std::min(point_count, task * n);
  b.end = std::min(point_count, b.first + n);
  return b;
}

size_t DefaultPointsPerTask(size_t point_count) {
  return std::max<size_t>(10, (point_count + kDefaultMaxArrayTasks - 1) / kDefaultMaxArrayTasks);
}

std::string ArrayRanges(const std::vector<size_t>& tasks) {
  std::string out;
  for (size_t i = 0; i < tasks.size();) {
    size_t j = i;
    while (j + 1 < tasks.size() && tasks[j + 1] == tasks[j] + 1) ++j;
    out += (out.empty() ? "" : ",") + std::to_string(tasks[i]);
    if (j > i) out += "-" + std::to_string(tasks[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace pjsim::sweep
