// Grouped and stacked bar charts (see bar_chart.h).
#include "src/report/svg/bar_chart.h"

#include <algorithm>
#include <cstdlib>
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

constexpr double kColumnsHeight = 360;
constexpr double kStackedBandHeight = 30;
constexpr double kGroupedBarHeight = 14;  // per series, horizontal grouped bars
constexpr double kBandPadding = 0.25;
constexpr double kLabelGap = 4;
constexpr double kMaxBarWidth = 56;  // few categories: slim bars, centred in their band

void Validate(const BarChartSpec& spec) {
  for (const auto& s : spec.series) {
    if (s.values.size() != spec.categories.size() ||
        (!s.hover.empty() && s.hover.size() != spec.categories.size()) ||
        (!s.colors.empty() && s.colors.size() != spec.categories.size())) {
      throw std::invalid_argument("bar series '" + s.name + "' needs one value per category");
    }
    if (spec.layout == BarLayout::kStacked &&
        std::any_of(s.values.begin(), s.values.end(), [](double v) { return v < 0; })) {
      throw std::invalid_argument("stacked bar series '" + s.name + "' has a negative value");
    }
  }
}

// Dark text on light fills, white on dark ones (relative luminance of a #rrggbb colour).
std::string_view ContrastText(std::string_view color) {
  if (color.size() != 7 || color[0] != '#') return kTextColor;
  auto channel = [&](int i) {
    return double(std::strtol(std::string(color.substr(1 + 2 * i, 2)).c_str(), nullptr, 16)) / 255;
  };
  double luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return luminance > 0.5 ? kTextColor : "#fff";
}

struct ValueRange {
  double lo = 0, hi = 0;
};

ValueRange RangeOf(const BarChartSpec& spec) {
  ValueRange r;
  for (size_t c = 0; c < spec.categories.size(); ++c) {
    double sum = 0;
    for (const auto& s : spec.series) {
      double v = s.values[c];
      sum += v;
      r.lo = std::min(r.lo, v);
      r.hi = std::max(r.hi, spec.layout == BarLayout::kStacked ? sum : v);
    }
  }
  if (spec.value_max) r.hi = std::max(r.hi, *spec.value_max);
  return r;
}

const std::string& BarColor(const BarSeries& s, size_t c) {
  return s.colors.empty() ? s.color : s.colors[c];
}

std::string HoverText(const BarChartSpec& spec, const BarSeries& s, size_t c) {
  if (!s.hover.empty()) return s.hover[c];
  return spec.categories[c] + ", " + s.name + ": " +
         Format(spec.format_value, s.values[c], spec.unit);
}

double ChartHeight(const BarChartSpec& spec) {
  if (spec.height > 0) return spec.height;
  if (spec.orientation == BarOrientation::kColumns) return kColumnsHeight;
  double band = spec.layout == BarLayout::kStacked
                    ? kStackedBandHeight
                    : kGroupedBarHeight * double(std::max<size_t>(spec.series.size(), 1)) + 10;
  return 110 + band * double(spec.categories.size());
}

std::vector<LegendItem> LegendItems(const BarChartSpec& spec) {
  std::vector<LegendItem> items;
  if (!spec.legend) return items;
  for (const auto& s : spec.series) items.push_back({s.name, s.color, Swatch::kBlock});
  return items;
}

double WidestValueLabel(const BarChartSpec& spec) {
  double w = 0;
  for (const auto& s : spec.series) {
    for (double v : s.values) w = std::max(w, TextWidth(Format(spec.format_value, v, spec.unit)));
  }
  return w;
}

}  // namespace

Element DrawBarChart(const BarChartSpec& spec) {
  Validate(spec);
  const bool columns = spec.orientation == BarOrientation::kColumns;
  const bool stacked = spec.layout == BarLayout::kStacked;
  const double height = ChartHeight(spec);
  const AxisSide value_side = columns ? AxisSide::kLeft : AxisSide::kBottom;
  const AxisSide category_side = columns ? AxisSide::kBottom : AxisSide::kLeft;
  const bool outside_labels = spec.value_labels && !stacked;

  ValueRange range = RangeOf(spec);
  int target = columns ? std::max(2, int((height - 120) / 70)) : std::max(2, int(spec.width / 140));
  Ticks ticks = NiceTicks(range.lo, range.hi, spec.unit, target, /*extend=*/true);

  // Margins: the value axis and legend first, then the category axis, whose size depends
  // on how wide the bands turn out.
  Margins m;
  m.right = 24;
  if (columns) {
    m.left = ValueAxisSize(ticks, value_side, spec.value_title) + 6;
  } else {
    m.bottom = ValueAxisSize(ticks, value_side, spec.value_title) + 6;
    m.left = CategoryAxisSize(spec.categories, BandScale(1, 0, 1, 0), category_side,
                              spec.category_title) +
             6;
    if (outside_labels) m.right = WidestValueLabel(spec) + kLabelGap + 8;
  }
  Legend legend = LayoutLegend(LegendItems(spec), m.left, 6, spec.width - m.left - m.right);
  m.top = 6 + legend.height + (outside_labels && columns ? 22 : 12);
  if (columns) {
    BandScale probe(spec.categories.size(), m.left, spec.width - m.right, kBandPadding);
    m.bottom = CategoryAxisSize(spec.categories, probe, category_side, spec.category_title) + 6;
  }
  Rect plot = PlotArea(spec.width, height, m);
  BandScale bands = columns
                        ? BandScale(spec.categories.size(), plot.x, plot.right(), kBandPadding)
                        : BandScale(spec.categories.size(), plot.y, plot.bottom(), kBandPadding);
  LinearScale value = columns ? LinearScale(ticks.lo, ticks.hi, plot.bottom(), plot.y)
                              : LinearScale(ticks.lo, ticks.hi, plot.x, plot.right());

  Element svg = ChartFrame(spec.width, height, spec.description);
  svg.Add(std::move(legend.group));
  DrawValueAxis(svg, ticks, value, value_side, plot, spec.value_title);
  DrawCategoryAxis(svg, spec.categories, bands, category_side, plot, spec.category_title);

  Element& bars = svg.Add("g").Set("class", "bars");
  Element& labels = svg.Add("g").Set("class", "value-labels").Set("font-size", kSmallFontSize);
  const size_t n = std::max<size_t>(spec.series.size(), 1);
  for (size_t c = 0; c < spec.categories.size(); ++c) {
    double base = 0;  // stacked: the running total
    for (size_t i = 0; i < spec.series.size(); ++i) {
      const BarSeries& s = spec.series[i];
      double v = s.values[c];
      double from = stacked ? base : 0, to = stacked ? base + v : v;
      base = to;
      if (v == 0) continue;
      double band_start =
          stacked ? bands.start(c) : bands.start(c) + bands.width() * double(i) / double(n);
      double band_width = stacked ? bands.width() : bands.width() / double(n);
      double v0 = value(std::min(from, to)), v1 = value(std::max(from, to));
      Rect r = columns ? Rect{band_start, v1, band_width, v0 - v1}
                       : Rect{v0, band_start, v1 - v0, band_width};
      bars.Add("rect")
          .Set("x", r.x)
          .Set("y", r.y)
          .Set("width", std::max(r.width, 0.5))
          .Set("height", std::max(r.height, 0.5))
          .Set("fill", BarColor(s, c))
          .Add("title")
          .AddText(HoverText(spec, s, c));
      if (!spec.value_labels) continue;
      std::string text = Format(spec.format_value, v, spec.unit);
      double tw = TextWidth(text, kSmallFontSize);
      if (stacked) {
        bool fits =
            columns ? r.height >= kSmallFontSize + 2 && r.width >= tw + 4 : r.width >= tw + 6;
        if (!fits) continue;
        labels.Add("text")
            .Set("x", r.x + r.width / 2)
            .Set("y", r.y + r.height / 2)
            .Set("text-anchor", "middle")
            .Set("dominant-baseline", "central")
            .Set("fill", ContrastText(BarColor(s, c)))
            .AddText(text);
      } else if (columns) {
        if (tw > bands.step() / double(n)) continue;  // may use the padding between bars
        labels.Add("text")
            .Set("x", r.x + r.width / 2)
            .Set("y", (to < 0 ? r.bottom() + kSmallFontSize : r.y) - kLabelGap / 2)
            .Set("text-anchor", "middle")
            .AddText(text);
      } else {
        labels.Add("text")
            .Set("x", to < 0 ? r.x - kLabelGap : r.right() + kLabelGap)
            .Set("y", r.y + r.height / 2)
            .Set("text-anchor", to < 0 ? "end" : "start")
            .Set("dominant-baseline", "central")
            .AddText(text);
      }
    }
  }
  return svg;
}

}  // namespace goalloc::report::svg
