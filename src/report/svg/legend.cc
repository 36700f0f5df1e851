// Legend layout (see legend.h).
#include "src/report/svg/legend.h"

#include "src/report/svg/palette.h"
#include "src/report/svg/text_metrics.h"

namespace goalloc::report::svg {
namespace {

constexpr double kRowHeight = 18;
constexpr double kSwatchWidth = 18;
constexpr double kGap = 6;       // swatch to label
constexpr double kItemGap = 20;  // label to next swatch

void DrawSwatch(Element& g, const LegendItem& item, double x, double y_mid) {
  switch (item.swatch) {
    case Swatch::kLine:
    case Swatch::kDashedLine: {
      Element& line = g.Add("line")
                          .Set("x1", x)
                          .Set("x2", x + kSwatchWidth)
                          .Set("y1", y_mid)
                          .Set("y2", y_mid)
                          .Set("stroke", item.color)
                          .Set("stroke-width", 2.5);
      if (item.swatch == Swatch::kDashedLine) line.Set("stroke-dasharray", "5 3");
      break;
    }
    case Swatch::kBlock:
      g.Add("rect")
          .Set("x", x)
          .Set("y", y_mid - 6)
          .Set("width", kSwatchWidth)
          .Set("height", 12)
          .Set("fill", item.color)
          .Set("fill-opacity", item.opacity);
      break;
    case Swatch::kMarker:
      g.Add("line")
          .Set("x1", x + kSwatchWidth / 2)
          .Set("x2", x + kSwatchWidth / 2)
          .Set("y1", y_mid - 7)
          .Set("y2", y_mid + 7)
          .Set("stroke", item.color)
          .Set("stroke-width", 1.5)
          .Set("stroke-dasharray", "3 2");
      g.Add("circle")
          .Set("cx", x + kSwatchWidth / 2)
          .Set("cy", y_mid)
          .Set("r", 3.5)
          .Set("fill", item.color);
      break;
  }
}

}  // namespace

Legend LayoutLegend(const std::vector<LegendItem>& items, double x, double y, double max_width) {
  Legend legend;
  legend.group.Set("class", "legend").Set("font-size", kFontSize).Set("fill", kTextColor);
  if (items.empty()) return legend;
  double cx = x;
  double row_y = y;
  for (const LegendItem& item : items) {
    double w = kSwatchWidth + kGap + TextWidth(item.label);
    if (cx > x && cx + w > x + max_width) {
      cx = x;
      row_y += kRowHeight;
    }
    double mid = row_y + kRowHeight / 2;
    DrawSwatch(legend.group, item, cx, mid);
    legend.group.Add("text")
        .Set("x", cx + kSwatchWidth + kGap)
        .Set("y", mid)
        .Set("dominant-baseline", "central")
        .AddText(item.label);
    cx += w + kItemGap;
  }
  legend.height = row_y + kRowHeight - y;
  return legend;
}

}  // namespace goalloc::report::svg
