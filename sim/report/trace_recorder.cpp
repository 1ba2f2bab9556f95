#include "sim/report/trace_recorder.h"

#include <fnmatch.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <ostream>
#include <stdexcept>

namespace pjsim {
namespace {

constexpr std::size_t kFlushBytes = std::size_t{1} << 20;
constexpr const char* kProcessNames[] = {"tiles", "DRAM channels", "NoC links", "power domains"};
// Each kind's counter: the unit that names it and is its value's key, and the factor from the
// amount per picosecond (bytes, busy ps, pJ) to that unit.
constexpr const char* kCounterUnits[] = {"", "GB/s", "util", "mW"};
constexpr double kCounterScale[] = {0, 1000.0, 1.0, 1000.0};

void AppendInt(std::string& out, std::int64_t v) {
  char s[24];
  out.append(s, std::to_chars(s, s + sizeof s, v).ptr);
}

// Trace-event times are microseconds: integer part, then up to six digits of fraction (ps).
void AppendMicros(std::string& out, std::uint64_t ps) {
  char s[32];
  out.append(s, std::to_chars(s, s + sizeof s, ps / 1000000).ptr);
  std::uint64_t frac = ps % 1000000;
  if (frac == 0) return;
  int digits = 6;
  while (frac % 10 == 0) {
    frac /= 10;
    --digits;
  }
  char f[8];
  std::snprintf(f, sizeof f, ".%0*llu", digits, static_cast<unsigned long long>(frac));
  out += f;
}

void AppendNumber(std::string& out, double v) {
  char s[32];
  out.append(s, std::to_chars(s, s + sizeof s, v, std::chars_format::general, 6).ptr);
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (const unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char e[8];
      std::snprintf(e, sizeof e, "\\u%04x", c);
      out += e;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::int64_t ParsePass(const std::string& s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0)
    throw std::invalid_argument("expects passes like 0-3,5 (non-negative integers), got '" + s +
                                "'");
  return v;
}

}  // namespace

std::vector<std::pair<std::int64_t, std::int64_t>> ParsePassRanges(const std::string& text) {
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
  std::size_t at = 0;
  for (;;) {
    const std::size_t comma = text.find(',', at);
    const std::string part = text.substr(at, comma == std::string::npos ? comma : comma - at);
    const std::size_t dash = part.find('-');
    const std::int64_t lo = ParsePass(part.substr(0, dash));
    const std::int64_t hi = dash == std::string::npos ? lo : ParsePass(part.substr(dash + 1));
    if (hi < lo) throw std::invalid_argument("expects ranges low-high, got '" + part + "'");
    ranges.emplace_back(lo, hi);
    if (comma == std::string::npos) return ranges;
    at = comma + 1;
  }
}

TraceRecorder::TraceRecorder(std::ostream& out, std::vector<std::string> layer_names,
                             std::int64_t passes, TraceOptions options)
    : out_(out), with_pass_(passes > 1), options_(std::move(options)) {
  if (options_.counter_interval_ps == 0) throw std::invalid_argument("counter interval is 0");
  for (const std::string& name : layer_names) {
    names_.push_back(JsonString(name));
    layer_wanted_.push_back(options_.layer_glob.empty() ||
                            ::fnmatch(options_.layer_glob.c_str(), name.c_str(), 0) == 0);
  }
  buf_.reserve(kFlushBytes + 4096);
  buf_ += "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[";
}

void TraceRecorder::BeginEvent() {
  if (!first_event_) buf_ += ",\n";
  first_event_ = false;
}

void TraceRecorder::Flush() {
  out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  buf_.clear();
}

int TraceRecorder::AddTrack(TrackKind kind, const std::string& name, std::int64_t sort) {
  const int k = static_cast<int>(kind);
  const std::int64_t pid = k + 1;
  if (sort < 0) sort = kind_tracks_[k];
  if (kind_tracks_[k]++ == 0) {
    BeginEvent();
    buf_ += "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":";
    AppendInt(buf_, pid);
    buf_ += ",\"args\":{\"name\":\"";
    buf_ += kProcessNames[k];
    buf_ += "\"}}";
    BeginEvent();
    buf_ += "{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":";
    AppendInt(buf_, pid);
    buf_ += ",\"args\":{\"sort_index\":";
    AppendInt(buf_, pid);
    buf_ += "}}";
    metadata_ += 2;
  }
  const int id = static_cast<int>(tracks_.size());
  tracks_.push_back({kind, JsonString(name + " " + kCounterUnits[k]), {}, 0, false});
  for (const char* key : {"thread_name", "thread_sort_index"}) {
    BeginEvent();
    buf_ += "{\"name\":\"";
    buf_ += key;
    buf_ += "\",\"ph\":\"M\",\"pid\":";
    AppendInt(buf_, pid);
    buf_ += ",\"tid\":";
    AppendInt(buf_, id);
    if (key[7] == 'n') {
      buf_ += ",\"args\":{\"name\":" + JsonString(name) + "}}";
    } else {
      buf_ += ",\"args\":{\"sort_index\":";
      AppendInt(buf_, sort);
      buf_ += "}}";
    }
    ++metadata_;
  }
  return id;
}

bool TraceRecorder::Wanted(int layer) const {
  if (!layer_wanted_[static_cast<std::size_t>(layer)]) return false;
  if (options_.passes.empty()) return true;
  for (const auto& [lo, hi] : options_.passes) {
    if (pass_ >= lo && pass_ <= hi) return true;
  }
  return false;
}

bool TraceRecorder::Reserve() {
  if (truncated_) return false;
  if (options_.max_events == 0 || spans_ + counters_ < options_.max_events) return true;
  truncated_ = true;
  if (options_.warnings) {
    *options_.warnings << "warning: trace stopped after " << options_.max_events
                       << " events (--trace-max-events); the rest of the run is not traced\n";
  }
  return false;
}

void TraceRecorder::AddSpan(int track, int layer, std::uint64_t now_ps, std::uint64_t start_ps,
                            std::uint64_t end_ps, const SpanArgs& args) {
  if (finished_ || !Wanted(layer)) return;
  const std::uint64_t interval = options_.counter_interval_ps;
  if (now_ps / interval > flushed_) FlushCounters(now_ps / interval);
  if (!Reserve()) return;
  Track& t = tracks_[static_cast<std::size_t>(track)];
  const int k = static_cast<int>(t.kind);
  BeginEvent();
  buf_ += "{\"name\":";
  buf_ += names_[static_cast<std::size_t>(layer)];
  buf_ += ",\"ph\":\"X\",\"pid\":";
  AppendInt(buf_, k + 1);
  buf_ += ",\"tid\":";
  AppendInt(buf_, track);
  buf_ += ",\"ts\":";
  AppendMicros(buf_, start_ps);
  buf_ += ",\"dur\":";
  AppendMicros(buf_, end_ps - start_ps);
  const std::size_t args_at = buf_.size();
  buf_ += ",\"args\":{";
  const std::size_t fields_at = buf_.size();
  auto field = [&](const char* key) {
    if (buf_.size() > fields_at) buf_ += ',';
    buf_ += key;
  };
  if (with_pass_) {
    field("\"p\":");
    AppendInt(buf_, pass_);
  }
  if (args.bytes >= 0) {
    field("\"B\":");
    AppendNumber(buf_, args.bytes);
  }
  if (args.m >= 0) {
    field("\"s\":\"");
    AppendInt(buf_, args.m);
    buf_ += 'x';
    AppendInt(buf_, args.k);
    buf_ += 'x';
    AppendInt(buf_, args.n);
    buf_ += '"';
  }
  if (args.elements >= 0) {
    field("\"e\":");
    AppendInt(buf_, args.elements);
  }
  if (args.access != 0) {
    field("\"a\":\"");
    buf_ += args.access;
    buf_ += '"';
  }
  if (buf_.size() == fields_at) {
    buf_.resize(args_at);  // no args: leave the object out
    buf_ += '}';
  } else {
    buf_ += "}}";
  }
  ++spans_;
  ++spans_of_[k];
  if (t.kind == TrackKind::kDram && args.bytes > 0) {
    AddToCounter(t, track, start_ps, end_ps, args.bytes);
  } else if (t.kind == TrackKind::kLink) {
    AddToCounter(t, track, start_ps, end_ps, static_cast<double>(end_ps - start_ps));
  }
  if (buf_.size() >= kFlushBytes) Flush();
}

void TraceRecorder::AddEnergy(int track, int layer, std::uint64_t now_ps, std::uint64_t start_ps,
                              std::uint64_t end_ps, double pj) {
  if (finished_ || pj == 0) return;
  const bool filtered = !options_.layer_glob.empty() || !options_.passes.empty();
  if (layer >= 0 ? !Wanted(layer) : filtered) return;
  const std::uint64_t interval = options_.counter_interval_ps;
  if (now_ps / interval > flushed_) FlushCounters(now_ps / interval);
  AddToCounter(tracks_[static_cast<std::size_t>(track)], track, start_ps, end_ps, pj);
}

// Spreads `amount` evenly over [start_ps, end_ps) into the track's intervals.
void TraceRecorder::AddToCounter(Track& t, int id, std::uint64_t start_ps, std::uint64_t end_ps,
                                 double amount) {
  const bool power = t.kind == TrackKind::kPower;
  const std::uint64_t flushed = power ? power_flushed_ : flushed_;
  const std::uint64_t interval = options_.counter_interval_ps;
  const std::uint64_t first = flushed * interval;
  start_ps = std::max(start_ps, first);  // only if a caller breaks the AddSpan contract
  end_ps = std::max(end_ps, start_ps);
  const std::uint64_t b0 = start_ps / interval;
  const std::uint64_t b1 = end_ps > start_ps ? (end_ps - 1) / interval : b0;
  if (t.buckets.size() < b1 - flushed + 1) t.buckets.resize(b1 - flushed + 1, 0.0);
  if (end_ps == start_ps) {
    t.buckets[b0 - flushed] += amount;
  } else {
    const double per_ps = amount / static_cast<double>(end_ps - start_ps);
    for (std::uint64_t b = b0; b <= b1; ++b) {
      const std::uint64_t lo = std::max(start_ps, b * interval);
      const std::uint64_t hi = std::min(end_ps, (b + 1) * interval);
      t.buckets[b - flushed] += per_ps * static_cast<double>(hi - lo);
    }
  }
  if (!t.active) {
    t.active = true;
    (power ? active_power_ : active_).push_back(id);
  }
}

// Every track's counter samples for the intervals before `before_bucket`, the power tracks'
// kPowerLag intervals behind.
void TraceRecorder::FlushCounters(std::uint64_t before_bucket) {
  FlushTracks(active_, &flushed_, before_bucket);
  if (before_bucket > power_flushed_ + kPowerLag)
    FlushTracks(active_power_, &power_flushed_, before_bucket - kPowerLag);
}

// A sample only where the value changes (a counter holds its value until the next sample).
void TraceRecorder::FlushTracks(std::vector<int>& active, std::uint64_t* flushed,
                                std::uint64_t before_bucket) {
  const auto interval = static_cast<double>(options_.counter_interval_ps);
  std::size_t keep = 0;
  for (const int id : active) {
    Track& t = tracks_[static_cast<std::size_t>(id)];
    const double scale = kCounterScale[static_cast<int>(t.kind)] / interval;
    std::uint64_t b = *flushed;
    for (; b < before_bucket && !t.buckets.empty(); ++b) {
      const double v = t.buckets.front() * scale;
      t.buckets.pop_front();
      if (v != t.written) WriteCounter(id, b, v);
    }
    if (t.buckets.empty() && b < before_bucket && t.written != 0) WriteCounter(id, b, 0);
    if (t.buckets.empty() && t.written == 0) {
      t.active = false;
    } else {
      active[keep++] = id;
    }
  }
  active.resize(keep);
  *flushed = before_bucket;
}

void TraceRecorder::WriteCounter(int id, std::uint64_t bucket, double value) {
  Track& t = tracks_[static_cast<std::size_t>(id)];
  t.written = value;  // even when not written, so that truncation ends quietly
  if (!Reserve()) return;
  BeginEvent();
  buf_ += "{\"name\":" + t.counter_name + ",\"ph\":\"C\",\"pid\":";
  AppendInt(buf_, static_cast<int>(t.kind) + 1);
  buf_ += ",\"ts\":";
  AppendMicros(buf_, bucket * options_.counter_interval_ps);
  buf_ += ",\"args\":{\"";
  buf_ += kCounterUnits[static_cast<int>(t.kind)];
  buf_ += "\":";
  AppendNumber(buf_, value);
  buf_ += "}}";
  ++counters_;
}

void TraceRecorder::Finish() {
  if (finished_) return;
  FlushTracks(active_, &flushed_, std::numeric_limits<std::uint64_t>::max());
  FlushTracks(active_power_, &power_flushed_, std::numeric_limits<std::uint64_t>::max());
  finished_ = true;
  buf_ += "]";
  if (truncated_) {
    buf_ += ",\"otherData\":{\"pjsim_truncated\":\"recording stopped after ";
    AppendInt(buf_, static_cast<std::int64_t>(options_.max_events));
    buf_ += " events (--trace-max-events)\"}";
  }
  buf_ += "}\n";
  Flush();
  out_.flush();
}

}  // namespace pjsim
