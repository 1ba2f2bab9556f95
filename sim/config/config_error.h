#pragma once
// The one error type for bad input (YAML, JSON, CLI flags, traces). Its what() is the one-line
// message the CLI prints: "file:line:col: message" (line/col 1-based; omitted when unknown).
// The CLI maps it to exit code 2.
#include <stdexcept>
#include <string>

namespace pjsim {

struct SourceLocation {
  std::string file;  // path as the user gave it, or "<command line>"
  int line = 0;      // 1-based; 0 = unknown
  int column = 0;    // 1-based; 0 = unknown
  std::string ToString() const;
};

class ConfigError : public std::runtime_error {
 public:
  ConfigError(SourceLocation where, const std::string& message);
  const SourceLocation& where() const { return where_; }
  const std::string& message() const { return message_; }

 private:
  SourceLocation where_;
  std::string message_;
};

}  // namespace pjsim
