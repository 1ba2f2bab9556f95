#pragma once
// A tile's free buffers (operand or output): a counting semaphore that behaves as
// sc_core::sc_semaphore (a thread takes a slot or waits for a post, woken by an immediate
// notification) but notifies only while a thread waits. sc_semaphore notifies on every post, and
// a tile posts once or twice per task, almost always with no thread waiting.
#include <systemc>

namespace pjsim {

class BufferSlots {
 public:
  explicit BufferSlots(int count) : count_(count), free_(count) {}

  // From a SystemC thread: returns once `slots` slots are free (every slot: all, or at most the
  // count), and takes them.
  void Take(bool all = false) {
    const int slots = all ? count_ : 1;
    while (free_ < slots) {
      ++waiting_;
      sc_core::wait(freed_);
      --waiting_;
    }
    free_ -= slots;
  }
  // Gives back what Take(all) took.
  void Give(bool all = false) {
    free_ += all ? count_ : 1;
    if (waiting_ > 0) freed_.notify();
  }

 private:
  int count_;
  int free_;
  int waiting_ = 0;  // threads in Take's wait
  sc_core::sc_event freed_;
};

}  // namespace pjsim
