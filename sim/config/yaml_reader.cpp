#include "sim/config/yaml_reader.h"

#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include "sim/config/file_text.h"

namespace pjsim {
namespace {

SourceLocation FromMark(const std::string& file, const YAML::Mark& m) {
  if (m.line < 0) return SourceLocation{file, 0, 0};
  return SourceLocation{file, m.line + 1, m.column + 1};
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The element `part` names in the list at `list` (a --set path), or a ConfigError naming the flag.
size_t ListIndex(const YAML::Node& seq, const std::string& part, const std::string& list,
                 const std::string& flag) {
  const std::optional<size_t> index = ParseSequenceIndex(part);
  if (!index || *index >= seq.size()) {
    throw ConfigError({"<command line>", 0, 0}, flag + ": '" + part + "' is not an index of '" +
                                                    list + "' (" + std::to_string(seq.size()) +
                                                    " elements)");
  }
  return *index;
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::optional<size_t> ParseSequenceIndex(std::string_view text) {
  size_t index = 0;
  const char* end = text.data() + text.size();
  if (text.empty() || text.front() == '+' || text.front() == '-') return std::nullopt;
  const auto [ptr, ec] = std::from_chars(text.data(), end, index);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return index;
}

std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const size_t d = EditDistance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string YamlErrorText(const YAML::Exception& e) {
  if (const auto* deep = dynamic_cast<const YAML::DeepRecursion*>(&e)) {
    return "collections nest " + std::to_string(deep->depth()) +
           " levels deep, past the parser's limit";
  }
  return e.msg;
}

// ---- ConfigDocument ----

std::shared_ptr<ConfigDocument> ConfigDocument::Load(const std::string& path) {
  return Parse(ReadInputFile(path), path);
}

std::shared_ptr<const ConfigDocument> ConfigDocument::LoadShared(const std::string& path) {
  struct Parsed {
    std::string text;
    std::shared_ptr<const ConfigDocument> doc;
  };
  // Per thread: yaml-cpp's reads of a non-const tree are not thread-safe (they add placeholder
  // entries), so a document is never shared between threads.
  thread_local std::map<std::string, Parsed> parsed;  // by path
  // A process that reads many distinct files (generated configurations) keeps a few at a time.
  constexpr size_t kKept = 64;
  std::string text = ReadInputFile(path);
  if (parsed.size() >= kKept && !parsed.count(path)) parsed.clear();
  Parsed& p = parsed[path];
  if (!p.doc || p.text != text) {
    p.doc = Parse(text, path);  // a syntax error throws before anything is kept
    p.text = std::move(text);
  }
  return p.doc;
}

std::shared_ptr<ConfigDocument> ConfigDocument::Parse(const std::string& text,
                                                      const std::string& name) {
  auto doc = std::make_shared<ConfigDocument>();
  doc->file_ = name;
  try {
    doc->root_ = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(FromMark(name, e.mark), "YAML syntax error: " + YamlErrorText(e));
  }
  if (!doc->root_.IsMap()) {
    throw ConfigError(FromMark(name, doc->root_.Mark()),
                      doc->root_.IsNull() ? "file is empty (expected a YAML mapping)"
                                          : "expected a YAML mapping at the top level");
  }
  return doc;
}

void ConfigDocument::Override(const std::string& dotted_key, const std::string& value_text,
                              const std::string& flag) {
  YAML::Node value;
  try {
    value = YAML::Load(value_text);
  } catch (const YAML::Exception& e) {
    throw ConfigError({"<command line>", 0, 0}, flag + ": cannot parse value: " + YamlErrorText(e));
  }
  std::vector<std::string> parts;
  std::stringstream ss(dotted_key);
  for (std::string part; std::getline(ss, part, '.');) {
    if (part.empty()) throw ConfigError({"<command line>", 0, 0}, flag + ": empty key segment");
    parts.push_back(part);
  }
  if (parts.empty()) throw ConfigError({"<command line>", 0, 0}, flag + ": empty key");
  // Walk with explicit node handles: yaml-cpp's operator[] on a non-const node inserts.
  std::vector<YAML::Node> chain{root_};
  std::string path;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    YAML::Node cur = chain.back();
    const std::string list = path;
    path += (path.empty() ? "" : ".") + parts[i];
    YAML::Node next;
    if (cur.IsSequence()) {
      next = cur[ListIndex(cur, parts[i], list, flag)];
    } else if (cur.IsMap() && cur[parts[i]]) {
      next = cur[parts[i]];
    } else if (cur.IsMap() || cur.IsNull()) {
      cur[parts[i]] = YAML::Node(YAML::NodeType::Map);
      next = cur[parts[i]];
      override_flags_[path] = flag;
    } else {
      throw ConfigError({"<command line>", 0, 0},
                        flag + ": '" + path + "' is a value, not a mapping");
    }
    chain.push_back(next);
  }
  YAML::Node parent = chain.back();
  const std::string& last = parts.back();
  if (parent.IsScalar()) {
    throw ConfigError({"<command line>", 0, 0},
                      flag + ": '" + path + "' is a value, not a mapping");
  }
  if (parent.IsSequence()) {
    parent[ListIndex(parent, last, path, flag)] = value;
  } else {
    parent[last] = value;
  }
  override_flags_[dotted_key] = flag;
}

SourceLocation ConfigDocument::Locate(const YAML::Node& node,
                                      const std::string& dotted_path) const {
  if (auto it = override_flags_.find(dotted_path); it != override_flags_.end()) {
    return SourceLocation{it->second, 0, 0};
  }
  return FromMark(file_, node.Mark());
}

// ---- ConfigMap ----

ConfigMap::ConfigMap(std::shared_ptr<const ConfigDocument> doc, YAML::Node node, std::string path)
    : doc_(std::move(doc)),
      node_(std::move(node)),
      path_(std::move(path)),
      known_(std::make_shared<std::set<std::string>>()) {}

ConfigMap ConfigMap::Root(const std::shared_ptr<const ConfigDocument>& doc) {
  return ConfigMap(doc, doc->root(), "");
}

std::string ConfigMap::Child(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

SourceLocation ConfigMap::Where() const { return doc_->Locate(node_, path_); }

SourceLocation ConfigMap::WhereKey(const std::string& key) const {
  const YAML::Node& n = node_;
  if (const auto v = n[key]) return doc_->Locate(v, Child(key));
  return Where();
}

void ConfigMap::Fail(const std::string& key, const std::string& message) const {
  throw ConfigError(WhereKey(key), "'" + Child(key) + "': " + message);
}

void ConfigMap::FailHere(const std::string& message) const {
  throw ConfigError(Where(), (path_.empty() ? std::string("") : "'" + path_ + "': ") + message);
}

bool ConfigMap::Has(const std::string& key) {
  known_->insert(key);
  const YAML::Node& n = node_;
  return static_cast<bool>(n[key]) && !n[key].IsNull();
}

YAML::Node ConfigMap::Get(const std::string& key) {
  known_->insert(key);
  const YAML::Node& n = node_;
  YAML::Node v = n[key];
  if (!v || v.IsNull()) FailHere("missing required key '" + key + "'");
  return v;
}

std::string ConfigMap::Scalar(const std::string& key, const YAML::Node& n, const char* what) const {
  if (!n.IsScalar()) Fail(key, std::string("expected ") + what);
  return n.Scalar();
}

std::int64_t ConfigMap::Int(const std::string& key, std::int64_t min, std::int64_t max) {
  const std::string s = Scalar(key, Get(key), "an integer");
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    Fail(key, "expected an integer, got '" + s + "'");
  }
  if (v < min) Fail(key, "must be >= " + std::to_string(min) + ", got " + s);
  if (v > max) Fail(key, "must be <= " + std::to_string(max) + ", got " + s);
  return v;
}

std::int64_t ConfigMap::IntOr(const std::string& key, std::int64_t fallback, std::int64_t min,
                              std::int64_t max) {
  return Has(key) ? Int(key, min, max) : fallback;
}

double ConfigMap::Number(const std::string& key, double min, double max) {
  const std::string s = Scalar(key, Get(key), "a number");
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) {
    Fail(key, "expected a number, got '" + s + "'");
  }
  if (v < min || v > max) {
    std::ostringstream range;
    range << "must be in [" << min << ", " << max << "], got " << s;
    Fail(key, range.str());
  }
  return v;
}

double ConfigMap::NumberOr(const std::string& key, double fallback, double min, double max) {
  return Has(key) ? Number(key, min, max) : fallback;
}

bool ConfigMap::Bool(const std::string& key) {
  const std::string s = Scalar(key, Get(key), "true or false");
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  Fail(key, "expected true or false, got '" + s + "'");
}

bool ConfigMap::BoolOr(const std::string& key, bool fallback) {
  return Has(key) ? Bool(key) : fallback;
}

std::string ConfigMap::String(const std::string& key) { return Scalar(key, Get(key), "a string"); }

std::string ConfigMap::StringOr(const std::string& key, const std::string& fallback) {
  return Has(key) ? String(key) : fallback;
}

std::string ConfigMap::Choice(const std::string& key, const std::vector<std::string>& choices) {
  const std::string s = String(key);
  if (std::find(choices.begin(), choices.end(), s) != choices.end()) return s;
  const std::string guess = DidYouMean(s, choices);
  Fail(key, "unknown value '" + s + "'" +
                (guess.empty() ? "" : " (did you mean '" + guess + "'?)") +
                "; expected one of: " + Join(choices));
}

std::string ConfigMap::ChoiceOr(const std::string& key, const std::string& fallback,
                                const std::vector<std::string>& choices) {
  return Has(key) ? Choice(key, choices) : fallback;
}

double ConfigMap::Quantity(const std::string& key, Dimension d, bool allow_zero) {
  const YAML::Node v = Get(key);
  const std::string s = Scalar(key, v, "a quantity with a unit");
  std::string error;
  const auto q = ParseQuantity(s, &error);
  if (!q) {
    Fail(key, error + "; expected " + std::string(DimensionName(d)) + " such as '" +
                  std::string(DimensionExample(d)) + "' (units: " + UnitsOf(d) + ")");
  }
  if (q->dimension != d) {
    Fail(key,
         "'" + s + "' is not " + std::string(DimensionName(d)) + " (units: " + UnitsOf(d) + ")");
  }
  if (q->value < 0 || (!allow_zero && q->value == 0)) {
    Fail(key, std::string("must be ") + (allow_zero ? "non-negative" : "positive") + ", got '" + s +
                  "'");
  }
  CheckRange(key, s, *q);
  return q->value;
}

void ConfigMap::CheckRange(const std::string& key, const std::string& text,
                           const pjsim::Quantity& q) const {
  const DimensionRange r = RangeOf(q.dimension);
  if (q.value >= r.min && q.value <= r.max) return;
  std::ostringstream m;
  m << "'" << text << "' is out of range: " << DimensionName(q.dimension) << " must be "
    << (q.value < r.min ? "at least " : "at most ") << (q.value < r.min ? r.min : r.max) << " "
    << BaseUnitOf(q.dimension) << " (docs/LIMITS.md)";
  Fail(key, m.str());
}

double ConfigMap::QuantityOr(const std::string& key, double fallback, Dimension d,
                             bool allow_zero) {
  return Has(key) ? Quantity(key, d, allow_zero) : fallback;
}

double ConfigMap::DurationCycles(const std::string& key, double clock_hz, bool allow_zero) {
  const std::string s = Scalar(key, Get(key), "a time such as '50 ns' or '20 cycles'");
  std::string error;
  const auto q = ParseQuantity(s, &error);
  if (!q || (q->dimension != Dimension::kTime && q->dimension != Dimension::kCycles)) {
    Fail(key, (q ? "'" + s + "' is not a time" : error) +
                  "; expected a time such as '50 ns' or '20 cycles'");
  }
  if (q->value < 0 || (!allow_zero && q->value == 0)) {
    Fail(key, std::string("must be ") + (allow_zero ? "non-negative" : "positive"));
  }
  CheckRange(key, s, *q);
  const double cycles = q->dimension == Dimension::kCycles ? q->value : q->value * clock_hz;
  if (cycles > kMaxDurationCycles) {
    std::ostringstream m;
    m << "'" << s << "' is " << cycles << " cycles; at most " << kMaxDurationCycles
      << " (docs/LIMITS.md)";
    Fail(key, m.str());
  }
  return cycles;
}

ConfigMap ConfigMap::Map(const std::string& key) {
  YAML::Node v = Get(key);
  if (!v.IsMap()) Fail(key, "expected a mapping");
  return ConfigMap(doc_, v, Child(key));
}

std::optional<ConfigMap> ConfigMap::MapIf(const std::string& key) {
  if (!Has(key)) return std::nullopt;
  return Map(key);
}

std::vector<ConfigMap> ConfigMap::MapList(const std::string& key) {
  YAML::Node v = Get(key);
  if (!v.IsSequence()) Fail(key, "expected a list");
  std::vector<ConfigMap> out;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string child = Child(key) + "." + std::to_string(i);
    if (!v[i].IsMap()) {
      throw ConfigError(doc_->Locate(v[i], child), "'" + child + "': expected a mapping");
    }
    out.emplace_back(doc_, v[i], child);
  }
  return out;
}

std::vector<std::int64_t> ConfigMap::IntList(const std::string& key, std::int64_t min) {
  YAML::Node v = Get(key);
  if (!v.IsSequence()) Fail(key, "expected a list of integers");
  std::vector<std::int64_t> out;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string child = Child(key) + "." + std::to_string(i);
    std::int64_t x = 0;
    const std::string s = v[i].IsScalar() ? v[i].Scalar() : "";
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || x < min) {
      throw ConfigError(doc_->Locate(v[i], child),
                        "'" + child + "': expected an integer >= " + std::to_string(min));
    }
    out.push_back(x);
  }
  return out;
}

std::vector<std::string> ConfigMap::StringList(const std::string& key) {
  YAML::Node v = Get(key);
  if (!v.IsSequence()) Fail(key, "expected a list of strings");
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].IsScalar()) {
      const std::string child = Child(key) + "." + std::to_string(i);
      throw ConfigError(doc_->Locate(v[i], child), "'" + child + "': expected a string");
    }
    out.push_back(v[i].Scalar());
  }
  return out;
}

std::vector<std::string> ConfigMap::Keys() {
  std::vector<std::string> out;
  for (auto it = node_.begin(); it != node_.end(); ++it) out.push_back(it->first.Scalar());
  return out;
}

void ConfigMap::Finish() {
  std::vector<std::string> known(known_->begin(), known_->end());
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const std::string key = it->first.Scalar();
    if (known_->count(key)) continue;
    const std::string guess = DidYouMean(key, known);
    throw ConfigError(doc_->Locate(it->first, Child(key)),
                      "unknown key '" + Child(key) + "'" +
                          (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
  }
}

}  // namespace pjsim
