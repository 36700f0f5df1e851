// Axis ticks a person reads at a glance: evenly spaced at a "nice" step (1, 2, 2.5 or 5
// times a power of ten) of a unit prefix that suits the range, e.g. 0, 0.5, 1, 1.5 MiB or
// 0, 25, 50, 75, 100 %, all labelled with the same prefix and number of decimals.
#pragma once

#include <string>
#include <vector>

#include "src/report/units.h"

namespace goalloc::report::svg {

struct Ticks {
  double lo = 0, hi = 1;  // the axis domain: [lo, hi]
  double step = 1;        // between ticks, in the unit's base (bytes, ns, ...)
  std::vector<double> values;
  Unit unit = Unit::kCount;
  Prefix prefix;     // shared by every label
  int decimals = 0;  // shared by every label

  std::string Label(double value) const;  // e.g. "1.5 MiB"
};

// About `target` intervals covering [lo, hi]. With `extend`, the domain grows to whole
// steps (a value axis that starts and ends on a tick); without, it stays [lo, hi] and only
// the ticks inside it are kept (a time axis that ends at the last event).
Ticks NiceTicks(double lo, double hi, Unit unit, int target = 5, bool extend = true);

}  // namespace goalloc::report::svg
