#pragma once
// Routes (lists of link indices) stored one after another in one buffer, looked up by the order
// they were added: a NoC model computes the routes its transactions take once instead of per
// transaction.
#include <cstdint>
#include <span>
#include <vector>

namespace pjsim {

class RouteTable {
 public:
  // Appends `route`; it is Get(the number of routes added before it).
  void Add(std::span<const int> route) {
    links_.insert(links_.end(), route.begin(), route.end());
    ends_.push_back(links_.size());
  }
  std::span<const int> Get(size_t index) const {
    return std::span(links_).subspan(ends_[index], ends_[index + 1] - ends_[index]);
  }

 private:
  std::vector<int> links_;
  std::vector<size_t> ends_{0};  // route i is links_[ends_[i], ends_[i + 1])
};

}  // namespace pjsim
