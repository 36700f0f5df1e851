// Timeline charts: series, stacked areas, markers, hover text, validation.
#include "src/report/svg/xy_chart.h"

#include <gtest/gtest.h>

#include <regex>
#include <stdexcept>
#include <string>

#include "src/report/svg/test_support.h"

namespace goalloc::report::svg {
namespace {

constexpr double kKiB = 1024;

XYChartSpec Timeline() {
  XYChartSpec spec;
  spec.description = "live & footprint";
  spec.x_title = "event";
  spec.y_title = "bytes";
  std::vector<double> x = {0, 100, 200, 300};
  spec.areas = {{"inuse", "#0072B2", x, {10 * kKiB, 40 * kKiB, 30 * kKiB, 20 * kKiB}},
                {"idle", "#E69F00", x, {0, 8 * kKiB, 20 * kKiB, 28 * kKiB}}};
  spec.lines = {{"live", "#000000", x, {8 * kKiB, 36 * kKiB, 25 * kKiB, 12 * kKiB}},
                {"footprint", "#D55E00", x, {12 * kKiB, 50 * kKiB, 52 * kKiB, 50 * kKiB}, true}};
  spec.markers = {{100, 36 * kKiB, "peak live", "#CC79A7"},
                  {200, std::nullopt, "peak footprint", "#009E73"}};
  return spec;
}

TEST(XYChart, DrawsEveryPartOfATimeline) {
  std::string svg = DrawXYChart(Timeline()).Render();
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("aria-label=\"live &amp; footprint\""), std::string::npos);
  EXPECT_EQ(Count(svg, "<polyline"), 2u);
  EXPECT_EQ(Count(svg, "<polygon"), 2u);
  EXPECT_EQ(Count(svg, "stroke-dasharray=\"6 4\""), 1u);  // the dashed footprint line
  EXPECT_EQ(Count(svg, "class=\"hover\""), 4u);           // one strip per sample
  EXPECT_NE(svg.find(">peak footprint</text>"), std::string::npos);
  EXPECT_EQ(Count(svg, "<circle"), 3u);  // two legend marker swatches and the peak-live dot
  // y axis in KiB up to the stacked maximum (48 KiB) or the footprint (52 KiB): 60 KiB.
  EXPECT_NE(svg.find(">60 KiB</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">70 KiB</text>"), std::string::npos);
}

TEST(XYChart, EventTicksSitOnTheXAxisWithOneLegendEntry) {
  XYChartSpec spec = Timeline();
  spec.event_ticks = {{"GC cycle", "#999999", {50, 150, 400}}};
  const std::string svg = DrawXYChart(spec).Render();
  const size_t group = svg.find("class=\"event-ticks\"");
  ASSERT_NE(group, std::string::npos);
  EXPECT_EQ(Count(svg.substr(group, svg.find("</g>", group) - group), "<line"), 3u);
  EXPECT_EQ(Count(svg, ">GC cycle<"), 1u);  // one legend entry
  // The last tick lies beyond the lines: the x axis reaches it.
  EXPECT_NE(svg.find(">400<"), std::string::npos) << svg;
}

TEST(XYChart, HoverTextGivesEverySeriesAtThatPoint) {
  std::string svg = DrawXYChart(Timeline()).Render();
  EXPECT_NE(svg.find("<title>event: 200\nlive: 25.0 KiB\nfootprint: 52.0 KiB\ninuse: 30.0 KiB\n"
                     "idle: 20.0 KiB</title>"),
            std::string::npos);
}

TEST(XYChart, StackedLayersSitOnTheLayersBelow) {
  XYChartSpec spec;
  spec.width = 600;
  spec.height = 300;
  spec.areas = {{"a", "#111111", {0, 1}, {100, 100}}, {"b", "#222222", {0, 1}, {100, 100}}};
  std::string svg = DrawXYChart(spec).Render();
  std::smatch m;
  std::regex polygon("<polygon points=\"([^\"]*)\"");
  std::vector<std::string> points;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), polygon);
       it != std::sregex_iterator(); ++it) {
    points.push_back((*it)[1]);
  }
  ASSERT_EQ(points.size(), 2u);
  // The top edge of layer a (first two points) is the bottom edge of layer b (last two).
  auto fields = [](const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string f; in >> f;) out.push_back(f);
    return out;
  };
  auto a = fields(points[0]), b = fields(points[1]);
  ASSERT_EQ(a.size(), 4u);
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(a[0], b[3]);
  EXPECT_EQ(a[1], b[2]);
  EXPECT_NE(b[0], a[0]);  // and b's top is higher
}

TEST(XYChart, DenseSamplesShareHoverStrips) {
  XYChartSpec spec;
  spec.width = 500;
  XYSeries s{"live", "#000000", {}, {}};
  for (int i = 0; i < 5000; ++i) {
    s.x.push_back(i);
    s.y.push_back(i % 97);
  }
  spec.lines.push_back(s);
  std::string svg = DrawXYChart(spec).Render();
  size_t strips = Count(svg, "class=\"hover\"");
  EXPECT_LT(strips, 300u);  // at most one per 2 px of a < 500 px plot
  EXPECT_GT(strips, 100u);
}

TEST(XYChart, EmptyChartStillHasAxes) {
  std::string svg = DrawXYChart(XYChartSpec{}).Render();
  EXPECT_NE(svg.find("class=\"axis\""), std::string::npos);
  EXPECT_EQ(Count(svg, "<polyline"), 0u);
}

TEST(XYChart, RejectsMismatchedSeries) {
  XYChartSpec spec;
  spec.lines = {{"bad", "#000000", {0, 1, 2}, {1, 2}}};
  EXPECT_THROW(DrawXYChart(spec), std::invalid_argument);
  XYChartSpec stacked;
  stacked.areas = {{"a", "#000000", {0, 1}, {1, 2}}, {"b", "#000000", {0, 2}, {1, 2}}};
  EXPECT_THROW(DrawXYChart(stacked), std::invalid_argument);
}

}  // namespace
}  // namespace goalloc::report::svg
