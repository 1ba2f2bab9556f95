#pragma once
// The part of a memory-system model a layer replay (models/layer_replay.h) needs: a model that
// implements it can say when it holds no pending work, record what a layer's run did to it
// (what the run depended on and what it changed), tell whether a recorded run would go the same
// way from its present state, and apply a recorded run's changes as if it had run again.
#include <cstdint>
#include <memory>

namespace pjsim {

// One component's share of a recorded layer run; each model defines its own.
struct ReplayPart {
  virtual ~ReplayPart() = default;
};

class Replayable {
 public:
  virtual ~Replayable() = default;
  // No resource of the component is busy after `now_ps`: a run starting now finds every
  // resource free, whatever the exact times they freed up.
  virtual bool Quiet(std::uint64_t now_ps) const = 0;
  // From now on, note what the run touches (and its state before the first touch).
  virtual void BeginRecord() = 0;
  // Stops noting; the run's part, times relative to `start_ps` (when the run began).
  virtual std::unique_ptr<ReplayPart> EndRecord(std::uint64_t start_ps) = 0;
  // The recorded run would see the same outcome of every access from the present state.
  virtual bool Matches(const ReplayPart& part) const = 0;
  // Changes the state as the recorded run did, the run starting at `start_ps`.
  virtual void Apply(const ReplayPart& part, std::uint64_t start_ps) = 0;
};

}  // namespace pjsim
