// Timeline charts (see xy_chart.h).
#include "src/report/svg/xy_chart.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "src/report/svg/axis.h"
#include "src/report/svg/chart_frame.h"
#include "src/report/svg/layout.h"
#include "src/report/svg/legend.h"
#include "src/report/svg/palette.h"
#include "src/report/svg/scale.h"
#include "src/report/svg/text_metrics.h"
#include "src/report/svg/ticks.h"

namespace goalloc::report::svg {
namespace {

constexpr double kPixelsPerTick = 70;  // a y tick about every 70 px
constexpr double kMarkerRowHeight = 15;
constexpr double kEventTickHeight = 8;
constexpr double kAreaOpacity = 0.45;  // grid lines and lines stay visible through areas
constexpr double kMinHoverWidth = 2;   // px; denser samples share a hover strip

void Validate(const XYChartSpec& spec) {
  auto check = [](const XYSeries& s) {
    if (s.x.size() != s.y.size()) {
      throw std::invalid_argument("chart series '" + s.name + "': x and y differ in length");
    }
  };
  for (const auto& s : spec.lines) check(s);
  for (const auto& s : spec.areas) {
    check(s);
    if (s.x != spec.areas.front().x) {
      throw std::invalid_argument("stacked layer '" + s.name + "' has its own x");
    }
  }
}

// Cumulative tops of the stacked layers: tops[i][j] = sum of layers 0..i at point j.
std::vector<std::vector<double>> StackTops(const std::vector<XYSeries>& areas) {
  std::vector<std::vector<double>> tops;
  for (const auto& layer : areas) {
    std::vector<double> top = layer.y;
    if (!tops.empty()) {
      for (size_t j = 0; j < top.size(); ++j) top[j] += tops.back()[j];
    }
    tops.push_back(std::move(top));
  }
  return tops;
}

struct Extent {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void Include(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  void Include(const std::vector<double>& vs) {
    for (double v : vs) Include(v);
  }
  bool empty() const { return lo > hi; }
};

std::string PointList(const std::vector<double>& x, const std::vector<double>& y,
                      const LinearScale& sx, const LinearScale& sy) {
  std::string out;
  for (size_t i = 0; i < x.size(); ++i) {
    if (i) out += ' ';
    out += FormatCoordinate(sx(x[i])) + "," + FormatCoordinate(sy(y[i]));
  }
  return out;
}

// The value of a series at x: its last point at or before x.
std::optional<double> ValueAt(const XYSeries& s, double x) {
  auto it = std::upper_bound(s.x.begin(), s.x.end(), x);
  if (it == s.x.begin()) return std::nullopt;
  return s.y[size_t(it - s.x.begin()) - 1];
}

void DrawHoverStrips(Element& parent, const XYChartSpec& spec, const Rect& plot,
                     const LinearScale& sx, const Ticks& xticks) {
  std::vector<double> xs;
  for (const auto* group : {&spec.areas, &spec.lines}) {
    for (const auto& s : *group) xs.insert(xs.end(), s.x.begin(), s.x.end());
  }
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  // Keep points at least kMinHoverWidth apart on screen.
  std::vector<double> kept;
  for (double x : xs) {
    if (kept.empty() || sx(x) - sx(kept.back()) >= kMinHoverWidth) kept.push_back(x);
  }
  Element& g = parent.Add("g").Set("class", "hover-strips");
  for (size_t i = 0; i < kept.size(); ++i) {
    double left = i == 0 ? plot.x : (sx(kept[i - 1]) + sx(kept[i])) / 2;
    double right = i + 1 == kept.size() ? plot.right() : (sx(kept[i]) + sx(kept[i + 1])) / 2;
    std::string text = spec.x_title + ": " + Format(spec.format_x, kept[i], xticks.unit);
    for (const auto* group : {&spec.lines, &spec.areas}) {
      for (const auto& s : *group) {
        if (auto v = ValueAt(s, kept[i]))
          text += "\n" + s.name + ": " + Format(spec.format_y, *v, spec.y_unit);
      }
    }
    g.Add("rect")
        .Set("class", "hover")
        .Set("x", left)
        .Set("y", plot.y)
        .Set("width", std::max(right - left, 0.5))
        .Set("height", plot.height)
        .Set("fill", "#000")
        .Set("fill-opacity", 0.0)
        .Add("title")
        .AddText(text);
  }
}

void DrawMarkers(Element& parent, const std::vector<XYMarker>& markers, const Rect& plot,
                 const LinearScale& sx, const LinearScale& sy) {
  Element& g = parent.Add("g").Set("class", "markers").Set("font-size", kFontSize);
  for (size_t i = 0; i < markers.size(); ++i) {
    const XYMarker& m = markers[i];
    double x = sx(m.x);
    g.Add("line")
        .Set("x1", x)
        .Set("x2", x)
        .Set("y1", plot.y)
        .Set("y2", plot.bottom())
        .Set("stroke", m.color)
        .Set("stroke-width", 1.5)
        .Set("stroke-dasharray", "4 3");
    if (m.y) g.Add("circle").Set("cx", x).Set("cy", sy(*m.y)).Set("r", 4.5).Set("fill", m.color);
    // Labels stack in rows from the top, so that markers close together stay legible;
    // a label near the right edge goes to the left of its line.
    bool left_of_line = x + 6 + TextWidth(m.label) > plot.right();
    g.Add("text")
        .Set("x", left_of_line ? x - 5 : x + 5)
        .Set("y", plot.y + kMarkerRowHeight * double(i + 1) - 3)
        .Set("text-anchor", left_of_line ? "end" : "start")
        .Set("fill", m.color)
        .Set("font-weight", "600")
        .AddText(m.label);
  }
}

}  // namespace

Element DrawXYChart(const XYChartSpec& spec) {
  Validate(spec);
  auto tops = StackTops(spec.areas);

  Extent ex, ey;
  ey.Include(0);
  for (const auto& s : spec.lines) {
    ex.Include(s.x);
    ey.Include(s.y);
  }
  for (const auto& s : spec.areas) ex.Include(s.x);
  for (const auto& top : tops) ey.Include(top);
  for (const auto& m : spec.markers) {
    ex.Include(m.x);
    if (m.y) ey.Include(*m.y);
  }
  for (const auto& t : spec.event_ticks) ex.Include(t.x);
  if (ex.empty()) ex.Include(0);

  std::vector<LegendItem> items;
  for (const auto& s : spec.lines) {
    items.push_back({s.name, s.color, s.dashed ? Swatch::kDashedLine : Swatch::kLine});
  }
  for (auto it = spec.areas.rbegin(); it != spec.areas.rend(); ++it) {
    items.push_back({it->name, it->color, Swatch::kBlock, kAreaOpacity});  // top layer first
  }
  for (const auto& m : spec.markers) items.push_back({m.label, m.color, Swatch::kMarker});
  for (const auto& t : spec.event_ticks) items.push_back({t.name, t.color, Swatch::kMarker});

  int target = std::max(2, int((spec.height - 100) / kPixelsPerTick));
  Ticks yticks = NiceTicks(ey.lo, ey.hi, spec.y_unit, target, /*extend=*/true);
  Ticks xticks = NiceTicks(ex.lo, ex.hi, spec.x_unit, 8, /*extend=*/false);

  Margins m;
  m.left = ValueAxisSize(yticks, AxisSide::kLeft, spec.y_title) + 6;
  m.right = 24;
  m.bottom = ValueAxisSize(xticks, AxisSide::kBottom, spec.x_title) + 6;
  Legend legend = LayoutLegend(items, m.left, 6, spec.width - m.left - m.right);
  m.top = 6 + legend.height + 10;
  Rect plot = PlotArea(spec.width, spec.height, m);
  LinearScale sx(xticks.lo, xticks.hi, plot.x, plot.right());
  LinearScale sy(yticks.lo, yticks.hi, plot.bottom(), plot.y);

  Element svg = ChartFrame(spec.width, spec.height, spec.description);
  svg.Add(std::move(legend.group));
  DrawValueAxis(svg, yticks, sy, AxisSide::kLeft, plot, spec.y_title);
  DrawValueAxis(svg, xticks, sx, AxisSide::kBottom, plot, spec.x_title);

  Element& areas = svg.Add("g").Set("class", "areas");
  for (size_t i = 0; i < spec.areas.size(); ++i) {
    const auto& x = spec.areas[i].x;
    std::vector<double> base = i ? tops[i - 1] : std::vector<double>(x.size(), 0.0);
    std::vector<double> rx(x.rbegin(), x.rend()), rbase(base.rbegin(), base.rend());
    areas.Add("polygon")
        .Set("points", PointList(x, tops[i], sx, sy) + " " + PointList(rx, rbase, sx, sy))
        .Set("fill", spec.areas[i].color)
        .Set("fill-opacity", kAreaOpacity);
  }
  Element& lines = svg.Add("g").Set("class", "lines").Set("fill", "none");
  for (const auto& s : spec.lines) {
    Element& line = lines.Add("polyline")
                        .Set("points", PointList(s.x, s.y, sx, sy))
                        .Set("stroke", s.color)
                        .Set("stroke-width", 2)
                        .Set("stroke-linejoin", "round");
    if (s.dashed) line.Set("stroke-dasharray", "6 4");
  }
  DrawHoverStrips(svg, spec, plot, sx, xticks);
  DrawMarkers(svg, spec.markers, plot, sx, sy);
  for (const auto& t : spec.event_ticks) {
    Element& g = svg.Add("g").Set("class", "event-ticks").Set("stroke", t.color);
    for (double x : t.x) {
      g.Add("line")
          .Set("x1", sx(x))
          .Set("x2", sx(x))
          .Set("y1", plot.bottom() - kEventTickHeight)
          .Set("y2", plot.bottom())
          .Set("stroke-width", 2);
    }
  }
  return svg;
}

}  // namespace goalloc::report::svg
