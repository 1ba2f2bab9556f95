#pragma once
// A results store read back for `pjsim report`: its sweep.json (name, axes, units) and
// results.csv as a table of text cells.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pjsim::sweep {

struct StoreTable {
  std::string dir;
  std::string name;
  size_t expected_points = 0;  // the sweep's size (rows may be fewer while it runs)
  std::vector<std::string> axis_keys;
  std::map<std::string, std::string> units;  // column -> unit, where one is known
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each as wide as the header

  int Column(const std::string& column) const;  // -1 if absent
  const std::string& Cell(size_t row, int column) const {
    return rows[row][static_cast<size_t>(column)];
  }
  // The cell as a number; nullopt if empty or not numeric.
  std::optional<double> Number(size_t row, int column) const;
  std::string Unit(const std::string& column) const;
};

// Throws ConfigError naming the file (and line) when the store is missing or malformed.
StoreTable ReadStoreTable(const std::string& dir);

}  // namespace pjsim::sweep
