#pragma once
// A list of at most N items kept in place: for the few classes of rounds, block sizes and K
// ranges an estimate iterates over, built per mapping candidate (a std::vector there allocated
// several times per candidate, thousands of candidates per layer).
#include <array>
#include <cstddef>
#include <stdexcept>
#include <utility>

namespace pjsim {

template <class T, std::size_t N>
class FixedList {
 public:
  void push_back(const T& item) {
    if (size_ == N) throw std::length_error("FixedList: full");
    items_[size_++] = item;
  }
  template <class... Args>
  void emplace_back(Args&&... args) {
    push_back(T{std::forward<Args>(args)...});
  }
  const T* begin() const { return items_.data(); }
  const T* end() const { return items_.data() + size_; }
  std::size_t size() const { return size_; }

 private:
  std::array<T, N> items_{};
  std::size_t size_ = 0;
};

}  // namespace pjsim
