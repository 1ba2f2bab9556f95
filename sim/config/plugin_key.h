#pragma once
// Numeric keys a plug-in reads from its YAML section (the timeout gating policy's `timeout`, a
// routing source's skew), declared in the plug-in's registry entry so that the reader, the docs
// and `pjsim list` need no list of their own.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pjsim {

class ConfigMap;
template <class Entry>
class Registry;

// The default upper bound of a plug-in key: ConfigMap::kMaxInt (checked in plugin_key.cpp).
inline constexpr double kPluginKeyMax = 1099511627776.0;

struct PluginKey {
  std::string name;                // the YAML key
  std::string summary;             // one line for `pjsim list`
  std::optional<double> fallback;  // none: required when its plug-in is chosen
  double min = 0;
  double max = kPluginKeyMax;
  bool integer = false;
};

// Key values by YAML name.
using PluginParams = std::map<std::string, double, std::less<>>;

// Reads `chosen` (the chosen plug-in's keys) as declared and every key of `all` (every registered
// plug-in's) not among them as optional: a sweep may zip a policy with a key only some policies
// read. An absent optional key takes its fallback, or 0.
PluginParams ReadPluginKeys(ConfigMap& map, const std::vector<PluginKey>& chosen,
                            const std::vector<const std::vector<PluginKey>*>& all);

// The same for a registry whose entries have `keys`.
template <class Entry>
PluginParams ReadPluginKeys(ConfigMap& map, const Registry<Entry>& registry,
                            std::string_view chosen) {
  std::vector<const std::vector<PluginKey>*> all;
  for (const Entry* e : registry.Entries()) all.push_back(&e->keys);
  return ReadPluginKeys(map, registry.Get(chosen).keys, all);
}

}  // namespace pjsim
