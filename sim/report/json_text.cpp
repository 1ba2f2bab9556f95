#include "sim/report/json_text.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace pjsim {

void WriteJsonNode(const YAML::Node& node, JsonWriter& out) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      out.BeginObject();
      for (auto it = node.begin(); it != node.end(); ++it) {
        out.Key(it->first.Scalar());
        WriteJsonNode(it->second, out);
      }
      out.EndObject();
      return;
    case YAML::NodeType::Sequence:
      out.BeginArray();
      for (const auto& element : node) WriteJsonNode(element, out);
      out.EndArray();
      return;
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() == "!") {  // a quoted scalar: a JSON string, even if it looks like a number
        out.String(s);
        return;
      }
      if (s == "true" || s == "false") {
        out.Bool(s == "true");
        return;
      }
      double v = 0;
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec == std::errc() && ptr == s.data() + s.size()) {
        out.Number(v);
      } else {
        out.String(s);
      }
      return;
    }
    default:
      // JsonWriter writes every non-finite number as null, and has no other way to say null.
      out.Number(std::numeric_limits<double>::quiet_NaN());
  }
}

std::string CompactJson(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < json.size()) {
        out += json[++i];
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      out += c;
    } else if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
      out += c;
    }
  }
  return out;
}

}  // namespace pjsim
