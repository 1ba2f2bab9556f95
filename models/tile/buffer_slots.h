#pragma once
// A tile's free buffers (operand or output): a counting semaphore that behaves as
// sc_core::sc_semaphore (a thread takes a slot or waits for a post, woken by an immediate
// notification) but notifies only while a thread waits. sc_semaphore notifies on every post, and
// a tile posts once or twice per task, almost always with no thread waiting.
#include <systemc>

namespace pjsim {

class BufferSlots {
 public:
  explicit BufferSlots(int count) : free_(count) {}

  // From a SystemC thread: returns once a slot is free, and takes it.
  void Take() {
    while (free_ <= 0) {
      ++waiting_;
      sc_core::wait(freed_);
      --waiting_;
    }
    --free_;
  }
  void Give() {
    ++free_;
    if (waiting_ > 0) freed_.notify();
  }

 private:
  int free_;
  int waiting_ = 0;  // threads in Take's wait
  sc_core::sc_event freed_;
};

}  // namespace pjsim
