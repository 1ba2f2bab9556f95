#include "sim/report/trace_recorder.h"

#include "sim/report/json_writer.h"

namespace pjsim {

int TraceRecorder::AddTrack(const std::string& name) {
  tracks_.push_back(name);
  return static_cast<int>(tracks_.size() - 1);
}

void TraceRecorder::AddSpan(int track, int layer, std::uint64_t start_ps, std::uint64_t end_ps) {
  spans_.push_back({track, layer, start_ps, end_ps});
}

std::size_t TraceRecorder::SpansOnTracksWithPrefix(const std::string& prefix) const {
  std::size_t n = 0;
  for (const auto& s : spans_) {
    if (tracks_[static_cast<size_t>(s.track)].rfind(prefix, 0) == 0) ++n;
  }
  return n;
}

std::string TraceRecorder::ToJson(const std::vector<std::string>& layer_names) const {
  JsonWriter j;
  j.BeginObject();
  j.Field("displayTimeUnit", "ns");
  j.Key("traceEvents").BeginArray();
  for (size_t t = 0; t < tracks_.size(); ++t) {
    j.BeginObject();
    j.Field("name", "thread_name").Field("ph", "M").Field("pid", std::int64_t{0});
    j.Field("tid", static_cast<std::int64_t>(t));
    j.Key("args").BeginObject().Field("name", tracks_[t]).EndObject();
    j.EndObject();
  }
  for (const auto& s : spans_) {
    j.BeginObject();
    j.Field("name", layer_names.at(static_cast<size_t>(s.layer))).Field("ph", "X");
    j.Field("pid", std::int64_t{0}).Field("tid", static_cast<std::int64_t>(s.track));
    // Trace-event times are microseconds.
    j.Field("ts", static_cast<double>(s.start_ps) * 1e-6);
    j.Field("dur", static_cast<double>(s.end_ps - s.start_ps) * 1e-6);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.str();
}

}  // namespace pjsim
