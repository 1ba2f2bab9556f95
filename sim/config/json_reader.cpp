#include "sim/config/json_reader.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/config/config_error.h"
#include "sim/config/yaml_reader.h"

namespace pjsim {
namespace {

// Accepts every JSON event and keeps the first error's position (no document is built).
class JsonChecker : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& e) override {
    failed = true;
    byte = position;
    message = e.what();
    return false;
  }

  bool failed = false;
  std::size_t byte = 0;
  std::string message;
};

// The 1-based line and column of byte `offset` (the parser counts the byte it stopped at).
SourceLocation LocationOf(const std::string& text, std::size_t offset, const std::string& file) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i + 1 < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {file, line, column};
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line L,
// column C: " prefix (the location is ours).
std::string Reason(const std::string& what) {
  const std::size_t colon = what.find(": ");
  std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
  return reason;
}

int HexValue(const std::string& s, std::size_t at) {
  int v = 0;
  for (std::size_t i = at; i < at + 4; ++i) {
    const char c = s[i];
    v = v * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

void AppendUtf8(std::uint32_t code, std::string& out) {
  out += static_cast<char>(0xF0 | (code >> 18));
  out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
  out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
  out += static_cast<char>(0x80 | (code & 0x3F));
}

// Valid JSON with every surrogate-pair escape (\uD83D\uDE00) written as its UTF-8 bytes: yaml-cpp
// decodes a \u escape on its own and refuses half a pair. Only called on text already checked,
// so escapes are well formed and pairs complete.
std::string WithSurrogatePairsDecoded(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (!in_string) {
      in_string = c == '"';
      out += c;
      continue;
    }
    if (c == '"') {
      in_string = false;
      out += c;
      continue;
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (json[i + 1] == 'u' && i + 11 < json.size() && json[i + 6] == '\\' && json[i + 7] == 'u') {
      const int high = HexValue(json, i + 2);
      const int low = HexValue(json, i + 8);
      if (high >= 0xD800 && high <= 0xDBFF && low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(0x10000 + ((static_cast<std::uint32_t>(high) - 0xD800) << 10) +
                       (static_cast<std::uint32_t>(low) - 0xDC00),
                   out);
        i += 11;
        continue;
      }
    }
    out += c;  // the escape's backslash; its letter (and digits) follow as plain characters
    out += json[++i];
  }
  return out;
}

}  // namespace

YAML::Node LoadJson(const std::string& text, const std::string& file) {
  JsonChecker checker;
  nlohmann::json::sax_parse(text, &checker, nlohmann::json::input_format_t::json,
                            /*strict=*/true, /*ignore_comments=*/false);
  if (checker.failed) {
    throw ConfigError(LocationOf(text, checker.byte, file),
                      "not valid JSON: " + Reason(checker.message));
  }
  try {
    return YAML::Load(WithSurrogatePairsDecoded(text));
  } catch (const YAML::Exception& e) {
    // Valid JSON yaml-cpp cannot take (none known): said as such, at the place it stopped.
    throw ConfigError(
        {file, e.mark.line < 0 ? 0 : e.mark.line + 1, e.mark.column < 0 ? 0 : e.mark.column + 1},
        "valid JSON the reader cannot represent: " + YamlErrorText(e));
  }
}

}  // namespace pjsim
