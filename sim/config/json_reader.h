#pragma once
// Strict JSON (RFC 8259) for every file pjsim reads as JSON (Hugging Face configs, sweep point
// files and stores, reports to re-price). The text is checked by a real JSON parser (nlohmann
// json: comments, trailing commas, single quotes, bare words and lone surrogates are errors;
// surrogate pairs are valid), then returned as a YAML node tree, which is what the readers
// behind it take and which keeps each value's line and column for their own errors.
#include <yaml-cpp/yaml.h>

#include <string>

namespace pjsim {

// Throws ConfigError at file:line:col (1-based) on the first thing that is not JSON.
YAML::Node LoadJson(const std::string& text, const std::string& file);

}  // namespace pjsim
