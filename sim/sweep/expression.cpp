#include "sim/sweep/expression.h"

#include <cctype>
#include <charconv>
#include <cmath>

#include "sim/config/printable.h"
#include "sim/report/json_writer.h"

namespace pjsim::sweep {

struct Expression::Node {
  enum class Kind { kNumber, kString, kName, kNegate, kNot, kBinary };
  Kind kind = Kind::kNumber;
  double number = 0;
  std::string text;  // string literal, name, or binary operator ("+", "<=", "and", ...)
  size_t offset = 0;
  int depth = 1;  // of the subtree: evaluation and destruction recurse this deep
  std::shared_ptr<const Node> lhs, rhs;
};

namespace {

using Node = Expression::Node;
using NodePtr = std::shared_ptr<const Node>;

struct Token {
  enum class Type { kNumber, kString, kName, kOperator, kEnd };
  Type type = Type::kEnd;
  std::string text;
  double number = 0;
  size_t offset = 0;
};

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

class Parser {
 public:
  Parser(const Expression& expr, std::vector<Expression::Reference>* refs)
      : expr_(expr), text_(expr.text()), refs_(refs) {
    Tokenize();
  }

  NodePtr ParseAll() {
    if (tokens_.front().type == Token::Type::kEnd) expr_.Fail(0, "empty expression");
    NodePtr root = ParseOr();
    if (Peek().type != Token::Type::kEnd) {
      const bool cmp = IsComparison(Peek());
      expr_.Fail(Peek().offset,
                 cmp ? "comparisons do not chain; combine them with 'and'"
                     : "unexpected '" + Peek().text + "' after a complete expression");
    }
    return root;
  }

 private:
  void Tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      const char c = text_[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i;
        continue;
      }
      Token t;
      t.offset = i;
      if (IsDigit(c) || (c == '.' && i + 1 < text_.size() && IsDigit(text_[i + 1]))) {
        size_t end = i;
        while (end < text_.size() && (IsDigit(text_[end]) || text_[end] == '.')) ++end;
        if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
          size_t exp = end + 1;
          if (exp < text_.size() && (text_[exp] == '+' || text_[exp] == '-')) ++exp;
          if (exp < text_.size() && IsDigit(text_[exp])) {
            end = exp;
            while (end < text_.size() && IsDigit(text_[end])) ++end;
          }
        }
        if (end < text_.size() && IsNameChar(text_[end])) {
          expr_.Fail(i, "malformed number '" + text_.substr(i, end - i + 1) + "'");
        }
        t.type = Token::Type::kNumber;
        t.text = text_.substr(i, end - i);
        auto [ptr, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), t.number);
        if (ec != std::errc() || ptr != t.text.data() + t.text.size() || !std::isfinite(t.number)) {
          expr_.Fail(i, "malformed number '" + t.text + "'");
        }
        i = end;
      } else if (IsNameStart(c)) {
        size_t end = i;
        while (end < text_.size() && IsNameChar(text_[end])) ++end;
        while (end + 1 < text_.size() && text_[end] == '.' && IsNameChar(text_[end + 1])) {
          ++end;
          while (end < text_.size() && IsNameChar(text_[end])) ++end;
        }
        t.text = text_.substr(i, end - i);
        const bool keyword = t.text == "and" || t.text == "or" || t.text == "not";
        if (t.text == "true" || t.text == "false") {
          t.type = Token::Type::kNumber;
          t.number = t.text == "true" ? 1 : 0;
        } else {
          t.type = keyword ? Token::Type::kOperator : Token::Type::kName;
        }
        i = end;
      } else if (c == '\'' || c == '"') {
        const size_t close = text_.find(c, i + 1);
        if (close == std::string::npos) expr_.Fail(i, "unterminated string");
        t.type = Token::Type::kString;
        t.text = text_.substr(i + 1, close - i - 1);
        i = close + 1;
      } else {
        static const char* const kOperators[] = {"<=", ">=", "==", "!=", "&&", "||", "<", ">",
                                                 "+",  "-",  "*",  "/",  "(",  ")",  "!"};
        std::string op;
        for (const char* candidate : kOperators) {
          if (text_.compare(i, std::char_traits<char>::length(candidate), candidate) == 0) {
            op = candidate;
            break;
          }
        }
        if (op.empty()) {
          expr_.Fail(i, c == '=' ? "use '==' to compare"
                                 : "unexpected character '" + std::string(1, c) + "'");
        }
        i += op.size();
        t.type = Token::Type::kOperator;
        t.text = op == "&&" ? "and" : op == "||" ? "or" : op == "!" ? "not" : op;
      }
      tokens_.push_back(t);
    }
    Token end;
    end.offset = text_.size();
    tokens_.push_back(end);
  }

  const Token& Peek() const { return tokens_[pos_]; }
  bool PeekOp(const char* op) const {
    return Peek().type == Token::Type::kOperator && Peek().text == op;
  }
  static bool IsComparison(const Token& t) {
    return t.type == Token::Type::kOperator && (t.text == "<" || t.text == "<=" || t.text == ">" ||
                                                t.text == ">=" || t.text == "==" || t.text == "!=");
  }

  // Parsing, evaluation and destruction all recurse, so a hostile filter (10,000 nested
  // parentheses, 200,000 minus signs, a sum of 100,000 terms) must be refused before it can
  // overflow the stack: the parser's nesting and the tree's depth are both bounded.
  static constexpr int kMaxDepth = 256;

  void TooDeep(size_t offset) const {
    expr_.Fail(offset, "expression nests deeper than " + std::to_string(kMaxDepth) +
                           " levels (parentheses, unary operators and chained operators count)");
  }

  // Holds one level of the parser's recursion ('(', unary minus or plus, 'not').
  class Nesting {
   public:
    Nesting(Parser& p, size_t offset) : p_(p) {
      if (++p_.nesting_ > kMaxDepth) p_.TooDeep(offset);
    }
    ~Nesting() { --p_.nesting_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Parser& p_;
  };

  NodePtr WithDepth(std::shared_ptr<Node> n) const {
    n->depth = 1 + std::max(n->lhs ? n->lhs->depth : 0, n->rhs ? n->rhs->depth : 0);
    if (n->depth > kMaxDepth) TooDeep(n->offset);
    return n;
  }

  NodePtr Binary(const Token& op, NodePtr lhs, NodePtr rhs) const {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::kBinary;
    n->text = op.text;
    n->offset = op.offset;
    n->lhs = std::move(lhs);
    n->rhs = std::move(rhs);
    return WithDepth(std::move(n));
  }

  NodePtr ParseOr() {
    NodePtr lhs = ParseAnd();
    while (PeekOp("or")) {
      const Token op = tokens_[pos_++];
      lhs = Binary(op, lhs, ParseAnd());
    }
    return lhs;
  }

  NodePtr ParseAnd() {
    NodePtr lhs = ParseNot();
    while (PeekOp("and")) {
      const Token op = tokens_[pos_++];
      lhs = Binary(op, lhs, ParseNot());
    }
    return lhs;
  }

  NodePtr ParseNot() {
    if (!PeekOp("not")) return ParseComparison();
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::kNot;
    n->offset = tokens_[pos_++].offset;
    const Nesting nest(*this, n->offset);
    n->lhs = ParseNot();
    return WithDepth(std::move(n));
  }

  NodePtr ParseComparison() {
    NodePtr lhs = ParseSum();
    if (!IsComparison(Peek())) return lhs;
    const Token op = tokens_[pos_++];
    return Binary(op, lhs, ParseSum());
  }

  NodePtr ParseSum() {
    NodePtr lhs = ParseProduct();
    while (PeekOp("+") || PeekOp("-")) {
      const Token op = tokens_[pos_++];
      lhs = Binary(op, lhs, ParseProduct());
    }
    return lhs;
  }

  NodePtr ParseProduct() {
    NodePtr lhs = ParseUnary();
    while (PeekOp("*") || PeekOp("/")) {
      const Token op = tokens_[pos_++];
      lhs = Binary(op, lhs, ParseUnary());
    }
    return lhs;
  }

  NodePtr ParseUnary() {
    if (PeekOp("+")) {
      const Nesting nest(*this, tokens_[pos_++].offset);
      return ParseUnary();
    }
    if (!PeekOp("-")) return ParsePrimary();
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::kNegate;
    n->offset = tokens_[pos_++].offset;
    const Nesting nest(*this, n->offset);
    n->lhs = ParseUnary();
    return WithDepth(std::move(n));
  }

  NodePtr ParsePrimary() {
    const Token t = Peek();
    auto n = std::make_shared<Node>();
    n->offset = t.offset;
    switch (t.type) {
      case Token::Type::kNumber:
        n->kind = Node::Kind::kNumber;
        n->number = t.number;
        break;
      case Token::Type::kString:
        n->kind = Node::Kind::kString;
        n->text = t.text;
        break;
      case Token::Type::kName:
        n->kind = Node::Kind::kName;
        n->text = t.text;
        refs_->push_back({t.text, t.offset});
        break;
      case Token::Type::kOperator:
        if (t.text == "(") {
          ++pos_;
          const Nesting nest(*this, t.offset);
          NodePtr inner = ParseOr();
          if (!PeekOp(")")) {
            expr_.Fail(Peek().offset, Peek().type == Token::Type::kEnd
                                          ? "missing ')' to close the '(' at column " +
                                                std::to_string(t.offset + 1)
                                          : "expected ')' but found '" + Peek().text + "'");
          }
          ++pos_;
          return inner;
        }
        expr_.Fail(t.offset, "expected a number, a name or '(' but found '" + t.text + "'");
      case Token::Type::kEnd:
        expr_.Fail(t.offset, "unexpected end of expression");
    }
    ++pos_;
    return n;
  }

  const Expression& expr_;
  const std::string& text_;
  std::vector<Expression::Reference>* refs_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int nesting_ = 0;  // levels of Nesting held
};

const double* AsNumber(const Value& v) { return std::get_if<double>(&v); }

bool Truth(const Value& v, size_t offset) {
  if (const double* d = AsNumber(v)) return *d != 0;
  throw ExpressionError(offset, "'" + std::get<std::string>(v) + "' is a string, not a condition");
}

std::optional<Value> Eval(const Node& n, const Expression::Resolver& resolve) {
  switch (n.kind) {
    case Node::Kind::kNumber:
      return Value(n.number);
    case Node::Kind::kString:
      return Value(n.text);
    case Node::Kind::kName:
      return resolve(n.text);
    case Node::Kind::kNegate: {
      const auto v = Eval(*n.lhs, resolve);
      if (!v) return std::nullopt;
      if (const double* d = AsNumber(*v)) return Value(-*d);
      throw ExpressionError(n.offset, "cannot negate a string");
    }
    case Node::Kind::kNot: {
      const auto v = Eval(*n.lhs, resolve);
      if (!v) return std::nullopt;
      return Value(Truth(*v, n.lhs->offset) ? 0.0 : 1.0);
    }
    case Node::Kind::kBinary:
      break;
  }
  const std::string& op = n.text;
  if (op == "and" || op == "or") {
    // Short-circuit: a known left side may decide without the right one (which may be unknown).
    const bool decides = op == "or";
    const auto lhs = Eval(*n.lhs, resolve);
    if (lhs && Truth(*lhs, n.lhs->offset) == decides) return Value(decides ? 1.0 : 0.0);
    const auto rhs = Eval(*n.rhs, resolve);
    if (rhs && Truth(*rhs, n.rhs->offset) == decides) return Value(decides ? 1.0 : 0.0);
    if (!lhs || !rhs) return std::nullopt;
    return Value(decides ? 0.0 : 1.0);
  }
  const auto lhs = Eval(*n.lhs, resolve);
  const auto rhs = Eval(*n.rhs, resolve);
  if (!lhs || !rhs) return std::nullopt;
  const double* a = AsNumber(*lhs);
  const double* b = AsNumber(*rhs);
  if (op == "==" || op == "!=") {
    if ((a == nullptr) != (b == nullptr)) {
      throw ExpressionError(n.offset, "cannot compare a number with a string ('" + ValueText(*lhs) +
                                          "' " + op + " '" + ValueText(*rhs) + "')");
    }
    const bool equal = a ? *a == *b : std::get<std::string>(*lhs) == std::get<std::string>(*rhs);
    return Value((equal == (op == "==")) ? 1.0 : 0.0);
  }
  if (!a || !b) {
    const std::string& s = std::get<std::string>(a ? *rhs : *lhs);
    throw ExpressionError(n.offset, "'" + op + "' needs numbers, but '" + s + "' is a string");
  }
  if (op == "+") return Value(*a + *b);
  if (op == "-") return Value(*a - *b);
  if (op == "*") return Value(*a * *b);
  if (op == "/") return Value(*a / *b);  // x/0 is inf or nan: shown as an empty cell
  if (op == "<") return Value(*a < *b ? 1.0 : 0.0);
  if (op == "<=") return Value(*a <= *b ? 1.0 : 0.0);
  if (op == ">") return Value(*a > *b ? 1.0 : 0.0);
  return Value(*a >= *b ? 1.0 : 0.0);  // ">="
}

}  // namespace

Expression Expression::Parse(const std::string& text, const SourceLocation& where,
                             const std::string& label) {
  Expression e;
  e.text_ = text;
  e.label_ = label;
  e.where_ = where;
  Parser parser(e, &e.references_);
  e.root_ = parser.ParseAll();
  return e;
}

std::optional<Value> Expression::Evaluate(const Resolver& resolve) const {
  if (!root_) return std::nullopt;
  return Eval(*root_, resolve);
}

SourceLocation Expression::Locate(size_t offset) const {
  SourceLocation at = where_;
  if (at.line > 0 && at.column > 0) at.column += static_cast<int>(offset);
  return at;
}

void Expression::Fail(size_t offset, const std::string& message) const {
  throw ConfigError(Locate(offset), (label_.empty() ? "" : label_ + ": ") + message +
                                        " in expression '" + PrintableToken(text_, 160) + "'");
}

std::string ValueText(const Value& v) {
  if (const double* d = AsNumber(v)) {
    if (std::isfinite(*d) && std::floor(*d) == *d && std::fabs(*d) < 1e15) {
      return std::to_string(static_cast<long long>(*d));
    }
    return FormatNumber(*d);
  }
  return std::get<std::string>(v);
}

}  // namespace pjsim::sweep
