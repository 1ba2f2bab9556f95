#pragma once
// JSON as pjsim writes back what it read (the sweep store, `reprice`): reports are read as strict
// JSON into YAML nodes (LoadJson, sim/config/json_reader.h) and re-emitted through JsonWriter, so
// every number keeps its shortest round-trip text and a store rebuilt from point files is
// byte-identical to the one written as points finished.
#include <yaml-cpp/yaml.h>

#include <string>

#include "sim/report/json_writer.h"

namespace pjsim {

// Writes a node parsed from JSON: quoted scalars stay strings, plain ones become numbers, booleans
// or null.
void WriteJsonNode(const YAML::Node& node, JsonWriter& out);

// The same JSON on one line: whitespace outside strings removed (JSON Lines).
std::string CompactJson(const std::string& json);

}  // namespace pjsim
