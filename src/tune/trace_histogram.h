// The objects of a decoded trace that a size-class table is tuned for (class_tuner.h): those
// live at the trace's peak-live event (Objective::kPeak: the memory a user pays for), or
// every object it allocates (Objective::kAlloc).
#pragma once

#include "src/replay/prepared_trace.h"
#include "src/tune/class_tuner.h"

namespace goalloc::tune {

enum class Objective { kPeak, kAlloc };

Histogram HistogramOf(const replay::PreparedTrace& trace, Objective objective);

}  // namespace goalloc::tune
