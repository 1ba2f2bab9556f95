#include "sim/mapping/placement_rounds.h"

#include <algorithm>
#include <tuple>

namespace pjsim {
namespace {

auto Fields(const GridLinkLoads::Round& r, bool at_home) {
  return std::tuple(at_home, r.pm, r.pn, r.pk, r.rows, r.cols, r.share_a, r.share_b);
}

// What the mapping estimate reads of a round's loads: the busiest link of any mix of A and B
// bytes (the links no other matches, in a canonical order) and of the stores.
bool SameBusiest(const GridLinkLoads::Loads& x, const GridLinkLoads::Loads& y) {
  if (x.out != y.out || x.load_links.size() != y.load_links.size()) return false;
  for (size_t i = 0; i < x.load_links.size(); ++i) {
    if (x.load_links[i].a != y.load_links[i].a || x.load_links[i].b != y.load_links[i].b)
      return false;
  }
  return true;
}

}  // namespace

void PlacementRounds::Note(const GridLinkLoads::Round& round, bool at_home) {
  noted_.push_back({round, at_home});
  // A ranking looks the same rounds up for many candidates: keep the list short as it grows.
  if (noted_.size() >= (std::size_t{1} << 16)) Seal();
}

void PlacementRounds::Seal() {
  const auto less = [](const Noted& x, const Noted& y) {
    return Fields(x.round, x.at_home) < Fields(y.round, y.at_home);
  };
  const auto same = [](const Noted& x, const Noted& y) {
    return Fields(x.round, x.at_home) == Fields(y.round, y.at_home);
  };
  std::sort(noted_.begin(), noted_.end(), less);
  noted_.erase(std::unique(noted_.begin(), noted_.end(), same), noted_.end());
}

bool PlacementRounds::SameLoads(const GridLinkLoads& links, int from_at, int from_among, int at,
                                int among) const {
  for (const Noted& n : noted_) {
    GridLinkLoads::Round from = n.round, to = n.round;
    from.placement = n.at_home ? from_at : from_among;
    to.placement = n.at_home ? at : among;
    if (from.placement == to.placement) continue;
    if (!SameBusiest(links.Of(from), links.Of(to))) return false;
  }
  return true;
}

}  // namespace pjsim
