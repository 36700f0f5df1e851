// The outer <svg> element every chart shares: size, viewBox (so the page can scale it
// down), the font, and an accessible description.
#pragma once

#include <string_view>

#include "src/report/svg/xml.h"

namespace goalloc::report::svg {

Element ChartFrame(double width, double height, std::string_view description);

}  // namespace goalloc::report::svg
