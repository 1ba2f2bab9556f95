#pragma once
// Indices of a tile's tasks handed from one of its threads to the next (loaded, finished): an
// unbounded sc_core::sc_fifo<int> with the same delta-cycle behaviour (a written index is
// readable after the update phase; a waiting reader is woken by a delta notification from
// update(), in the order channels requested their update), whose update notifies only while the
// reader waits. sc_fifo notifies its written and read events on every update, almost always
// with nobody waiting.
#include <cstddef>
#include <deque>
#include <systemc>

namespace pjsim {

class TaskIndexFifo : public sc_core::sc_prim_channel {
 public:
  explicit TaskIndexFifo(const char* name) : sc_core::sc_prim_channel(name) {}

  void Write(int index) {
    queue_.push_back(index);
    ++written_;
    request_update();
  }
  // From a SystemC thread: returns the oldest index readable, waiting for one if need be.
  int Read() {
    while (readable_ == 0) {
      reader_waits_ = true;
      sc_core::wait(written_event_);
      reader_waits_ = false;
    }
    --readable_;
    const int index = queue_.front();
    queue_.pop_front();
    // As sc_fifo: a read requests the update too (it fixes where this channel's update, and so
    // its notification, falls among the channels' in this delta cycle).
    request_update();
    return index;
  }

 protected:
  void update() override {
    if (written_ > 0 && reader_waits_) written_event_.notify(sc_core::SC_ZERO_TIME);
    readable_ = queue_.size();
    written_ = 0;
  }

 private:
  std::deque<int> queue_;
  std::size_t readable_ = 0;  // the indices written before this delta cycle's update
  std::size_t written_ = 0;   // since the last update
  bool reader_waits_ = false;
  sc_core::sc_event written_event_;
};

}  // namespace pjsim
