#include "sim/sweep/store_table.h"

#include <charconv>
#include <cmath>
#include <filesystem>

#include "sim/config/config_error.h"
#include "sim/config/file_text.h"
#include "sim/config/json_reader.h"
#include "sim/report/csv.h"
#include "sim/report/json_text.h"

namespace pjsim::sweep {
namespace {

namespace fs = std::filesystem;

std::string ReadStoreFile(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    throw ConfigError({path.string(), 0, 0},
                      "no such file: not a results store (make one with pjsim sweep)");
  }
  return ReadInputFile(path.string());
}

}  // namespace

int StoreTable::Column(const std::string& column) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == column) return static_cast<int>(i);
  }
  return -1;
}

std::optional<double> StoreTable::Number(size_t row, int column) const {
  if (column < 0) return std::nullopt;
  const std::string& s = Cell(row, column);
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

std::string StoreTable::Unit(const std::string& column) const {
  if (const auto it = units.find(column); it != units.end()) return it->second;
  if (column.rfind("energy_by_category.", 0) == 0) return "pJ";
  return "";
}

StoreTable ReadStoreTable(const std::string& dir) {
  StoreTable t;
  t.dir = dir;
  const fs::path manifest_path = fs::path(dir) / "sweep.json";
  const YAML::Node manifest = LoadJson(ReadStoreFile(manifest_path), manifest_path.string());
  if (!manifest.IsMap() || !manifest["axes"] || !manifest["axes"].IsSequence()) {
    throw ConfigError({manifest_path.string(), 0, 0}, "not a sweep manifest (no 'axes' list)");
  }
  t.name = manifest["name"] ? manifest["name"].Scalar() : "";
  if (manifest["points"]) {
    const std::string n = manifest["points"].Scalar();
    std::from_chars(n.data(), n.data() + n.size(), t.expected_points);
  }
  for (const auto& axis : manifest["axes"]) {
    if (!axis.IsMap() || !axis["key"]) {
      throw ConfigError({manifest_path.string(), 0, 0}, "an axis without a 'key'");
    }
    t.axis_keys.push_back(axis["key"].Scalar());
    if (axis["unit"] && !axis["unit"].Scalar().empty()) {
      t.units[t.axis_keys.back()] = axis["unit"].Scalar();
    }
  }
  for (const char* list : {"metrics", "derived"}) {
    if (!manifest[list] || !manifest[list].IsSequence()) continue;
    for (const auto& m : manifest[list]) {
      if (m.IsMap() && m["name"] && m["unit"]) t.units[m["name"].Scalar()] = m["unit"].Scalar();
    }
  }

  const fs::path csv_path = fs::path(dir) / "results.csv";
  auto rows = ParseCsv(ReadStoreFile(csv_path), csv_path.string());
  if (rows.empty()) throw ConfigError({csv_path.string(), 1, 0}, "empty: no header row");
  t.header = std::move(rows.front());
  for (const char* required : {"point", "status", "error"}) {
    if (t.Column(required) < 0) {
      throw ConfigError({csv_path.string(), 1, 0},
                        std::string("header has no '") + required + "' column");
    }
  }
  for (const auto& key : t.axis_keys) {
    if (t.Column(key) < 0) {
      throw ConfigError({csv_path.string(), 1, 0},
                        "header has no column for axis '" + key + "' named in sweep.json");
    }
  }
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() != t.header.size()) {
      throw ConfigError({csv_path.string(), static_cast<int>(r + 1), 0},
                        "row has " + std::to_string(rows[r].size()) +
                            " fields but the header has " + std::to_string(t.header.size()));
    }
    t.rows.push_back(std::move(rows[r]));
  }
  return t;
}

}  // namespace pjsim::sweep
