// The text rendering of a report, for people: a three-line summary first (peak live, peak
// footprint, frag_peak_to_peak), then one aligned table or list per section of
// docs/report.md, in human units. The timeline shows at most kTextTimelineRows rows
// (evenly chosen); the JSON report has every sample.
#pragma once

#include <cstddef>
#include <string>

#include "src/report/compare_model.h"
#include "src/report/report_model.h"

namespace goalloc::report {

inline constexpr size_t kTextTimelineRows = 20;

std::string RenderText(const Report& report);
std::string RenderCompareText(const CompareReport& compare);

}  // namespace goalloc::report
