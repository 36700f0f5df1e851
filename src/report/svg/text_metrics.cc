// Label width estimate (see text_metrics.h).
#include "src/report/svg/text_metrics.h"

namespace goalloc::report::svg {

double TextWidth(std::string_view text, double font_size) {
  size_t code_points = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++code_points;  // not a UTF-8 continuation byte
  }
  return 0.6 * font_size * double(code_points);
}

}  // namespace goalloc::report::svg
