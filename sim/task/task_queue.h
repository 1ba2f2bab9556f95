#pragma once
// One tile's tasks of a layer plan, in order: held in a vector, or streamed from a TaskSource
// (task_source.h), made as the tile reaches them. A streamed queue keeps only a window of recent
// tasks, so the memory of a plan does not grow with its task count: a long prompt's attention
// has millions of score tiles. Both read alike (size, operator[], iteration); reading a streamed
// queue from its start again walks it again, and Tasks() turns it into a held one (to edit it).
#include <algorithm>
#include <bit>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sim/task/task_source.h"
#include "sim/task/tile_task.h"

namespace pjsim {

class TaskQueue {
 public:
  using value_type = TileTask;
  TaskQueue() = default;
  TaskQueue(std::initializer_list<TileTask> tasks) : tasks_(tasks) {}
  explicit TaskQueue(std::vector<TileTask> tasks) : tasks_(std::move(tasks)) {}
  // Streamed: the `count` tasks of tile `tile` of `source`.
  TaskQueue(std::shared_ptr<const TaskSource> source, int tile, std::size_t count)
      : source_(std::move(source)), tile_(tile), count_(count) {}
  // A copy shares the source but not the window (each reader walks on its own).
  TaskQueue(const TaskQueue& other)
      : tasks_(other.tasks_), source_(other.source_), tile_(other.tile_), count_(other.count_) {}
  TaskQueue& operator=(const TaskQueue& other) {
    if (this != &other) *this = TaskQueue(other);
    return *this;
  }
  TaskQueue(TaskQueue&&) noexcept = default;
  TaskQueue& operator=(TaskQueue&&) noexcept = default;

  bool streamed() const { return source_ != nullptr; }
  // A streamed queue's source and tile (null and 0 when held).
  const std::shared_ptr<const TaskSource>& source() const { return source_; }
  int tile() const { return tile_; }
  std::size_t size() const { return source_ ? count_ : tasks_.size(); }
  bool empty() const { return size() == 0; }

  // Task `i`. Streamed: `i` must be at most a window behind the furthest task read (the tile's
  // threads are), or 0 (a new reading from the start); the reference stays valid while the
  // reads go no further than a window past it.
  const TileTask& operator[](std::size_t i) const {
    if (!source_) return tasks_[i];
    if (i >= count_) throw std::out_of_range("task " + std::to_string(i) + " of a streamed queue");
    if (!window_ || (i < window_->first && i == 0)) {
      if (!window_) window_ = SpareWindow();
      window_->cursor = source_->Start(tile_);
      window_->first = 0;
      window_->count = 0;
      // A ring of the window's tasks and one more (the next task made): slots are reused as
      // the window moves, with no allocation per task. A short queue needs no whole window;
      // a power of two of slots finds a task's slot without a division (a spare window's ring
      // may be longer: it only keeps tasks longer).
      window_->keep = std::min(source_->Window(), count_);
      const std::size_t slots = std::bit_ceil(window_->keep + 1);
      if (window_->slots.size() < slots) window_->slots.resize(slots);
    }
    Window& w = *window_;
    if (i < w.first) {
      throw std::logic_error("task " + std::to_string(i) + " left the streamed window (first " +
                             std::to_string(w.first) + ")");
    }
    const std::size_t mask = w.slots.size() - 1;
    while (w.first + w.count <= i) {
      TileTask& slot = w.slots[(w.first + w.count) & mask];
      if (!w.cursor->Next(slot))
        throw std::logic_error("a task source made fewer tasks than its queue counts");
      if (w.count < w.keep) {
        ++w.count;
      } else {
        ++w.first;  // the window moves on: its oldest task leaves it
      }
    }
    return w.slots[i & mask];
  }

  // Every reader is done with the tasks read so far: a streamed queue's window goes back to the
  // spares (a later read starts from task 0 again).
  void ReleaseWindow() const { window_.reset(); }

  // The tasks held, a streamed queue's made now: for code that edits them.
  std::vector<TileTask>& Tasks() {
    if (source_) {
      std::vector<TileTask> tasks;
      tasks.reserve(count_);
      for (const TileTask& t : *this) tasks.push_back(t);
      tasks_ = std::move(tasks);
      source_.reset();
      window_.reset();
      count_ = 0;
    }
    return tasks_;
  }
  void push_back(TileTask task) { Tasks().push_back(std::move(task)); }
  void reserve(std::size_t n) { Tasks().reserve(n); }
  std::size_t capacity() const { return tasks_.capacity(); }

  // Reads the queue from its start (a streamed one on a cursor of its own).
  class const_iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = TileTask;
    using difference_type = std::ptrdiff_t;
    using pointer = const TileTask*;
    using reference = const TileTask&;

    const_iterator() = default;
    reference operator*() const { return held_ ? held_[index_] : *current_; }
    pointer operator->() const { return &**this; }
    const_iterator& operator++() {
      ++index_;
      if (cursor_ && index_ < count_ && !cursor_->Next(*current_))
        throw std::logic_error("a task source made fewer tasks than its queue counts");
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const const_iterator& other) const { return index_ == other.index_; }

   private:
    friend class TaskQueue;
    const TileTask* held_ = nullptr;
    std::shared_ptr<TaskCursor> cursor_;
    std::shared_ptr<TileTask> current_;
    std::size_t index_ = 0, count_ = 0;
  };
  const_iterator begin() const {
    const_iterator it;
    it.count_ = size();
    if (!source_) {
      it.held_ = tasks_.data();
    } else if (count_ > 0) {
      it.cursor_ = source_->Start(tile_);
      it.current_ = std::make_shared<TileTask>();
      if (!it.cursor_->Next(*it.current_))
        throw std::logic_error("a task source made fewer tasks than its queue counts");
    }
    return it;
  }
  const_iterator end() const {
    const_iterator it;
    it.index_ = size();
    return it;
  }

 private:
  // The latest tasks made, task j in slots[j % slots.size()] (a power of two): a cursor's Next
  // writes a whole task, so a slot needs no reset before it is made again.
  struct Window {
    std::unique_ptr<TaskCursor> cursor;
    std::size_t first = 0;  // the oldest task kept
    std::size_t count = 0;  // tasks kept: first .. first + count - 1
    std::size_t keep = 0;   // at most this many (the source's window)
    std::vector<TileTask> slots;
  };
  // Windows of queues gone, kept for the next queues read on this thread: a decode reads
  // hundreds of thousands of short queues, and a window's ring holds whole tasks (allocating
  // and constructing them anew took about 4% of a decode).
  struct Spares {
    std::vector<std::unique_ptr<Window>> windows;
    ~Spares() { gone() = true; }
    static bool& gone() {
      thread_local bool g = false;  // trivial: readable while the thread's objects are destroyed
      return g;
    }
  };
  static constexpr std::size_t kSpareWindows = 256;
  static Spares& spares() {
    thread_local Spares s;
    return s;
  }
  // Deletes a window, or keeps it as a spare (its cursor released: it may hold its source).
  struct Recycle {
    void operator()(Window* w) const {
      if (Spares::gone() || spares().windows.size() >= kSpareWindows) {
        delete w;
        return;
      }
      w->cursor.reset();
      spares().windows.emplace_back(w);
    }
  };
  static std::unique_ptr<Window, Recycle> SpareWindow();

  std::vector<TileTask> tasks_;  // held
  std::shared_ptr<const TaskSource> source_;
  int tile_ = 0;
  std::size_t count_ = 0;
  mutable std::unique_ptr<Window, Recycle> window_;
};

inline std::unique_ptr<TaskQueue::Window, TaskQueue::Recycle> TaskQueue::SpareWindow() {
  auto& windows = spares().windows;
  if (windows.empty()) return std::unique_ptr<Window, Recycle>(new Window);
  std::unique_ptr<Window, Recycle> w(windows.back().release());
  windows.pop_back();
  return w;
}

}  // namespace pjsim
