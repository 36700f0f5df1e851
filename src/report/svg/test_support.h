// What the chart tests share: counting the occurrences of a piece of markup.
#pragma once

#include <cstddef>
#include <string>

namespace goalloc::report::svg {

// How many times `what` occurs in `s` (overlapping occurrences included).
inline size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

}  // namespace goalloc::report::svg
