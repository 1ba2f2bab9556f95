// Strict JSON: what RFC 8259 allows is read (surrogate pairs included), what it forbids is an
// error at the line and column where it starts, and values keep their positions and kinds.
#include "sim/config/json_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "sim/config/config_error.h"
#include "sim/report/json_writer.h"

namespace pjsim {
namespace {

std::string ErrorOf(const std::string& text) {
  try {
    LoadJson(text, "c.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(JsonReader, SurrogatePairsDecodeToTheirCharacter) {
  const YAML::Node n =
      LoadJson(R"({"smile": "a\ud83d\ude00b", "e": "\u00e9", "q": "\"\\\/"})", "c.json");
  EXPECT_EQ(n["smile"].Scalar(),
            "a\xF0\x9F\x98\x80"
            "b");
  EXPECT_EQ(n["e"].Scalar(), "\xC3\xA9");
  EXPECT_EQ(n["q"].Scalar(), "\"\\/");
}

TEST(JsonReader, WhatJsonForbidsIsAnErrorWhereItStarts) {
  EXPECT_EQ(
      ErrorOf("{\n  \"a\": 1, // note\n  \"b\": 2\n}").rfind("c.json:2:11: not valid JSON", 0), 0u)
      << ErrorOf("{\n  \"a\": 1, // note\n  \"b\": 2\n}");
  EXPECT_EQ(ErrorOf("{\n  \"a\": 1,\n}").rfind("c.json:3:1: not valid JSON", 0), 0u)
      << ErrorOf("{\n  \"a\": 1,\n}");
  EXPECT_EQ(ErrorOf("{'a': 1}").rfind("c.json:1:2: not valid JSON", 0), 0u) << ErrorOf("{'a': 1}");
  EXPECT_EQ(ErrorOf("[1, 2,]").rfind("c.json:1:7: not valid JSON", 0), 0u) << ErrorOf("[1, 2,]");
  // 'n' could start null: the error is at the letter that rules it out.
  EXPECT_EQ(ErrorOf("{\"a\": nan}").rfind("c.json:1:8: not valid JSON", 0), 0u)
      << ErrorOf("{\"a\": nan}");
  EXPECT_NE(ErrorOf(R"({"half": "\ud83d"})"), "");   // a lone high surrogate
  EXPECT_NE(ErrorOf(R"({"half": "\ude00x"})"), "");  // a lone low surrogate
  EXPECT_NE(ErrorOf("{\"a\": 1} {"), "");            // text after the document
  EXPECT_NE(ErrorOf("{\"a\": [1, 2}"), "");
  EXPECT_NE(ErrorOf(""), "");
  // Error messages are one line.
  EXPECT_EQ(ErrorOf("{\n\"a\": tru\n}").find('\n'), std::string::npos);
}

TEST(JsonReader, PythonsNonFiniteLiteralsAreNumbersNotBareWords) {
  // Python's json module writes them and Hugging Face configs carry them.
  const YAML::Node n =
      LoadJson(R"({"limit": [0.0, Infinity, -Infinity, NaN], "s": "NaN"})", "c.json");
  EXPECT_EQ(n["limit"][1].Scalar(), "Infinity");
  EXPECT_EQ(n["limit"][2].Scalar(), "-Infinity");
  EXPECT_EQ(n["limit"][3].Scalar(), "NaN");
  EXPECT_EQ(n["s"].Tag(), "!");
  EXPECT_NE(ErrorOf(R"({"a": Infinit})"), "");
  EXPECT_NE(ErrorOf(R"({"a": NaNa})"), "");
  EXPECT_NE(ErrorOf(R"({"a": inf})"), "");
}

TEST(JsonReader, ValuesKeepTheirPositionAndKind) {
  const YAML::Node n =
      LoadJson("{\n  \"s\": \"12\",\n  \"n\": 1.5e3,\n  \"l\": [true, null]\n}", "c.json");
  EXPECT_EQ(n["n"].Mark().line, 2);  // 0-based: the third line
  EXPECT_EQ(n["n"].Scalar(), "1.5e3");
  EXPECT_EQ(n["s"].Tag(), "!");  // a JSON string stays a string
  EXPECT_NE(n["n"].Tag(), "!");
  EXPECT_TRUE(n["l"][1].IsNull());
  EXPECT_EQ(n["l"][0].Scalar(), "true");
}

TEST(JsonReader, WhatPjsimWritesReadsBackStrictlyWhateverBytesItsStringsHeld) {
  // A Latin-1 name, a cut multi-byte character, an overlong '/', a UTF-16 surrogate in UTF-8:
  // each invalid byte becomes U+FFFD; valid characters (e, a CJK character, an emoji) stay.
  const std::string valid = "\xC3\xA9 \xE6\xBC\xA2 \xF0\x9F\x98\x80";
  const std::string invalid = "caf\xE9|\xE6\xBC|\xC0\xAF|\xED\xA0\x80|\xF5\x80";
  JsonWriter j;
  j.BeginObject();
  j.Field("valid", valid);
  j.Field("invalid", invalid);
  j.EndObject();
  const YAML::Node n = LoadJson(j.str(), "w.json");
  EXPECT_EQ(n["valid"].Scalar(), valid);
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(n["invalid"].Scalar(), "caf" + fffd + "|" + fffd + fffd + "|" + fffd + fffd + "|" +
                                       fffd + fffd + fffd + "|" + fffd + fffd);
}

}  // namespace
}  // namespace pjsim
