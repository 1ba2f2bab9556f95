#pragma once
// A registry of plug-in implementations chosen by name from YAML (tile kinds, DRAM models, NoC
// models, gating policies, MoE routing sources), after Ramulator 2.0's factories: an
// implementation is one file that adds its entry from a static initialiser,
//
//   namespace { const bool kRegistered = TileKindRegistry().Add({.name = "int8_mac", ...}); }
//
// and the config reader, `--help`, error did-you-means and the README's lists all read the
// registry. The folder holding such files is a PLUGINS layer (cmake/layers.cmake): programs link
// it whole, so no registration is dropped by the linker.
//
// An Entry is any struct with `std::string name` and `std::string summary` (one line for --help
// and the docs). Entries are kept sorted by name, so every listing is deterministic whatever the
// order of static initialisation.
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/yaml_reader.h"  // DidYouMean

namespace pjsim {

template <class Entry>
class Registry {
 public:
  // `what` names the family in messages ("tile kind", "DRAM model").
  explicit Registry(std::string what) : what_(std::move(what)) {}

  // Adds an entry; returns true so that it can initialise a namespace-scope constant. Two
  // entries with one name are a programming error.
  bool Add(Entry entry) {
    const std::string name = entry.name;
    if (name.empty()) throw std::logic_error(what_ + " registered without a name");
    if (!entries_.emplace(name, std::move(entry)).second)
      throw std::logic_error(what_ + " '" + name + "' registered twice");
    return true;
  }

  const Entry* Find(std::string_view name) const {
    const auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
  }

  // The entry named `name`; throws std::invalid_argument naming the known ones (and the closest).
  const Entry& Get(std::string_view name) const {
    if (const Entry* e = Find(name)) return *e;
    const std::string guess = DidYouMean(std::string(name), Names());
    std::string known;
    for (const std::string& n : Names()) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown " + what_ + " '" + std::string(name) + "'" +
                                (guess.empty() ? "" : " (did you mean '" + guess + "'?)") +
                                "; known: " + known);
  }

  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& [name, entry] : entries_) names.push_back(name);
    return names;
  }

  std::vector<const Entry*> Entries() const {
    std::vector<const Entry*> out;
    for (const auto& [name, entry] : entries_) out.push_back(&entry);
    return out;
  }

  const std::string& what() const { return what_; }

 private:
  std::string what_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace pjsim
