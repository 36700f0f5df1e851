// Chart geometry: the rectangle the data is drawn in, inside the margins that hold the
// legend, the axes and their labels.
#pragma once

namespace goalloc::report::svg {

struct Rect {
  double x = 0, y = 0, width = 0, height = 0;
  double right() const { return x + width; }
  double bottom() const { return y + height; }
};

struct Margins {
  double top = 0, right = 0, bottom = 0, left = 0;
};

// The plot area of a chart of `width` × `height` with these margins.
inline Rect PlotArea(double width, double height, const Margins& m) {
  return {m.left, m.top, width - m.left - m.right, height - m.top - m.bottom};
}

}  // namespace goalloc::report::svg
