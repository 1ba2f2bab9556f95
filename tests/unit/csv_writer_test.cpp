// The one CSV writer (sim/report/csv.h): RFC 4180 quoting of commas, quotes, CR and LF, bytes
// beyond ASCII passed through, and every field read back unchanged by the parser.
#include <gtest/gtest.h>

#include "sim/report/csv.h"

namespace pjsim {
namespace {

TEST(CsvWriter, QuotesOnlyFieldsThatNeedIt) {
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("L0.q"), "L0.q");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("a \"q\""), "\"a \"\"q\"\"\"");
  EXPECT_EQ(CsvField("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(CsvField("lf\nhere"), "\"lf\nhere\"");
  EXPECT_EQ(CsvField(" spaced "), " spaced ");  // spaces are data (RFC 4180 2.4)
  EXPECT_EQ(CsvField("\xc3\xa9\xe5\x90\x8d"), "\xc3\xa9\xe5\x90\x8d");  // UTF-8 as is
  EXPECT_EQ(CsvRow({"a", "b,c", ""}), "a,\"b,c\",\n");
}

TEST(CsvWriter, EveryFieldReadsBack) {
  const std::vector<std::string> fields = {"plain", "a,b", "\"",          "\"\"", "x\r\ny",
                                           "\n",    ",",   "caf\xc3\xa9", "",     "end\""};
  const std::string text = CsvRow({"h"}) + CsvRow(fields) + CsvRow({"last"});
  const auto rows = ParseCsv(text, "t.csv");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1], fields);
  EXPECT_EQ(rows[2], std::vector<std::string>{"last"});
}

}  // namespace
}  // namespace pjsim
