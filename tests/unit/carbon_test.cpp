// The Green Algorithms footprint (Lannelongue, Grealey & Inouye, Adv. Sci. 2021): the built-in
// table is configs/carbon/locations.yaml, the parts multiply out exactly, a location or a CPU
// preset that the table lacks and an input without a source are located errors.
#include <gtest/gtest.h>

#include <string>

#include "config_error_text.h"
#include "sim/config/config_error.h"
#include "sim/config/yaml_reader.h"
#include "sim/energy/carbon_footprint.h"
#include "sim/energy/carbon_table.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string Shipped() { return test::SourceDir() + "/configs/carbon/locations.yaml"; }

CarbonTable FromText(const std::string& text) {
  return LoadCarbonTable(ConfigMap::Root(ConfigDocument::Parse(text, "t.yaml")), "t.yaml");
}

const char* kSmall = R"(method: "m"
default_location: a
pue: {value: 1.5, source: "s"}
locations:
  a: {name: "A", g_per_kwh: 400, year: 2019, source: "s"}
  b: {name: "B", g_per_kwh: 40, year: 2020, source: "s"}
equivalents:
  tree_month: {g: 1000, source: "s"}
  car_km: {g: 200, source: "s"}
default_cpu: c
cpus:
  c: {w_per_core: 10, source: "s"}
)";

TEST(CarbonTable, BuiltInCopyIsTheShippedFile) {
  const CarbonTable built_in = LoadCarbonTableFile("");
  const CarbonTable shipped = LoadCarbonTableFile(Shipped());
  EXPECT_EQ(built_in.file, kBuiltInCarbonTable);
  ASSERT_EQ(built_in.locations.size(), shipped.locations.size());
  for (const auto& [key, l] : shipped.locations) {
    EXPECT_EQ(built_in.locations.at(key).g_per_kwh, l.g_per_kwh) << key;
    EXPECT_EQ(built_in.locations.at(key).source, l.source) << key;
  }
  EXPECT_EQ(built_in.default_location, "world");
  EXPECT_EQ(built_in.locations.at("world").g_per_kwh, 475);  // IEA 2019, the paper's default
  EXPECT_EQ(built_in.pue.value, 1.67);
  EXPECT_EQ(built_in.tree_month_g.value, 11400.0 / 12);
  EXPECT_EQ(built_in.cpu_w_per_core.at(built_in.default_cpu).value, 12.0);
  for (const auto& [key, l] : built_in.locations) {
    EXPECT_FALSE(l.source.empty()) << key;
    EXPECT_GE(l.year, 2018) << key;
  }
}

TEST(CarbonFootprint, PartsMultiplyOutExactly) {
  const CarbonInputs in = SelectCarbon(FromText(kSmall), "", std::nullopt);
  EXPECT_EQ(in.location.key, "a");
  const double joules = 7.2e6;  // 2 kWh
  const CarbonFootprint f = Footprint(in, joules);
  EXPECT_DOUBLE_EQ(f.energy_kwh, 2.0);
  EXPECT_DOUBLE_EQ(f.facility_energy_kwh, 3.0);
  EXPECT_DOUBLE_EQ(f.grams, 1200.0);
  EXPECT_DOUBLE_EQ(f.tree_months, 1.2);
  EXPECT_DOUBLE_EQ(f.car_km, 6.0);
  EXPECT_EQ(f.grams, f.energy_kwh * in.pue.value * in.location.g_per_kwh);
  // Per token: every part scales alike and multiplies back.
  const CarbonFootprint per = Scaled(f, 1.0 / 128);
  EXPECT_DOUBLE_EQ(per.grams * 128, f.grams);
  EXPECT_DOUBLE_EQ(per.tree_months * in.tree_month_g.value, per.grams);
}

TEST(CarbonFootprint, LocationAndPueSelectTheInputs) {
  const CarbonTable t = FromText(kSmall);
  const CarbonInputs b = SelectCarbon(t, "b", 1.2);
  EXPECT_EQ(b.location.g_per_kwh, 40);
  EXPECT_EQ(b.pue.value, 1.2);
  EXPECT_EQ(b.pue.source, "--pue on the command line");
  EXPECT_DOUBLE_EQ(Footprint(b, kJoulesPerKwh).grams, 48.0);
}

TEST(CarbonFootprint, UnknownLocationOrPueBelowOneIsRejected) {
  const CarbonTable t = FromText(kSmall);
  try {
    SelectCarbon(t, "bb", std::nullopt);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'b'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(SelectCarbon(t, "a", 0.9), ConfigError);
}

TEST(CarbonTable, InputWithoutSourceOrUnknownDefaultIsALocatedError) {
  std::string text = kSmall;
  text.replace(text.find("g_per_kwh: 40, year: 2020, source: \"s\""),
               std::string("g_per_kwh: 40, year: 2020, source: \"s\"").size(),
               "g_per_kwh: 40, year: 2020");
  try {
    FromText(text);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.where().line, 6) << e.what();
    EXPECT_NE(std::string(e.what()).find("source"), std::string::npos) << e.what();
  }
  std::string bad_default = kSmall;
  bad_default.replace(bad_default.find("default_location: a"), 19, "default_location: z");
  EXPECT_THROW(FromText(bad_default), ConfigError);
}

}  // namespace
}  // namespace pjsim
