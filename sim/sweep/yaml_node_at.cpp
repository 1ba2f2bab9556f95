#include "sim/sweep/yaml_node_at.h"

#include <optional>

namespace pjsim::sweep {

YAML::Node NodeAt(const ConfigDocument& doc, const std::string& dotted) {
  YAML::Node cur = doc.root();
  size_t start = 0;
  while (true) {
    const size_t dot = dotted.find('.', start);
    const std::string part =
        dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    // Copies and reset(), never assignment: assigning a YAML::Node rebinds the node it refers
    // to, which would rewrite the document. const: operator[] on a non-const node inserts.
    const YAML::Node parent(cur);
    const std::optional<size_t> index = ParseSequenceIndex(part);
    if (parent.IsSequence() && index) {
      cur.reset(parent[*index]);
    } else if (parent.IsMap()) {
      const YAML::Node child = parent[part];
      if (!child) return YAML::Node(YAML::NodeType::Undefined);
      cur.reset(child);
    } else {
      return YAML::Node(YAML::NodeType::Undefined);
    }
    if (!cur.IsDefined() || dot == std::string::npos) return cur;
    start = dot + 1;
  }
}

SourceLocation ScalarTextStart(const ConfigDocument& doc, const std::string& dotted) {
  const YAML::Node node = NodeAt(doc, dotted);
  if (!node) return SourceLocation{doc.file(), 0, 0};
  SourceLocation at = doc.Locate(node, dotted);
  // yaml-cpp tags quoted scalars "!" (plain ones "?"); the text starts one column later.
  if (node.IsScalar() && node.Tag() == "!" && at.column > 0) ++at.column;
  return at;
}

}  // namespace pjsim::sweep
