#pragma once
// Tile tasks made when they are needed instead of held: a layer's walk can yield millions of
// tasks (the score tiles of a long prompt grow with its square), while a tile only ever works on
// a few at a time. A source makes the task sequence of each tile of a plan, from its start.
#include <cstddef>
#include <memory>

#include "sim/task/tile_task.h"

namespace pjsim {

// One pass over one tile's tasks, in order.
class TaskCursor {
 public:
  virtual ~TaskCursor() = default;
  // Writes the next task into `task`; false when none is left.
  virtual bool Next(TileTask& task) = 0;
};

class TaskSource {
 public:
  virtual ~TaskSource() = default;
  // A cursor at the first task of tile `tile` (an index within the plan's tile group).
  virtual std::unique_ptr<TaskCursor> Start(int tile) const = 0;
  // Tasks a window of consecutive tasks must keep for the tile's loader, compute and storer,
  // which work at most this far apart (double buffering, K chunks of one output block).
  virtual std::size_t Window() const = 0;
};

}  // namespace pjsim
