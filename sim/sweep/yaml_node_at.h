#pragma once
// Reaching a node of a loaded config document by its dotted path ("axes.0.values.2"), for the
// locations of list elements and of text inside scalars, which ConfigMap does not expose.
#include <yaml-cpp/yaml.h>

#include <string>

#include "sim/config/yaml_reader.h"

namespace pjsim::sweep {

// The node at `dotted` (map keys and list indices); an undefined node if there is none.
YAML::Node NodeAt(const ConfigDocument& doc, const std::string& dotted);

// Where the text of the scalar at `dotted` begins: past the opening quote of a quoted scalar, so
// that a column inside the text (an expression's error) lands on the right character.
SourceLocation ScalarTextStart(const ConfigDocument& doc, const std::string& dotted);

}  // namespace pjsim::sweep
