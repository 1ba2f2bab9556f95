#pragma once
// Which design points a Slurm array task runs. Task I runs points [I*N, (I+1)*N) of the spec, in
// point order, whatever is already recorded: a task's batch depends only on the spec and N, so a
// requeued task, a resubmission with --resume and a task run by hand all find the same points,
// and each skips the points already in the store.
#include <cstddef>
#include <string>
#include <vector>

namespace pjsim::sweep {

struct TaskBatch {
  size_t first = 0;  // the first point's index
  size_t end = 0;    // one past the last
};

// Slurm's default MaxArraySize is 1001: array indices 0..1000.
inline constexpr size_t kDefaultMaxArrayTasks = 1000;

size_t ArrayTaskCount(size_t point_count, size_t points_per_task);
TaskBatch ArrayTaskBatch(size_t task, size_t points_per_task, size_t point_count);

// Points per task when none is asked for: 10 (Slurm spends about 0.25 s on each array task, a
// small point about 0.1 s), or more so that the array keeps within kDefaultMaxArrayTasks.
size_t DefaultPointsPerTask(size_t point_count);

// sbatch's --array text for ascending distinct task indices: "0-5", "1,3-4,9".
std::string ArrayRanges(const std::vector<size_t>& tasks);

}  // namespace pjsim::sweep
