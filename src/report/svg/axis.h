// Axes of a chart: a value axis (gridlines across the plot, tick labels in human units, a
// title) and a category axis (one label per band, turned when they would overlap). Each
// also says how much margin it needs, so charts size their margins before drawing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "src/report/svg/layout.h"
#include "src/report/svg/scale.h"
#include "src/report/svg/ticks.h"
#include "src/report/svg/xml.h"

namespace goalloc::report::svg {

enum class AxisSide { kLeft, kBottom };

// Margin (width for kLeft, height for kBottom) the value axis needs for labels and title.
double ValueAxisSize(const Ticks& ticks, AxisSide side, std::string_view title);
void DrawValueAxis(Element& parent, const Ticks& ticks, const LinearScale& scale, AxisSide side,
                   const Rect& plot, std::string_view title);

// Margin the category axis needs; labels wider than their band are drawn turned at 45°.
double CategoryAxisSize(const std::vector<std::string>& labels, const BandScale& bands,
                        AxisSide side, std::string_view title);
void DrawCategoryAxis(Element& parent, const std::vector<std::string>& labels,
                      const BandScale& bands, AxisSide side, const Rect& plot,
                      std::string_view title);

}  // namespace goalloc::report::svg
