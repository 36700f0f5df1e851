// Figures net of a baseline reading: resident memory above what the process held before the
// replay, a runtime's counters above their start-up values.
#pragma once

#include <cstdint>

namespace goalloc::replay {

// What `value` holds above `baseline`; 0 when it fell below (memory the process gave back
// that the baseline counted).
constexpr uint64_t AboveBaseline(uint64_t value, uint64_t baseline) {
  return value > baseline ? value - baseline : 0;
}

}  // namespace goalloc::replay
