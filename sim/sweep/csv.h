#pragma once
// RFC 4180 CSV: the store's results.csv is read by spreadsheets, pandas and Python's csv module,
// and error messages in it contain commas and quotes.
#include <string>
#include <vector>

namespace pjsim::sweep {

// The field, quoted when it contains a comma, quote, CR or LF.
std::string CsvField(const std::string& value);

// One line of fields joined with commas, ending in "\n".
std::string CsvRow(const std::vector<std::string>& fields);

// Parses CSV text into rows of fields. Throws ConfigError naming `file` and the line of an
// unterminated quote.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text, const std::string& file);

}  // namespace pjsim::sweep
