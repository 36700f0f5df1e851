// Bar charts: categories along one axis, one or more series as grouped (side by side) or
// stacked bars, drawn as vertical columns or horizontal bars, with hover text (<title>)
// on every bar, optional value labels, a legend and axes in human units.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/report/svg/xml.h"
#include "src/report/units.h"

namespace goalloc::report::svg {

enum class BarLayout { kGrouped, kStacked };
enum class BarOrientation { kColumns, kBars };  // vertical columns, horizontal bars

struct BarSeries {
  std::string name;
  std::string color;
  std::vector<double> values;           // one per category
  std::vector<std::string> hover = {};  // one per category, or empty: "category, name: value"
  // One per category, or empty: `color` for every bar. For one series whose categories are
  // themselves the things told apart by colour (small multiples sharing colours per run).
  std::vector<std::string> colors = {};
};

struct BarChartSpec {
  std::string description;  // for screen readers
  double width = 1120;
  double height = 0;  // 0: from the number of categories
  BarLayout layout = BarLayout::kGrouped;
  BarOrientation orientation = BarOrientation::kColumns;
  Unit unit = Unit::kBytes;
  std::string value_title, category_title;
  ValueFormat format_value;  // value labels and default hover; empty: FormatHuman of the unit
  std::vector<std::string> categories;
  std::vector<BarSeries> series;
  std::optional<double> value_max;  // a fixed end of the value axis, e.g. 1 for 100 %
  bool value_labels = false;        // each bar's value beside it (stacked: inside, if it fits)
  bool legend = true;               // off when the category labels already name the bars
};

// Throws std::invalid_argument when a series has not one value (and hover text and colour,
// if any) per category. Stacked bars take non-negative values only.
Element DrawBarChart(const BarChartSpec& spec);

}  // namespace goalloc::report::svg
