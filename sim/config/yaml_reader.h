#pragma once
// Strict reading of one YAML mapping into typed values. Every accessor records the key as known;
// Finish() then rejects any key nobody asked for (with a did-you-mean). Every error is a
// ConfigError pointing at file:line:col of the offending key or value, or at the --set flag that
// put it there.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/config/units.h"

namespace pjsim {

// What a yaml-cpp parse error says, in the user's terms: yaml-cpp reports collections nested
// past its recursion limit (500 in Debian 12's 0.7.0) as "bad file".
std::string YamlErrorText(const YAML::Exception& e);

// A loaded YAML document plus where it came from. Overrides (--set) are applied to the tree
// before reading; values they introduced are reported as "--set key=value".
class ConfigDocument {
 public:
  // Loads `path`; a missing file or a YAML syntax error becomes a ConfigError.
  static std::shared_ptr<ConfigDocument> Load(const std::string& path);
  // Loads `path` once per process while its text stays the same, for readers that apply no
  // override: a sweep's dry run checks every point's configuration, and most points share a
  // technology table whose parse would otherwise dominate. One copy per thread.
  static std::shared_ptr<const ConfigDocument> LoadShared(const std::string& path);
  // Parses YAML text already in memory (tests, generated configs). `name` labels errors.
  static std::shared_ptr<ConfigDocument> Parse(const std::string& text, const std::string& name);

  // Sets `dotted_key` (relative to the document root, e.g. "tile.rows") to `value_text` (parsed
  // as YAML, so "64", "1 GHz", "[1, 2]" all work). `flag` is the original flag text for errors.
  void Override(const std::string& dotted_key, const std::string& value_text,
                const std::string& flag);

  const std::string& file() const { return file_; }
  YAML::Node root() const { return root_; }
  // Location of a node; for nodes created by an override, the flag that created them.
  SourceLocation Locate(const YAML::Node& node, const std::string& dotted_path) const;

 private:
  std::string file_;
  YAML::Node root_;
  std::map<std::string, std::string> override_flags_;  // dotted path -> flag text
};

// One mapping being read. Cheap to copy.
class ConfigMap {
 public:
  ConfigMap(std::shared_ptr<const ConfigDocument> doc, YAML::Node node, std::string path);
  static ConfigMap Root(const std::shared_ptr<const ConfigDocument>& doc);

  bool Has(const std::string& key);
  // Integers within [min, max]; the default max keeps sizes far from overflow in products.
  static constexpr std::int64_t kMaxInt = std::int64_t{1} << 40;
  std::int64_t Int(const std::string& key, std::int64_t min = 1, std::int64_t max = kMaxInt);
  std::int64_t IntOr(const std::string& key, std::int64_t fallback, std::int64_t min = 1,
                     std::int64_t max = kMaxInt);
  double Number(const std::string& key, double min, double max);
  double NumberOr(const std::string& key, double fallback, double min, double max);
  bool Bool(const std::string& key);
  bool BoolOr(const std::string& key, bool fallback);
  std::string String(const std::string& key);
  std::string StringOr(const std::string& key, const std::string& fallback);
  // A string that must be one of `choices`.
  std::string Choice(const std::string& key, const std::vector<std::string>& choices);
  std::string ChoiceOr(const std::string& key, const std::string& fallback,
                       const std::vector<std::string>& choices);
  // A quantity with a unit of dimension `d`, converted to the base unit; must be > 0 unless
  // `allow_zero`.
  double Quantity(const std::string& key, Dimension d, bool allow_zero = false);
  double QuantityOr(const std::string& key, double fallback, Dimension d, bool allow_zero = false);
  // A time given either in seconds-based units or in cycles; returns cycles at `clock_hz`.
  double DurationCycles(const std::string& key, double clock_hz, bool allow_zero = false);

  ConfigMap Map(const std::string& key);
  std::optional<ConfigMap> MapIf(const std::string& key);
  // A sequence of mappings.
  std::vector<ConfigMap> MapList(const std::string& key);
  std::vector<std::int64_t> IntList(const std::string& key, std::int64_t min = 0);
  std::vector<std::string> StringList(const std::string& key);
  // Keys of this mapping, in file order (for maps of named entries such as op tables).
  std::vector<std::string> Keys();
  // Rejects keys that no accessor asked for.
  void Finish();

  const std::string& path() const { return path_; }
  SourceLocation Where() const;
  SourceLocation WhereKey(const std::string& key) const;
  [[noreturn]] void Fail(const std::string& key, const std::string& message) const;
  [[noreturn]] void FailHere(const std::string& message) const;
  const ConfigDocument& document() const { return *doc_; }

 private:
  YAML::Node Get(const std::string& key);  // marks known; throws if missing
  std::string Child(const std::string& key) const;
  std::string Scalar(const std::string& key, const YAML::Node& n, const char* what) const;
  // Rejects a quantity outside RangeOf its dimension (units.h).
  void CheckRange(const std::string& key, const std::string& text, const pjsim::Quantity& q) const;

  std::shared_ptr<const ConfigDocument> doc_;
  YAML::Node node_;
  std::string path_;
  std::shared_ptr<std::set<std::string>> known_;
};

// Edit distance based suggestion: the closest of `candidates` to `word`, or "" if none is close.
std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates);

// A sequence index in a dotted key ("layers.12.m"): decimal digits only, or nullopt (not digits,
// or too large for size_t, e.g. 99999999999999999999999).
std::optional<size_t> ParseSequenceIndex(std::string_view text);

}  // namespace pjsim
