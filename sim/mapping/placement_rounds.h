#pragma once
// The grid rounds one ranking of a layer looked up in GridLinkLoads, and at which placement (the
// layer's own home, or every busy expert home's): a ranking depends on its placements through
// those lookups alone (their busiest link of any load mix and of the stores), so the same layer
// shape at another placement whose lookups give the same loads ranks the same, and need not be
// ranked again. Decode passes route each token to a different set of experts: OLMoE's experts,
// one tile each on the 4 x 4 `default` mesh, were ranked at every home and for every pass's set
// of busy homes: 1,615 rankings for 8 tokens, of which 50-100 are at placements whose loads
// differ (most homes' routes are translates of one another's); the run took 1.9 s, now 0.4 s.
#include <vector>

#include "sim/mapping/grid_link_loads.h"

namespace pjsim {

class PlacementRounds {
 public:
  // A lookup of `round` at the layer's home (`at_home`) or at the busy homes' placement.
  void Note(const GridLinkLoads::Round& round, bool at_home);
  // Keeps each noted round once (call before SameLoads).
  void Seal();
  // True if every noted round gives the same loads at the home `at` and the placement `among`
  // as at `from_at` and `from_among`, where it was looked up.
  bool SameLoads(const GridLinkLoads& links, int from_at, int from_among, int at, int among) const;

 private:
  struct Noted {
    GridLinkLoads::Round round;
    bool at_home = false;
  };
  std::vector<Noted> noted_;
};

}  // namespace pjsim
