#include "sim/config/plugin_key.h"

#include <cstdint>

#include "sim/config/yaml_reader.h"

namespace pjsim {

static_assert(kPluginKeyMax == static_cast<double>(ConfigMap::kMaxInt));

PluginParams ReadPluginKeys(ConfigMap& map, const std::vector<PluginKey>& chosen,
                            const std::vector<const std::vector<PluginKey>*>& all) {
  PluginParams params;
  const auto read = [&](const PluginKey& k, bool required) {
    if (k.integer) {
      const auto min = static_cast<std::int64_t>(k.min), max = static_cast<std::int64_t>(k.max);
      const auto fallback = static_cast<std::int64_t>(k.fallback.value_or(0));
      params[k.name] = static_cast<double>(required ? map.Int(k.name, min, max)
                                                    : map.IntOr(k.name, fallback, min, max));
    } else {
      params[k.name] = required ? map.Number(k.name, k.min, k.max)
                                : map.NumberOr(k.name, k.fallback.value_or(0), k.min, k.max);
    }
  };
  for (const PluginKey& k : chosen) read(k, !k.fallback.has_value());
  for (const std::vector<PluginKey>* keys : all) {
    for (const PluginKey& k : *keys) {
      if (!params.contains(k.name)) read(k, false);
    }
  }
  return params;
}

}  // namespace pjsim
