// Bar charts: grouped and stacked, columns and bars, hover text, labels, validation.
#include "src/report/svg/bar_chart.h"

#include <gtest/gtest.h>

#include <regex>
#include <stdexcept>
#include <string>

#include "src/report/svg/test_support.h"

namespace goalloc::report::svg {
namespace {

std::vector<double> Attr(const std::string& svg, const std::string& name) {
  std::vector<double> out;
  std::regex re(
      "<rect x=\"[^\"]*\" y=\"[^\"]*\" width=\"([^\"]*)\" height=\"([^\"]*)\" "
      "fill=\"[^\"]*\"><title>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator();
       ++it) {
    out.push_back(std::stod((*it)[name == "width" ? 1 : 2]));
  }
  return out;
}

TEST(BarChart, GroupedColumnsOneRectPerNonZeroValueWithHover) {
  BarChartSpec spec;
  spec.unit = Unit::kFraction;
  spec.value_max = 1;
  spec.categories = {"1 · 8 B", "2 · 16 B", "3 · 24 B"};
  spec.series = {{"at peak live", "#0072B2", {0.5, 1.0, 0.25}, {"a", "b", "c <1>"}},
                 {"at end", "#E69F00", {0.25, 0, 0.75}, {}}};
  std::string svg = DrawBarChart(spec).Render();
  EXPECT_EQ(Count(svg, "<title>"), 5u);  // the zero bar is not drawn
  EXPECT_NE(svg.find("<title>c &lt;1&gt;</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>3 · 24 B, at end: 75.0 %</title>"), std::string::npos);
  EXPECT_NE(svg.find(">100 %</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">125 %</text>"), std::string::npos);
  // Heights are proportional: 1.0 is twice 0.5 and four times 0.25.
  auto h = Attr(svg, "height");
  ASSERT_EQ(h.size(), 5u);
  EXPECT_NEAR(h[2], 2 * h[0], 0.02);
  EXPECT_NEAR(h[2], 4 * h[1], 0.02);
}

TEST(BarChart, StackedBarAddsUpAndLabelsSegmentsThatFit) {
  BarChartSpec spec;
  spec.orientation = BarOrientation::kBars;
  spec.layout = BarLayout::kStacked;
  spec.value_labels = true;
  spec.categories = {"at peak live"};
  spec.series = {{"requested", "#0072B2", {600 * 1024.0}, {}},
                 {"rounding", "#F0E442", {300 * 1024.0}, {}},
                 {"tail waste", "#000000", {1.0}, {}}};
  std::string svg = DrawBarChart(spec).Render();
  auto w = Attr(svg, "width");
  ASSERT_EQ(w.size(), 3u);
  EXPECT_NEAR(w[0], 2 * w[1], 0.02);
  EXPECT_NE(svg.find(">600 KiB</text>"), std::string::npos);
  EXPECT_NE(svg.find("fill=\"#222\">300 KiB</text>"), std::string::npos);  // dark on yellow
  EXPECT_EQ(svg.find(">1 B</text>"), std::string::npos);  // too narrow for its label
}

TEST(BarChart, HorizontalBarsGrowWithCategoriesAndLabelValues) {
  BarChartSpec spec;
  spec.orientation = BarOrientation::kBars;
  spec.unit = Unit::kNanoseconds;
  spec.value_labels = true;
  spec.series = {{"total wait", "#D55E00", {}, {}}};
  for (int i = 0; i < 3; ++i) {
    spec.categories.push_back("mcentral[" + std::to_string(i) + "n]");
    spec.series[0].values.push_back(1e6 * (3 - i));
  }
  Element small = DrawBarChart(spec);
  std::string svg = small.Render();
  EXPECT_NE(svg.find(">3.00 ms</text>"), std::string::npos);
  EXPECT_NE(svg.find(">mcentral[2n]</text>"), std::string::npos);
  for (int i = 3; i < 30; ++i) {
    spec.categories.push_back("x");
    spec.series[0].values.push_back(1);
  }
  std::regex height("height=\"([0-9.]+)\"");
  std::smatch a, b;
  std::string big = DrawBarChart(spec).Render();
  ASSERT_TRUE(std::regex_search(svg, a, height));
  ASSERT_TRUE(std::regex_search(big, b, height));
  EXPECT_GT(std::stod(b[1]), 3 * std::stod(a[1]));
}

TEST(BarChart, NegativeGroupedValuesExtendTheAxisBelowZero) {
  BarChartSpec spec;
  spec.unit = Unit::kFraction;
  spec.categories = {"frag_mean"};
  spec.series = {{"go", "#0072B2", {0.3}, {}}, {"glibc", "#E69F00", {-0.1}, {}}};
  std::string svg = DrawBarChart(spec).Render();
  EXPECT_TRUE(std::regex_search(svg, std::regex(">-[0-9]+ %</text>")));  // a tick below zero
  EXPECT_NE(svg.find("<title>frag_mean, glibc: -10.0 %</title>"), std::string::npos);
}

TEST(BarChart, CrowdedCategoryLabelsAreTurned) {
  BarChartSpec spec;
  spec.width = 400;
  spec.series = {{"bytes", "#000000", {}, {}}};
  for (int i = 0; i < 40; ++i) {
    spec.categories.push_back("class " + std::to_string(i));
    spec.series[0].values.push_back(i);
  }
  EXPECT_NE(DrawBarChart(spec).Render().find("rotate(-45"), std::string::npos);
  spec.categories.resize(3);
  spec.series[0].values.resize(3);
  EXPECT_EQ(DrawBarChart(spec).Render().find("rotate(-45"), std::string::npos);
}

TEST(BarChart, PerBarColoursWithoutLegend) {
  BarChartSpec spec;
  spec.legend = false;
  spec.unit = Unit::kFraction;
  spec.categories = {"go (sim)", "glibc (parallel)"};
  spec.series = {{"frag_mean", "#000000", {0.1, 0.4}, {}, {"#0072B2", "#009E73"}}};
  std::string svg = DrawBarChart(spec).Render();
  EXPECT_NE(svg.find("fill=\"#0072B2\"><title>go (sim), frag_mean: 10.0 %</title>"),
            std::string::npos);
  EXPECT_NE(svg.find("fill=\"#009E73\"><title>"), std::string::npos);
  EXPECT_EQ(svg.find("class=\"legend\"><"), std::string::npos);  // an empty legend group
  spec.series[0].colors.pop_back();
  EXPECT_THROW(DrawBarChart(spec), std::invalid_argument);
}

TEST(BarChart, RejectsMismatchedOrNegativeStackedValues) {
  BarChartSpec spec;
  spec.categories = {"a", "b"};
  spec.series = {{"s", "#000000", {1}, {}}};
  EXPECT_THROW(DrawBarChart(spec), std::invalid_argument);
  spec.series = {{"s", "#000000", {1, 2}, {"only one"}}};
  EXPECT_THROW(DrawBarChart(spec), std::invalid_argument);
  spec.series = {{"s", "#000000", {1, -2}, {}}};
  spec.layout = BarLayout::kStacked;
  EXPECT_THROW(DrawBarChart(spec), std::invalid_argument);
}

}  // namespace
}  // namespace goalloc::report::svg
