// The text rendering of a report, for people: a three-line summary first (peak live, peak
// footprint, frag_peak_to_peak), then one aligned table or list per section of
// docs/report.md, in human units. The timeline shows at most kTextTimelineRows rows
// (evenly chosen); the JSON report has every sample. By default the text fits
// kTextWidth columns: a wider table is split into several, one under the other, each
// repeating its row labels, and long lines are wrapped; `--wide` (kWideText) keeps every
// table and line whole.
#pragma once

#include <cstddef>
#include <limits>
#include <string>

#include "src/report/compare_model.h"
#include "src/report/report_model.h"

namespace goalloc::report {

inline constexpr size_t kTextTimelineRows = 20;
inline constexpr size_t kTextWidth = 100;
inline constexpr size_t kWideText = std::numeric_limits<size_t>::max();

std::string RenderText(const Report& report, size_t width = kTextWidth);
std::string RenderCompareText(const CompareReport& compare, size_t width = kTextWidth);

}  // namespace goalloc::report
