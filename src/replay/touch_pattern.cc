// Touch and reading its pattern back (see touch_pattern.h).
#include "src/replay/touch_pattern.h"

#include <algorithm>
#include <cstring>

namespace goalloc::replay {
namespace {

constexpr uint64_t kFullZeroCheck = 64 << 10;

// Calls f(page, offset) for each byte Touch writes in the pages after the first of an object
// of `size` bytes (the last byte excepted: Touch writes it apart), as long as it lies before
// `limit` (<= size). Stops and returns false as soon as f does.
template <class F>
bool ForEachPageByte(uint64_t size, uint64_t limit, F&& f) {
  const uint64_t last = LastTouchedPage(size);
  for (uint64_t page = 1; page <= last && TouchOffset(page) < limit; ++page) {
    if (!f(page, TouchOffset(page))) return false;
  }
  return true;
}

}  // namespace

// The bytes ForEachPageByte(size, size, ...) visits, with TouchOffset and PatternByte
// computed incrementally: within each group of 64 pages the offset grows by a page and a
// line, and the pattern's sum by kPatternStep per page, a few instructions per page, which
// matters on objects of megabytes (touch_pattern_test checks that the bytes are the same).
void TouchPages(volatile uint8_t* b, uint64_t size, uint32_t slot) {
  constexpr uint64_t kGroup = kTouchStride / 64;  // pages before TouchOffset's line wraps
  const uint64_t last = LastTouchedPage(size);
  for (uint64_t page = 1; page <= last;) {
    const uint64_t group_last = std::min(last, page | (kGroup - 1));
    volatile uint8_t* at = b + TouchOffset(page);
    volatile uint8_t* const end = b + TouchOffset(group_last);
    uint8_t v = PatternSum(slot, page);
    for (;; at += kTouchStride + 64, v += kPatternStep) {
      *at = v | 1;
      if (at == end) break;
    }
    page = group_last + 1;
  }
}

bool HoldsPattern(const void* p, uint64_t size, uint64_t limit, uint32_t slot) {
  if (size == 0 || limit == 0) return true;
  auto* b = static_cast<const uint8_t*>(p);
  if (b[0] != (size == 1 ? LastPatternByte(slot) : PatternByte(slot, 0))) return false;
  const bool pages = ForEachPageByte(
      size, limit, [&](uint64_t page, uint64_t off) { return b[off] == PatternByte(slot, page); });
  return pages && (limit < size || b[size - 1] == LastPatternByte(slot));
}

bool ReadsZero(const void* p, uint64_t size) {
  auto* b = static_cast<const uint8_t*>(p);
  const uint64_t full = size < kFullZeroCheck ? size : kFullZeroCheck;
  for (uint64_t i = 0; i < full; ++i) {
    if (b[i] != 0) return false;
  }
  if (size <= full) return true;
  const bool pages = ForEachPageByte(
      size, size, [&](uint64_t, uint64_t off) { return off < full || b[off] == 0; });
  return pages && b[size - 1] == 0;
}

}  // namespace goalloc::replay
