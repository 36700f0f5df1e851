// Value and category axes (see axis.h).
#include "src/report/svg/axis.h"

#include <algorithm>
#include <cmath>

#include "src/report/svg/palette.h"
#include "src/report/svg/text_metrics.h"

namespace goalloc::report::svg {
namespace {

constexpr double kTickLength = 5;
constexpr double kLabelGap = 4;
constexpr double kTitleGap = 8;
constexpr double kLineHeight = kFontSize * 1.3;
constexpr double kTurn = 45;  // degrees, for crowded category labels

double WidestLabel(const std::vector<std::string>& labels) {
  double w = 0;
  for (const auto& l : labels) w = std::max(w, TextWidth(l));
  return w;
}

std::vector<std::string> TickLabels(const Ticks& ticks) {
  std::vector<std::string> labels;
  for (double v : ticks.values) labels.push_back(ticks.Label(v));
  return labels;
}

bool Turned(const std::vector<std::string>& labels, const BandScale& bands) {
  return WidestLabel(labels) > bands.step() - 2;
}

Element& AxisGroup(Element& parent) {
  return parent.Add("g").Set("class", "axis").Set("font-size", kFontSize).Set("fill", kTextColor);
}

void DrawTitle(Element& g, std::string_view title, AxisSide side, const Rect& plot, double offset) {
  if (title.empty()) return;
  Element& t = g.Add("text").Set("class", "axis-title").Set("text-anchor", "middle");
  if (side == AxisSide::kBottom) {
    t.Set("x", plot.x + plot.width / 2).Set("y", plot.bottom() + offset + kFontSize);
  } else {
    double x = plot.x - offset - kFontSize * 0.3;
    double y = plot.y + plot.height / 2;
    t.Set("x", x).Set("y", y).Set(
        "transform", "rotate(-90 " + FormatCoordinate(x) + " " + FormatCoordinate(y) + ")");
  }
  t.AddText(title);
}

// The axis line itself, at the plot's edge.
void DrawAxisLine(Element& g, AxisSide side, const Rect& plot) {
  Element& line = g.Add("line").Set("stroke", kAxisColor);
  if (side == AxisSide::kLeft) {
    line.Set("x1", plot.x).Set("x2", plot.x).Set("y1", plot.y).Set("y2", plot.bottom());
  } else {
    line.Set("x1", plot.x)
        .Set("x2", plot.right())
        .Set("y1", plot.bottom())
        .Set("y2", plot.bottom());
  }
}

}  // namespace

double ValueAxisSize(const Ticks& ticks, AxisSide side, std::string_view title) {
  double title_size = title.empty() ? 0 : kTitleGap + kLineHeight;
  if (side == AxisSide::kBottom) return kTickLength + kLabelGap + kLineHeight + title_size;
  return kTickLength + kLabelGap + WidestLabel(TickLabels(ticks)) + title_size;
}

void DrawValueAxis(Element& parent, const Ticks& ticks, const LinearScale& scale, AxisSide side,
                   const Rect& plot, std::string_view title) {
  Element& g = AxisGroup(parent);
  Element& grid = g.Add("g").Set("stroke", kGridColor).Set("stroke-width", 1);
  for (double v : ticks.values) {
    double p = scale(v);
    std::string label = ticks.Label(v);
    if (side == AxisSide::kLeft) {
      grid.Add("line").Set("x1", plot.x).Set("x2", plot.right()).Set("y1", p).Set("y2", p);
      g.Add("line")
          .Set("x1", plot.x - kTickLength)
          .Set("x2", plot.x)
          .Set("y1", p)
          .Set("y2", p)
          .Set("stroke", kAxisColor);
      g.Add("text")
          .Set("x", plot.x - kTickLength - kLabelGap)
          .Set("y", p)
          .Set("text-anchor", "end")
          .Set("dominant-baseline", "central")
          .AddText(label);
    } else {
      grid.Add("line").Set("x1", p).Set("x2", p).Set("y1", plot.y).Set("y2", plot.bottom());
      g.Add("line")
          .Set("x1", p)
          .Set("x2", p)
          .Set("y1", plot.bottom())
          .Set("y2", plot.bottom() + kTickLength)
          .Set("stroke", kAxisColor);
      g.Add("text")
          .Set("x", p)
          .Set("y", plot.bottom() + kTickLength + kLabelGap + kFontSize)
          .Set("text-anchor", "middle")
          .AddText(label);
    }
  }
  DrawAxisLine(g, side, plot);
  DrawTitle(g, title, side, plot, ValueAxisSize(ticks, side, title) - kLineHeight);
}

double CategoryAxisSize(const std::vector<std::string>& labels, const BandScale& bands,
                        AxisSide side, std::string_view title) {
  double title_size = title.empty() ? 0 : kTitleGap + kLineHeight;
  double labels_size;
  if (side == AxisSide::kLeft) {
    labels_size = WidestLabel(labels);
  } else if (Turned(labels, bands)) {
    labels_size = WidestLabel(labels) * std::sin(kTurn * M_PI / 180) + kFontSize;
  } else {
    labels_size = kLineHeight;
  }
  return kTickLength + kLabelGap + labels_size + title_size;
}

void DrawCategoryAxis(Element& parent, const std::vector<std::string>& labels,
                      const BandScale& bands, AxisSide side, const Rect& plot,
                      std::string_view title) {
  Element& g = AxisGroup(parent);
  bool turned = side == AxisSide::kBottom && Turned(labels, bands);
  for (size_t i = 0; i < labels.size(); ++i) {
    double c = bands.center(i);
    Element& t = g.Add("text");
    if (side == AxisSide::kLeft) {
      t.Set("x", plot.x - kTickLength - kLabelGap)
          .Set("y", c)
          .Set("text-anchor", "end")
          .Set("dominant-baseline", "central");
    } else if (turned) {
      double x = c + kFontSize * 0.3;
      double y = plot.bottom() + kTickLength + kLabelGap;
      t.Set("x", x)
          .Set("y", y)
          .Set("text-anchor", "end")
          .Set("transform", "rotate(-" + FormatCoordinate(kTurn) + " " + FormatCoordinate(x) + " " +
                                FormatCoordinate(y) + ")");
    } else {
      t.Set("x", c)
          .Set("y", plot.bottom() + kTickLength + kLabelGap + kFontSize)
          .Set("text-anchor", "middle");
    }
    t.AddText(labels[i]);
  }
  DrawAxisLine(g, side, plot);
  DrawTitle(g, title, side, plot, CategoryAxisSize(labels, bands, side, title) - kLineHeight);
}

}  // namespace goalloc::report::svg
