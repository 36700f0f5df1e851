// Go's size classes and span classes (gc/sizeclasses.go, msize.go, mheap.go), with the
// Go 1.22+ rules for pointer-holding ("scan") objects: objects over 512 B carry an 8-byte
// malloc header, and scan spans of elemsize <= 512 reserve span/64 bytes at their end for
// the pointer bitmap. The rows (object size, span pages) are Go's table embedded as data;
// everything else (lookup tables, capacities, divMul, alignments) is derived from them at
// compile time, the way Go's mksizeclasses.go derives its output.
#pragma once

#include <array>
#include <cstddef>
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

// Everything the allocator needs about one span class.
struct SpanClassInfo {
  uint32_t elemsize = 0;
  uint32_t npages = 0;
  uint32_t nelems = 0;     // slots per span (scan spans <= 512 B lose span/64 to heap bits)
  uint32_t tail = 0;       // span bytes that hold no slot
  uint32_t div_mul = 0;    // Go's divMul: slot index = (offset * div_mul) >> 32
  uint32_t min_align = 0;  // every slot is aligned to this (span bases are page aligned)
};

namespace detail {

constexpr uint32_t LowBit(uint32_t x) { return x & (~x + 1); }

constexpr std::array<SpanClassInfo, kNumSpanClasses> MakeSpanClassInfo() {
  std::array<SpanClassInfo, kNumSpanClasses> t{};
  for (int c = 1; c < kNumSizeClasses; c++) {
    for (int noscan = 0; noscan < 2; noscan++) {
      SpanClassInfo& i = t[MakeSpanClass(c, noscan)];
      i.elemsize = kClassToSize[c];
      i.npages = kClassToNPages[c];
      uint32_t span = i.npages * uint32_t(kPageSize);
      uint32_t usable = span;
      if (!noscan && i.elemsize <= kMinSizeForMallocHeader) usable -= span / 64;
      i.nelems = usable / i.elemsize;
      i.tail = span - i.nelems * i.elemsize;
      i.div_mul = uint32_t(~uint32_t{0} / i.elemsize + 1);
      uint32_t a = LowBit(i.elemsize);
      i.min_align = a < kPageSize ? a : uint32_t(kPageSize);
    }
  }
  return t;
}

constexpr std::array<uint8_t, kSmallSizeMax / kSmallSizeDiv + 1> MakeSizeToClass8() {
  std::array<uint8_t, kSmallSizeMax / kSmallSizeDiv + 1> t{};
  int c = 1;
  for (uint32_t i = 0; i < t.size(); i++) {
    uint32_t size = i * kSmallSizeDiv;
    while (kClassToSize[c] < size) c++;
    t[i] = uint8_t(c);  // size 0 maps to class 1 (Go returns zerobase; we give a slot)
  }
  return t;
}

constexpr std::array<uint8_t, (kMaxSmallSize - kSmallSizeMax) / kLargeSizeDiv + 1>
MakeSizeToClass128() {
  std::array<uint8_t, (kMaxSmallSize - kSmallSizeMax) / kLargeSizeDiv + 1> t{};
  int c = 1;
  for (uint32_t i = 0; i < t.size(); i++) {
    uint32_t size = kSmallSizeMax + i * kLargeSizeDiv;
    while (kClassToSize[c] < size) c++;
    t[i] = uint8_t(c);
  }
  return t;
}

}  // namespace detail

inline constexpr std::array<SpanClassInfo, kNumSpanClasses> kSpanClassInfo =
    detail::MakeSpanClassInfo();
inline constexpr auto kSizeToClass8 = detail::MakeSizeToClass8();
inline constexpr auto kSizeToClass128 = detail::MakeSizeToClass128();

// Go's lookup: 8-byte steps up to 1024 B, 128-byte steps up to 32 KiB. n <= kMaxSmallSize.
inline int SizeToClass(size_t n) {
  if (n <= kSmallSizeMax - kSmallSizeDiv) {
    return kSizeToClass8[(n + kSmallSizeDiv - 1) / kSmallSizeDiv];
  }
  return kSizeToClass128[(n - kSmallSizeMax + kLargeSizeDiv - 1) / kLargeSizeDiv];
}

// The span class for a small request as mallocgc picks it (header added for big scan
// objects). Requires size <= kMaxSmallAlloc.
inline SpanClass SmallSpanClass(size_t size, bool noscan) {
  if (!noscan && size > kMinSizeForMallocHeader) size += kMallocHeaderSize;
  return MakeSpanClass(SizeToClass(size), noscan);
}

// Go's "max waste %" of a size class: the worst case of (slot rounding + tail) over a span
// full of the smallest objects that map to the class, as mksizeclasses.go prints it.
double MaxWastePercent(int size_class);

}  // namespace goalloc::alloc
