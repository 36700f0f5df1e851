// HTML tables: header and cells escaped, numeric columns marked, hover titles, folding.
#include "src/report/html_table.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace goalloc::report {
namespace {

TEST(HtmlTable, RendersHeaderRowsNumericClassesAndTitles) {
  HtmlTable t({"lock", "wait"}, {false, true});
  t.AddRow({"mcentral[3n] <&>", HtmlCell("1.2 ms", "1,234,567 ns")});
  std::string html = t.Render().Render();
  EXPECT_EQ(html,
            "<div class=\"table-wrap\"><table><thead><tr><th>lock</th><th class=\"num\">wait</th>"
            "</tr></thead><tbody><tr><td>mcentral[3n] &lt;&amp;&gt;</td>"
            "<td class=\"num\" title=\"1,234,567 ns\">1.2 ms</td></tr></tbody></table></div>");
  EXPECT_EQ(t.rows(), 1u);
}

TEST(HtmlTable, FoldedTableIsInsideDetails) {
  HtmlTable t({"a"}, {});
  t.AddRow({"1"});
  std::string closed = t.RenderFolded("Numbers: 1 row", false).Render();
  EXPECT_EQ(closed.rfind("<details><summary>Numbers: 1 row</summary><div", 0), 0u);
  std::string open = t.RenderFolded("x", true).Render();
  EXPECT_EQ(open.rfind("<details open=\"\">", 0), 0u);
}

TEST(HtmlTable, RejectsRowsOfTheWrongWidth) {
  HtmlTable t({"a", "b"}, {false, false});
  EXPECT_THROW(t.AddRow({"only one"}), std::invalid_argument);
  EXPECT_THROW(t.AddRow({"1", "2", "3"}), std::invalid_argument);
}

}  // namespace
}  // namespace goalloc::report
