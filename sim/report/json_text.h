#pragma once
// JSON as pjsim reads it back (the sweep store, `reprice`): reports are read with yaml-cpp (which
// parses JSON) and re-emitted through JsonWriter, so every number keeps its shortest round-trip
// text and a store rebuilt from point files is byte-identical to the one written as points
// finished.
#include <yaml-cpp/yaml.h>

#include <string>

#include "sim/report/json_writer.h"

namespace pjsim {

// Parses JSON text. Throws ConfigError at file:line:col on a syntax error.
YAML::Node ParseJson(const std::string& text, const std::string& file);

// Writes a node parsed from JSON: quoted scalars stay strings, plain ones become numbers, booleans
// or null.
void WriteJsonNode(const YAML::Node& node, JsonWriter& out);

// The same JSON on one line: whitespace outside strings removed (JSON Lines).
std::string CompactJson(const std::string& json);

}  // namespace pjsim
