#pragma once
// A small streaming JSON writer with deterministic number formatting (shortest round-trip
// representation), so identical runs give byte-identical reports.
#include <cstdint>
#include <string>
#include <vector>

namespace pjsim {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(const std::string& key);
  JsonWriter& String(const std::string& value);
  JsonWriter& Number(double value);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Bool(bool value);
  // Shorthands for "key": value.
  JsonWriter& Field(const std::string& key, const std::string& value) {
    return Key(key).String(value);
  }
  JsonWriter& Field(const std::string& key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(const std::string& key, double value) { return Key(key).Number(value); }
  JsonWriter& Field(const std::string& key, std::int64_t value) { return Key(key).Int(value); }
  JsonWriter& Field(const std::string& key, bool value) { return Key(key).Bool(value); }

  const std::string& str() const { return out_; }

 private:
  void BeforeValue();
  void Escape(const std::string& value);
  void Newline();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

// Shortest decimal text that reads back as `value` ("1e+30" style for large magnitudes).
std::string FormatNumber(double value);

}  // namespace pjsim
