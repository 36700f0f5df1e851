// Aligned text tables: widths in code points, alignment per column, rules.
#include "src/report/text_table.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace goalloc::report {
namespace {

TEST(TextTable, AlignsColumnsByCodePoints) {
  TextTable t({{"name", TextTable::Align::kLeft}, {"wait"}});
  t.AddRow({"mheap", "12.3 µs"});
  t.AddRow({"mcentral[3n]", "850 ns"});
  t.AddRule();
  t.AddRow({"total"});
  EXPECT_EQ(t.Render(1),
            " name             wait\n"
            " ─────────────────────\n"
            " mheap         12.3 µs\n"
            " mcentral[3n]   850 ns\n"
            " ─────────────────────\n"
            " total\n");
}

// Too wide for the room: split into tables one under the other, each repeating the key
// columns and taking as many of the rest, in order, as fit.
TEST(TextTable, SplitsIntoGroupsRepeatingTheKeyColumns) {
  TextTable t({{"class"}, {"kind", TextTable::Align::kLeft}, {"aaaa"}, {"bbbb"}, {"cccc"}}, 2);
  t.AddRow({"1", "scan", "10", "20", "30"});
  t.AddRule();
  t.AddRow({"2", "noscan", "11", "21", "31"});
  const std::string whole =
      "  class  kind    aaaa  bbbb  cccc\n"
      "  ───────────────────────────────\n"
      "      1  scan      10    20    30\n"
      "  ───────────────────────────────\n"
      "      2  noscan    11    21    31\n";
  EXPECT_EQ(t.Render(2), whole);
  EXPECT_EQ(t.Render(2, 33), whole);  // fits exactly
  EXPECT_EQ(t.Render(2, 28),
            "  class  kind    aaaa  bbbb\n"
            "  ─────────────────────────\n"
            "      1  scan      10    20\n"
            "  ─────────────────────────\n"
            "      2  noscan    11    21\n"
            "\n"
            "  class  kind    cccc\n"
            "  ───────────────────\n"
            "      1  scan      30\n"
            "  ───────────────────\n"
            "      2  noscan    31\n");
  // Room for the keys only: still one more column a group (three groups of five lines).
  const std::string narrow = t.Render(2, 5);
  EXPECT_EQ(std::count(narrow.begin(), narrow.end(), '\n'), 3 * 5 + 2);
}

TEST(WrapLine, BreaksAtSpacesWithAHangingIndent) {
  EXPECT_EQ(WrapLine("  key  one two three four", 17, 7), "  key  one two\n       three four\n");
  EXPECT_EQ(WrapLine("short line", 80, 4), "short line\n");
  EXPECT_EQ(WrapLine("averyveryverylongword next", 10, 2), "averyveryverylongword\n  next\n");
}

TEST(TextTable, DisplayWidthCountsCodePoints) {
  EXPECT_EQ(DisplayWidth("µs"), 2u);
  EXPECT_EQ(DisplayWidth("×1.05"), 5u);
  EXPECT_EQ(DisplayWidth(""), 0u);
}

}  // namespace
}  // namespace goalloc::report
