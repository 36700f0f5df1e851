// The chart's root element (see chart_frame.h).
#include "src/report/svg/chart_frame.h"

#include "src/report/svg/palette.h"
#include "src/report/svg/text_metrics.h"

namespace goalloc::report::svg {

Element ChartFrame(double width, double height, std::string_view description) {
  Element svg("svg");
  svg.Set("xmlns", "http://www.w3.org/2000/svg")
      .Set("class", "chart")
      .Set("width", width)
      .Set("height", height)
      .Set("viewBox", "0 0 " + FormatCoordinate(width) + " " + FormatCoordinate(height))
      .Set("role", "img")
      .Set("aria-label", description)
      .Set("font-family", kFontFamily)
      .Set("font-size", kFontSize)
      .Set("fill", kTextColor);
  return svg;
}

}  // namespace goalloc::report::svg
