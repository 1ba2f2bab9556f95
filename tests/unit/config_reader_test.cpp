// Strict config reading: units, unknown keys, types, ranges and --set overrides, each with the
// file:line:col the user must fix.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "config_error_text.h"
#include "sim/config/units.h"
#include "sim/config/yaml_reader.h"

namespace pjsim {
namespace {

using test::ErrorOf;

TEST(Units, ParsesAndConvertsToBaseUnits) {
  std::string err;
  EXPECT_DOUBLE_EQ(ParseQuantity("0.03 pJ", &err)->value, 0.03);
  EXPECT_DOUBLE_EQ(ParseQuantity("1.3nJ", &err)->value, 1300);
  EXPECT_DOUBLE_EQ(ParseQuantity("256 KiB", &err)->value, 262144);
  EXPECT_DOUBLE_EQ(ParseQuantity("25.6 GB/s", &err)->value, 25.6e9);
  EXPECT_DOUBLE_EQ(ParseQuantity("40 fJ/bit/mm", &err)->value, 0.04);
  EXPECT_DOUBLE_EQ(ParseQuantity("64 bit", &err)->value, 8);
  EXPECT_EQ(ParseQuantity("1 GHz", &err)->dimension, Dimension::kFrequency);
  EXPECT_FALSE(ParseQuantity("12", &err));
  EXPECT_NE(err.find("no unit"), std::string::npos);
  EXPECT_FALSE(ParseQuantity("3 parsecs", &err));
  EXPECT_NE(err.find("unknown unit 'parsecs'"), std::string::npos);
}

TEST(ConfigReader, UnknownKeyNamesLineColumnAndSuggestion) {
  auto doc = ConfigDocument::Parse("tile:\n  rows: 4\n  colz: 8\n", "arch.yaml");
  ConfigMap root = ConfigMap::Root(doc);
  ConfigMap tile = root.Map("tile");
  tile.Int("rows");
  tile.IntOr("cols", 1);
  EXPECT_EQ(ErrorOf([&] { tile.Finish(); }),
            "arch.yaml:3:3: unknown key 'tile.colz' (did you mean 'cols'?)");
}

TEST(ConfigReader, MissingWrongTypeNonPositiveAndBadUnit) {
  auto doc = ConfigDocument::Parse("a: x\nb: -2\nc: 5 parsec\nd: 5 GHz\n", "f.yaml");
  ConfigMap m = ConfigMap::Root(doc);
  EXPECT_EQ(ErrorOf([&] { m.Int("missing"); }), "f.yaml:1:1: missing required key 'missing'");
  EXPECT_EQ(ErrorOf([&] { m.Int("a"); }), "f.yaml:1:4: 'a': expected an integer, got 'x'");
  EXPECT_EQ(ErrorOf([&] { m.Int("b"); }), "f.yaml:2:4: 'b': must be >= 1, got -2");
  EXPECT_NE(
      ErrorOf([&] { m.Quantity("c", Dimension::kTime); }).find("f.yaml:3:4: 'c': unknown unit"),
      std::string::npos);
  EXPECT_NE(ErrorOf([&] { m.Quantity("d", Dimension::kTime); }).find("'d': '5 GHz' is not a time"),
            std::string::npos);
}

TEST(ConfigReader, ChoiceSuggestsClosestValue) {
  auto doc = ConfigDocument::Parse("kind: int8_mca\n", "f.yaml");
  ConfigMap m = ConfigMap::Root(doc);
  EXPECT_NE(ErrorOf([&] {
              m.Choice("kind", {"int8_mac", "fp16_mac"});
            }).find("did you mean 'int8_mac'?"),
            std::string::npos);
}

TEST(ConfigReader, OverrideReplacesValueAndIsNamedInErrors) {
  auto doc = ConfigDocument::Parse("tile:\n  rows: 4\n", "f.yaml");
  doc->Override("tile.rows", "64", "--set arch.tile.rows=64");
  ConfigMap tile = ConfigMap::Root(doc).Map("tile");
  EXPECT_EQ(tile.Int("rows"), 64);
  doc->Override("tile.rows", "0", "--set arch.tile.rows=0");
  ConfigMap again = ConfigMap::Root(doc).Map("tile");
  EXPECT_EQ(ErrorOf([&] { again.Int("rows"); }),
            "--set arch.tile.rows=0: 'tile.rows': must be >= 1, got 0");
}

// A list index in a --set path is digits that fit size_t; anything else is a ConfigError naming
// the flag (an index past size_t used to escape as std::out_of_range from stoul).
TEST(ConfigReader, OverrideIndicesAreCheckedNotThrownThrough) {
  auto doc = ConfigDocument::Parse("layers:\n  - {m: 1}\n  - {m: 2}\n", "w.yaml");
  doc->Override("layers.1.m", "7", "--set workload.layers.1.m=7");
  EXPECT_EQ(ConfigMap::Root(doc).MapList("layers")[1].Int("m"), 7);
  const std::string huge = "99999999999999999999999";
  EXPECT_EQ(ErrorOf([&] { doc->Override("layers." + huge + ".m", "1", "--set F"); }),
            "<command line>: --set F: '" + huge + "' is not an index of 'layers' (2 elements)");
  EXPECT_EQ(ErrorOf([&] { doc->Override("layers.2.m", "1", "--set F"); }),
            "<command line>: --set F: '2' is not an index of 'layers' (2 elements)");
  auto list = ConfigDocument::Parse("values: [1, 2]\n", "s.yaml");
  EXPECT_EQ(ErrorOf([&] { list->Override("values." + huge, "1", "--set G"); }),
            "<command line>: --set G: '" + huge + "' is not an index of 'values' (2 elements)");
  EXPECT_EQ(ErrorOf([&] { list->Override("values.-1", "1", "--set G"); }),
            "<command line>: --set G: '-1' is not an index of 'values' (2 elements)");
  EXPECT_EQ(ParseSequenceIndex("12"), 12u);
  EXPECT_EQ(ParseSequenceIndex(huge), std::nullopt);
  EXPECT_EQ(ParseSequenceIndex("+1"), std::nullopt);
  EXPECT_EQ(ParseSequenceIndex("1a"), std::nullopt);
  EXPECT_EQ(ParseSequenceIndex(""), std::nullopt);
}

TEST(ConfigReader, SyntaxErrorAndEmptyFile) {
  EXPECT_NE(ErrorOf([] { ConfigDocument::Parse("a: [1, 2\n", "bad.yaml"); }).find("bad.yaml:"),
            std::string::npos);
  EXPECT_EQ(ErrorOf([] { ConfigDocument::Parse("", "empty.yaml"); }),
            "empty.yaml: file is empty (expected a YAML mapping)");
  EXPECT_EQ(ErrorOf([] { ConfigDocument::Load("/nonexistent/x.yaml"); }),
            "/nonexistent/x.yaml: no such file");
}

// A shared document is parsed once while its file's text stays the same, is parsed again when the
// text changes, and still lets every reader find the keys nobody asked for (the bookkeeping is the
// reader's, not the document's).
TEST(ConfigReader, SharedDocumentFollowsItsFileAndKeepsReadersStrict) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("pjsim_shared_doc_" + std::to_string(::getpid()) + ".yaml");
  const auto write = [&](const std::string& text) { std::ofstream(path) << text; };
  write("rows: 4\ncolz: 8\n");
  const auto first = ConfigDocument::LoadShared(path.string());
  EXPECT_EQ(ConfigDocument::LoadShared(path.string()), first);
  for (int reader = 0; reader < 2; ++reader) {
    ConfigMap root = ConfigMap::Root(ConfigDocument::LoadShared(path.string()));
    EXPECT_EQ(root.Int("rows"), 4);
    EXPECT_EQ(ErrorOf([&] { root.Finish(); }), path.string() + ":2:1: unknown key 'colz'")
        << "reader " << reader;
  }
  write("rows: 16\n");
  const auto second = ConfigDocument::LoadShared(path.string());
  EXPECT_NE(second, first);
  EXPECT_EQ(ConfigMap::Root(second).Int("rows"), 16);
  write("rows: [16\n");
  EXPECT_NE(ErrorOf([&] { ConfigDocument::LoadShared(path.string()); }).find("YAML syntax error"),
            std::string::npos);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace pjsim
