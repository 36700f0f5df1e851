// Colours of the charts: a qualitative palette that stays distinguishable for the common
// colour-vision deficiencies (Okabe & Ito), plus the neutral greys of axes and grids.
#pragma once

#include <cstddef>
#include <string_view>

namespace goalloc::report::svg {

// The i-th series colour, cycling through eight.
std::string_view SeriesColor(size_t i);

// The live-bytes line on every chart of a report: the palette's last colour, black, which
// the series of runs skip.
inline constexpr const char* kLiveColor = "#000000";

inline constexpr std::string_view kAxisColor = "#555";
inline constexpr std::string_view kGridColor = "#e3e3e3";
inline constexpr std::string_view kTextColor = "#222";
inline constexpr std::string_view kMutedTextColor = "#666";

}  // namespace goalloc::report::svg
