#pragma once
// Timeline of a run for Chrome's trace viewer / Perfetto (trace-event JSON, "X" complete
// events): one track per tile (one event per tile task), per DRAM channel (one per transaction)
// and per NoC link (one per transfer crossing it). Recording is off unless a trace is requested.
#include <cstdint>
#include <string>
#include <vector>

namespace pjsim {

class TraceRecorder {
 public:
  // Tracks are numbered in the order they are declared; names appear in the viewer.
  int AddTrack(const std::string& name);
  void AddSpan(int track, int layer, std::uint64_t start_ps, std::uint64_t end_ps);
  // Chrome trace-event JSON; `layer_names` label the spans.
  std::string ToJson(const std::vector<std::string>& layer_names) const;
  std::size_t span_count() const { return spans_.size(); }
  std::size_t SpansOnTracksWithPrefix(const std::string& prefix) const;

 private:
  struct Span {
    int track;
    int layer;
    std::uint64_t start_ps;
    std::uint64_t end_ps;
  };
  std::vector<std::string> tracks_;
  std::vector<Span> spans_;
};

}  // namespace pjsim
