// Legend layout: one swatch and label per item, wrapping onto rows.
#include "src/report/svg/legend.h"

#include <gtest/gtest.h>

#include <string>

#include "src/report/svg/test_support.h"

namespace goalloc::report::svg {
namespace {

TEST(Legend, OneRowWhenItFits) {
  Legend l = LayoutLegend({{"live", "#111111", Swatch::kLine},
                           {"footprint", "#222222", Swatch::kDashedLine},
                           {"idle", "#333333", Swatch::kBlock},
                           {"peak live", "#444444", Swatch::kMarker}},
                          0, 0, 1000);
  EXPECT_DOUBLE_EQ(l.height, 18);
  std::string svg = l.group.Render();
  EXPECT_EQ(Count(svg, "<text"), 4u);
  EXPECT_EQ(Count(svg, "stroke-dasharray"), 2u);  // the dashed line and the marker
  EXPECT_EQ(Count(svg, "<circle"), 1u);
  EXPECT_NE(svg.find(">footprint</text>"), std::string::npos);
}

TEST(Legend, WrapsWhenNarrowAndEscapesLabels) {
  std::vector<LegendItem> items;
  for (int i = 0; i < 10; ++i) items.push_back({"series <" + std::to_string(i) + ">", "#000000"});
  Legend l = LayoutLegend(items, 0, 0, 300);
  EXPECT_GT(l.height, 18 * 3);
  std::string svg = l.group.Render();
  EXPECT_NE(svg.find("series &lt;9&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("series <"), std::string::npos);
}

TEST(Legend, EmptyTakesNoSpace) { EXPECT_DOUBLE_EQ(LayoutLegend({}, 0, 0, 100).height, 0); }

}  // namespace
}  // namespace goalloc::report::svg
