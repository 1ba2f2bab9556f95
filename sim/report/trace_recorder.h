#pragma once
// Timeline of a run for Perfetto and chrome://tracing (trace-event JSON), streamed to an output
// stream as the simulation runs, so memory stays bounded whatever the model: a few buffers and
// one entry per track. Three processes (tiles, DRAM channels, NoC links) with one named thread per
// tile, channel and link; one "X" event per tile task, DRAM transaction and NoC link crossing,
// named by its layer, with its pass, bytes or task shape as args; and "C" counter tracks sampled
// at a fixed interval: DRAM bandwidth per channel and NoC link utilisation from those same
// events, and power per power domain from the energy charged to it (a fourth process).
// Recording is off unless a trace is requested. Format: docs/TRACES.md.
#include <cstdint>
#include <deque>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace pjsim {

// One trace process each, in this order. Power tracks are counters only.
enum class TrackKind { kTile, kDram, kLink, kPower };

struct TraceOptions {
  std::string layer_glob;  // fnmatch(3) glob over layer names; empty: every layer
  // Inclusive pass ranges (ParsePassRanges); empty: every pass.
  std::vector<std::pair<std::int64_t, std::int64_t>> passes;
  std::uint64_t max_events = 0;                 // "X" + "C" events; 0: no limit
  std::uint64_t counter_interval_ps = 1000000;  // counter sampling interval (1 us)
  std::ostream* warnings = nullptr;             // told once when max_events stops the recording
};

// "0-3,5" -> {{0,3},{5,5}}; throws std::invalid_argument with a one-line reason.
std::vector<std::pair<std::int64_t, std::int64_t>> ParsePassRanges(const std::string& text);

// What an event says beyond its layer and pass; negative fields are left out.
struct SpanArgs {
  double bytes = -1;
  std::int64_t m = -1, k = -1, n = -1;  // a GEMM task's shape
  std::int64_t elements = -1;           // a vector task's outputs
  char access = 0;                      // DRAM: 'r' or 'w'
};

class TraceRecorder {
 public:
  // Starts the JSON document; `out` receives it in 1 MB writes. `passes` > 1 adds the pass
  // index to every event. Throws std::invalid_argument for a zero counter interval.
  TraceRecorder(std::ostream& out, std::vector<std::string> layer_names, std::int64_t passes,
                TraceOptions options = {});
  TraceRecorder(const TraceRecorder&) = delete;
  TraceRecorder& operator=(const TraceRecorder&) = delete;

  // A thread of process `kind`, shown in `sort` order within it (negative: in the order added);
  // tracks may be added any time.
  int AddTrack(TrackKind kind, const std::string& name, std::int64_t sort = -1);
  void BeginPass(std::int64_t pass) { pass_ = pass; }
  // A span of `track` from `start_ps` to `end_ps`, recorded at simulated time `now_ps` (never
  // after `start_ps`: every span lies in the simulated present or future, which lets the counters
  // close the intervals before `now_ps`). Dropped if the filters exclude it.
  void AddSpan(int track, int layer, std::uint64_t now_ps, std::uint64_t start_ps,
               std::uint64_t end_ps, const SpanArgs& args = {});
  // `pj` of energy spent by power track `track` over [start_ps, end_ps) (evenly; at once if
  // they are equal), charged to `layer` (-1: to no layer, kept only when no filter is set) at
  // simulated time `now_ps`. Unlike spans it may lie in the past: power counters are written
  // kPowerLag intervals behind the others, and what lies before the written part is added to
  // the first interval not yet written (the energy is kept, its time shifted).
  void AddEnergy(int track, int layer, std::uint64_t now_ps, std::uint64_t start_ps,
                 std::uint64_t end_ps, double pj);
  static constexpr std::uint64_t kPowerLag = 1024;
  // Writes the remaining counter samples and closes the document; no span may follow.
  void Finish();

  std::uint64_t span_count() const { return spans_; }         // "X" events written
  std::uint64_t counter_count() const { return counters_; }   // "C" events written
  std::uint64_t metadata_count() const { return metadata_; }  // "M" events written
  std::uint64_t SpansOf(TrackKind kind) const { return spans_of_[static_cast<int>(kind)]; }
  bool truncated() const { return truncated_; }

 private:
  struct Track {
    TrackKind kind;
    std::string counter_name;    // JSON string: the thread's name and the counter's unit
    std::deque<double> buckets;  // counter amount per interval from flushed_ on
    double written = 0;          // last counter value written
    bool active = false;         // in active_ (has buckets or a nonzero value to close)
  };
  bool Wanted(int layer) const;
  bool Reserve();  // false once max_events is reached
  void AddToCounter(Track& t, int id, std::uint64_t start_ps, std::uint64_t end_ps, double rate);
  // Writes the counters of `active` for their intervals from `*flushed` to `before_bucket`.
  void FlushTracks(std::vector<int>& active, std::uint64_t* flushed, std::uint64_t before_bucket);
  void FlushCounters(std::uint64_t before_bucket);
  void WriteCounter(int id, std::uint64_t bucket, double value);
  void BeginEvent();
  void Flush();

  std::ostream& out_;
  std::string buf_;
  std::vector<std::string> names_;  // JSON-escaped layer names
  std::vector<bool> layer_wanted_;
  bool with_pass_;
  TraceOptions options_;
  std::vector<Track> tracks_;
  std::int64_t kind_tracks_[4] = {0, 0, 0, 0};  // tracks added per kind
  std::vector<int> active_;                     // span tracks with counter state to flush
  std::uint64_t flushed_ = 0;        // span counters' intervals before this one are written
  std::vector<int> active_power_;    // power tracks with counter state to flush
  std::uint64_t power_flushed_ = 0;  // power counters' intervals before this one are written
  std::int64_t pass_ = 0;
  std::uint64_t spans_ = 0, counters_ = 0, metadata_ = 0;
  std::uint64_t spans_of_[4] = {0, 0, 0, 0};
  bool truncated_ = false;
  bool first_event_ = true;
  bool finished_ = false;
};

}  // namespace pjsim
