// A chart legend: one swatch and label per series, laid out left to right and wrapped
// onto further rows when the chart is too narrow, so its height is known before the plot
// area is placed under it.
#pragma once

#include <string>
#include <vector>

#include "src/report/svg/xml.h"

namespace goalloc::report::svg {

enum class Swatch { kLine, kDashedLine, kBlock, kMarker };

struct LegendItem {
  std::string label;
  std::string color;
  Swatch swatch = Swatch::kBlock;
  double opacity = 1;  // of a block: as the area it stands for is drawn
};

struct Legend {
  Element group{"g"};
  double height = 0;
};

// A legend whose first row starts at (x, y) and whose rows are at most `max_width` wide.
Legend LayoutLegend(const std::vector<LegendItem>& items, double x, double y, double max_width);

}  // namespace goalloc::report::svg
