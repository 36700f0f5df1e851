// A chart of values over an ordered x (a timeline): several line series, stacked areas
// under them, vertical markers for notable events (peak live, peak footprint), axes in
// human units, a legend, and hover text (<title>) giving every series' value at each x.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/report/svg/xml.h"
#include "src/report/units.h"

namespace goalloc::report::svg {

struct XYSeries {
  std::string name;
  std::string color;
  std::vector<double> x, y;  // same length, x ascending
  bool dashed = false;       // lines only
};

struct XYMarker {
  double x = 0;
  std::optional<double> y;  // when set, a dot at (x, y)
  std::string label;
  std::string color;
};

// Events along the x axis (e.g. GC cycles): a short tick each at the plot's bottom, one
// legend entry for all.
struct XYEventTicks {
  std::string name;
  std::string color;
  std::vector<double> x;
};

struct XYChartSpec {
  std::string description;  // for screen readers
  double width = 1120, height = 380;
  Unit x_unit = Unit::kCount, y_unit = Unit::kBytes;
  std::string x_title, y_title;
  ValueFormat format_x, format_y;  // hover text; empty: FormatHuman of the unit
  std::vector<XYSeries> areas;     // stacked bottom to top; every layer has the same x
  std::vector<XYSeries> lines;     // drawn over the areas, in order
  std::vector<XYMarker> markers;
  std::vector<XYEventTicks> event_ticks;
};

// Throws std::invalid_argument when a series' x and y differ in length or stacked layers
// do not share their x.
Element DrawXYChart(const XYChartSpec& spec);

}  // namespace goalloc::report::svg
