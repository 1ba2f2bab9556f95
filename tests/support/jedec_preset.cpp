#include "jedec_preset.h"

#include "sim/config/yaml_reader.h"
#include "test_paths.h"

namespace pjsim::test {

JedecParams JedecPreset(const std::string& name,
                        const std::vector<std::pair<std::string, std::string>>& sets) {
  auto doc = ConfigDocument::Load(SourceDir() + "/configs/dram/" + name + ".yaml");
  for (const auto& [key, value] : sets) doc->Override(key, value, "--set " + key + "=" + value);
  ConfigMap root = ConfigMap::Root(doc);
  const JedecParams p = *ReadJedecParams(root);
  root.Finish();
  return p;
}

}  // namespace pjsim::test
