// Aligned text tables: widths in code points, alignment per column, rules.
#include "src/report/text_table.h"

#include <gtest/gtest.h>

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

TEST(TextTable, DisplayWidthCountsCodePoints) {
  EXPECT_EQ(DisplayWidth("µs"), 2u);
  EXPECT_EQ(DisplayWidth("×1.05"), 5u);
  EXPECT_EQ(DisplayWidth(""), 0u);
}

}  // namespace
}  // namespace goalloc::report
