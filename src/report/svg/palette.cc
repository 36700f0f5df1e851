// The series palette (see palette.h).
#include "src/report/svg/palette.h"

#include <array>

namespace goalloc::report::svg {

std::string_view SeriesColor(size_t i) {
  // Okabe-Ito, reordered so that the first few are the most distinct from each other.
  constexpr std::array<std::string_view, 8> kColors = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                                       "#CC79A7", "#56B4E9", "#F0E442", "#000000"};
  return kColors[i % kColors.size()];
}

}  // namespace goalloc::report::svg
