// Go's size classes and span classes (gc/sizeclasses.go, msize.go, mheap.go), with the
// Go 1.22+ rules for pointer-holding ("scan") objects: objects over 512 B carry an 8-byte
// malloc header, and scan spans of elemsize <= 512 reserve span/64 bytes at their end for
// the pointer bitmap. The rows (object size, span pages) are Go's table embedded as data;
// everything else (lookup tables, capacities, divMul, alignments) is derived from them by
// SizeClassTable (size_class_table.h), the way Go's mksizeclasses.go derives its output.
#pragma once

#include <array>
#include <cstdint>

namespace goalloc::alloc {

inline constexpr int kPageShift = 13;
inline constexpr uintptr_t kPageSize = uintptr_t{1} << kPageShift;  // 8 KiB
inline constexpr int kNumSizeClasses = 68;                          // class 0 means large
inline constexpr int kNumSpanClasses = kNumSizeClasses * 2;         // 136
inline constexpr uint32_t kMaxSmallSize = 32768;
inline constexpr uint32_t kSmallSizeDiv = 8;
inline constexpr uint32_t kSmallSizeMax = 1024;
inline constexpr uint32_t kLargeSizeDiv = 128;
inline constexpr uint32_t kMallocHeaderSize = 8;
inline constexpr uint32_t kMinSizeForMallocHeader = 512;
// Requests up to this size are small; Go checks size <= maxSmallSize-mallocHeaderSize
// before adding the header, so noscan 32761..32768 B are large too.
inline constexpr uint32_t kMaxSmallAlloc = kMaxSmallSize - kMallocHeaderSize;
inline constexpr uint32_t kMaxObjsPerSpan = 1024;
inline constexpr uint32_t kTinySize = 16;
inline constexpr int kTinySizeClass = 2;
inline constexpr int kTinySpanClass = 5;  // size class 2, noscan

using SpanClass = uint8_t;  // sizeclass << 1 | noscan
constexpr SpanClass MakeSpanClass(int size_class, bool noscan) {
  return SpanClass(size_class << 1 | (noscan ? 1 : 0));
}
constexpr int SizeClassOf(SpanClass sc) { return sc >> 1; }
constexpr bool NoscanOf(SpanClass sc) { return sc & 1; }

// Go's rows: object size and pages per span, by size class.
inline constexpr std::array<uint16_t, kNumSizeClasses> kClassToSize = {
    0,     8,     16,    24,    32,    48,    64,    80,    96,    112,   128,   144,  160,   176,
    192,   208,   224,   240,   256,   288,   320,   352,   384,   416,   448,   480,  512,   576,
    640,   704,   768,   896,   1024,  1152,  1280,  1408,  1536,  1792,  2048,  2304, 2688,  3072,
    3200,  3456,  4096,  4864,  5376,  6144,  6528,  6784,  6912,  8192,  9472,  9728, 10240, 10880,
    12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};
inline constexpr std::array<uint8_t, kNumSizeClasses> kClassToNPages = {
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 2, 1, 3, 2,  3, 1, 3,
    2, 3, 4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7, 2, 9, 7, 5, 8, 3, 10, 7, 4};

// Everything the allocator needs about one span class (derived from a table's rows by
// SizeClassTable, size_class_table.h, which also holds the size → class lookups).
struct SpanClassInfo {
  uint32_t elemsize = 0;
  uint32_t npages = 0;
  uint32_t nelems = 0;     // slots per span (scan spans <= 512 B lose span/64 to heap bits)
  uint32_t tail = 0;       // span bytes that hold no slot
  uint32_t div_mul = 0;    // Go's divMul: slot index = (offset * div_mul) >> 32
  uint32_t min_align = 0;  // every slot is aligned to this (span bases are page aligned)
  bool operator==(const SpanClassInfo&) const = default;
};

}  // namespace goalloc::alloc
