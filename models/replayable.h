#pragma once
// The part of a memory-system model a layer replay (models/layer_replay.h) needs: a model that
// implements it can say when it holds no pending work, record what a layer's run did to it
// (what the run depended on and what it changed), tell whether a recorded run would go the same
// way from its present state, and apply a recorded run's changes as if it had run again. The
// run that replays a record may be another layer's whose tensors lie elsewhere in DRAM
// (AddressMap): the model says how far tensors may move without changing what it does.
#include <cstdint>
#include <memory>
#include <vector>

namespace pjsim {

// Where a recorded run's addresses are in the run that replays it: each tensor of the recorded
// run (a DRAM region) moved by its own offset; addresses outside them stay.
class AddressMap {
 public:
  void Move(std::uint64_t base, std::uint64_t bytes, std::uint64_t to) {
    if (bytes > 0 && base != to) moves_.push_back({base, bytes, to});
  }
  bool identity() const { return moves_.empty(); }
  bool operator==(const AddressMap&) const = default;
  std::uint64_t operator()(std::uint64_t address) const {
    for (const Region& r : moves_) {
      if (address >= r.base && address - r.base < r.bytes) return address - r.base + r.to;
    }
    return address;
  }

 private:
  struct Region {
    std::uint64_t base, bytes, to;
    bool operator==(const Region&) const = default;
  };
  std::vector<Region> moves_;
};

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
  // A run whose tensors (row-aligned DRAM regions) each move by a multiple of this many bytes
  // does what it did before but for which DRAM rows it opens, renamed one to one; 0: tensors
  // may not move.
  virtual std::uint64_t MoveQuantum() const = 0;
  // From now on, note what the run touches (and its state before the first touch).
  virtual void BeginRecord() = 0;
  // Stops noting; the run's part, times relative to `start_ps` (when the run began).
  virtual std::unique_ptr<ReplayPart> EndRecord(std::uint64_t start_ps) = 0;
  // The recorded run, its addresses moved by `to`, would see the same outcome of every access
  // from the present state.
  virtual bool Matches(const ReplayPart& part, const AddressMap& to) const = 0;
  // Changes the state as the recorded run, its addresses moved by `to`, did, the run starting
  // at `start_ps`.
  virtual void Apply(const ReplayPart& part, std::uint64_t start_ps, const AddressMap& to) = 0;
  // Sampled decode (models/decode_sampler.h): applies a run of the same layer extrapolated from
  // two recorded runs `a` and `b` (b later): the state as `b` left it, times relative to
  // `start_ps`, and counts b + t x (b - a), rounded to whole counts and never below zero.
  virtual void ApplyExtrapolated(const ReplayPart& a, const ReplayPart& b, double t,
                                 std::uint64_t start_ps) = 0;
  // Sampled decode may extrapolate this component's runs (false: runs of one layer vary between
  // passes by more than a trend, e.g. with the refresh phase, and ApplyExtrapolated is not used).
  virtual bool Extrapolates() const { return true; }
};

// b + t x (b - a), never below zero (a count extrapolated past its trend's end).
inline double Extrapolate(double a, double b, double t) {
  const double x = b + t * (b - a);
  return x > 0 ? x : 0;
}

}  // namespace pjsim
