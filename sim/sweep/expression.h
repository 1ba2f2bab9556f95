#pragma once
// The expression language of sweep specs (filters and derived columns), deliberately small:
//   numbers (128, 0.5, 1e-12), strings ('hbm2e' or "hbm2e"), dotted names (arch.tile.rows,
//   total.energy_pj, energy_by_category.dram.read), + - * / with the usual precedence, unary -,
//   comparisons (< <= > >= == !=), and / or / not (also && || !), true, false, parentheses.
// Text is parsed once into a tree and evaluated per design point against names the caller
// resolves. There are no functions, assignments or calls out: nothing reaches a shell or Python.
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "sim/config/config_error.h"

namespace pjsim::sweep {

// A number or a string. Conditions are numbers: 0 is false, anything else is true.
using Value = std::variant<double, std::string>;

// A type error found while evaluating (e.g. a string in arithmetic).
class ExpressionError : public std::runtime_error {
 public:
  ExpressionError(size_t offset, const std::string& message)
      : std::runtime_error(message), offset_(offset) {}
  size_t offset() const { return offset_; }  // 0-based column in the expression text

 private:
  size_t offset_;
};

class Expression {
 public:
  struct Reference {
    std::string name;
    size_t offset;  // 0-based column in the expression text
  };
  // Looks a name up; nullopt when the point has no value for it (a failed point's metrics), which
  // makes the result unknown unless `and`/`or` can decide without it.
  using Resolver = std::function<std::optional<Value>(const std::string& name)>;

  Expression() = default;
  // Parses `text`. A syntax error is a ConfigError at `where` moved right to the offending
  // column, its message starting with `label` (e.g. "'filters.0.require'").
  static Expression Parse(const std::string& text, const SourceLocation& where,
                          const std::string& label);

  // Throws ExpressionError on a type error.
  std::optional<Value> Evaluate(const Resolver& resolve) const;

  const std::string& text() const { return text_; }
  const std::string& label() const { return label_; }
  const std::vector<Reference>& references() const { return references_; }
  // Where column `offset` of the text is in the source file.
  SourceLocation Locate(size_t offset) const;
  // A ConfigError at column `offset`, for errors found after parsing (unknown names, types).
  [[noreturn]] void Fail(size_t offset, const std::string& message) const;

  struct Node;

 private:
  std::string text_;
  std::string label_;
  SourceLocation where_;
  std::shared_ptr<const Node> root_;
  std::vector<Reference> references_;
};

// How a value reads in messages and tables: numbers in shortest form, strings as they are.
std::string ValueText(const Value& v);

}  // namespace pjsim::sweep
