#pragma once
// RFC 4180 CSV, the one writer of every CSV pjsim writes (a run's layers.csv, ops.csv and
// passes.csv, a sweep's results.csv): they are read by spreadsheets, pandas and Python's csv
// module, and layer names and error messages contain commas, quotes and line breaks. Bytes other
// than those are passed through, so UTF-8 names stay UTF-8.
#include <string>
#include <vector>

namespace pjsim {

// The field, quoted when it contains a comma, quote, CR or LF.
std::string CsvField(const std::string& value);

// One line of fields joined with commas, ending in "\n".
std::string CsvRow(const std::vector<std::string>& fields);

// Parses CSV text into rows of fields. Throws ConfigError naming `file` and the line of an
// unterminated quote.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text, const std::string& file);

}  // namespace pjsim
