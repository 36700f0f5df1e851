// The HTML rendering of a comparison (`compare --html FILE`): one self-contained page with
// the footprint over time of every run on one chart, the four fragmentation measures side by
// side, and the compare table with each figure's ratio to glibc.
#pragma once

#include <string>

#include "src/report/compare_model.h"

namespace goalloc::report {

std::string RenderCompareHtml(const CompareReport& compare);

}  // namespace goalloc::report
