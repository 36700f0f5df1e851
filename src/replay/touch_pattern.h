// The pattern the replay writes into the memory it gets, so that resident memory means the
// same for every allocator and so that --verify can catch a broken allocator: every new
// object is written at its first and last byte and one byte per 4 KiB page, with values
// derived from its slot. --verify then checks (engine.cc, into a CheckLog) that a calloc'd
// object reads as zeroes, that an aligned allocation is aligned, that realloc kept the old
// contents, and that an object still holds its pattern when it is freed (another live object
// overlapping it would have overwritten it).
#pragma once

#include <cstdint>

namespace goalloc::replay {

inline constexpr uint64_t kTouchStride = 4096;

// The byte Touch writes at page `page` of object `slot`.
// It is a sum that grows by kPatternStep per page, with the low bit set: odd, so never zero,
// and a pattern is never mistaken for fresh memory.
inline constexpr uint8_t kPatternStep = 37;
inline uint8_t PatternSum(uint32_t slot, uint64_t page) {
  return uint8_t((slot * 2654435761u) >> 24) + uint8_t(page * kPatternStep);
}
inline uint8_t PatternByte(uint32_t slot, uint64_t page) { return PatternSum(slot, page) | 1; }
// The byte Touch writes at the object's last byte: the first byte's with its top bit
// flipped (one instruction from it; still odd).
inline uint8_t LastPatternByte(uint32_t slot) { return PatternByte(slot, 0) ^ 0x80; }

// Where Touch writes in page `page` (>= 1) of an object, if that lies before the object's
// last byte (which is written anyway, in the last page): a different cache line in each of
// 64 consecutive pages. At page-aligned offsets every touched line of a big object falls in
// the few cache sets that a 4 KiB stride maps to, and they evict one another.
inline constexpr uint64_t TouchOffset(uint64_t page) {
  return page * kTouchStride + page % (kTouchStride / 64) * 64;
}

// The last page whose TouchOffset lies before the last byte of an object of `size` (> 0)
// bytes, or 0 when there is none: Touch writes pages 1..LastTouchedPage (TouchOffset grows
// with the page).
inline constexpr uint64_t LastTouchedPage(uint64_t size) {
  if (size < 2) return 0;
  const uint64_t page = (size - 2) / kTouchStride;  // the page of the byte before the last
  // Without a branch (whether the offset in that page lies before the last byte is data):
  // page 0's offset, 0, always does.
  return page - uint64_t{TouchOffset(page) > size - 2};
}

// Touch's writes after the first page, for an object of more than one page (out of line:
// rare, and a loop the per-event path need not hold).
void TouchPages(volatile uint8_t* b, uint64_t size, uint32_t slot);

// Writes the pattern of `slot` into the object (inline: once per allocation).
inline void Touch(void* p, uint64_t size, uint32_t slot) {
  if (size == 0) return;
  auto* b = static_cast<volatile uint8_t*>(p);
  b[0] = PatternByte(slot, 0);
  b[size - 1] = LastPatternByte(slot);
  if (size > kTouchStride) [[unlikely]]
    TouchPages(b, size, slot);
}
// True when the first `limit` bytes (limit <= size) hold the pattern Touch wrote for an
// object of `size` bytes.
bool HoldsPattern(const void* p, uint64_t size, uint64_t limit, uint32_t slot);
// True when the object reads as zeroes (fully up to 64 KiB, then the touch positions).
bool ReadsZero(const void* p, uint64_t size);

}  // namespace goalloc::replay
