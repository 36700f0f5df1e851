// Estimated width of a label in the charts' sans-serif font, for layout decisions made
// before a browser sees the page: margins wide enough for the longest category name,
// legends that wrap, value labels that fit inside their bar or go beside it.
#pragma once

#include <string_view>

namespace goalloc::report::svg {

inline constexpr double kFontSize = 12;       // labels, ticks, legends
inline constexpr double kSmallFontSize = 11;  // labels inside bars
inline constexpr std::string_view kFontFamily =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif";

// A generous estimate (0.6 em per character, digits and capitals included), counting
// UTF-8 code points, not bytes.
double TextWidth(std::string_view text, double font_size = kFontSize);

}  // namespace goalloc::report::svg
