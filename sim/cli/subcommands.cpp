#include "sim/cli/subcommands.h"

#include <algorithm>
#include <utility>

namespace pjsim::cli {
namespace {

std::vector<std::pair<int, Subcommand>>& Registry() {
  static std::vector<std::pair<int, Subcommand>> registry;
  return registry;
}

}  // namespace

SubcommandRegistrar::SubcommandRegistrar(int order, Subcommand subcommand) {
  Registry().emplace_back(order, std::move(subcommand));
}

const std::vector<Subcommand>& Subcommands() {
  static const std::vector<Subcommand> all = [] {
    auto entries = Registry();
    // By order, then name: registration order follows link order, which must not matter.
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : a.second.spec->name < b.second.spec->name;
    });
    std::vector<Subcommand> out;
    for (auto& e : entries) out.push_back(std::move(e.second));
    return out;
  }();
  return all;
}

}  // namespace pjsim::cli
