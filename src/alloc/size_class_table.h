// A size-class table as a value: the rows (object size, pages per span) and everything the
// allocator derives from them (slots, tail, divMul, alignment, the size → class lookups),
// the way Go's mksizeclasses.go derives its output. Go's table (sizeclasses.h) is one such
// value, built at compile time and the heap's default; `--size-classes FILE` builds another
// at run time (size_class_file.h), checked against the rules below.
//
// Rules every table obeys (FromRows checks them; Go's table does):
//   - at most 127 classes: span class = class << 1 | noscan fits in one byte;
//   - it starts 8 B, 16 B: the tiny allocator's 16-byte blocks are slots of class 2, as in
//     Go (tinySizeClass), so span class 5 is the tiny class in every table;
//   - sizes strictly ascending; multiples of 8, of 16 from 32 B (Go's heap bitmaps and C's
//     max_align_t), of 128 above 1 KiB (size_to_class128 has one entry per 128 B);
//     the largest at most 32 KiB;
//   - pages per span from 1 to kMaxClassPages, so that at least one object fits in a scan
//     span (which loses span/64 to heap bits up to 512 B) and at most kMaxObjsPerSpan in
//     a noscan one (the span bitmaps' size). Pages 0 in a row means "choose by Go's rule":
//     the fewest pages whose tail is at most 1/8 of the span. (mksizeclasses.go applies
//     the rule to the smallest size it then merges into a class, so Go's own pages differ
//     for some classes: 9472 B has 7 pages in Go's table, 5 by the rule on 9472.)
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "src/alloc/sizeclasses.h"

namespace goalloc::alloc {

inline constexpr int kMaxSizeClasses = 128;  // class 0 (large) and up to 127 small classes
inline constexpr int kMaxSpanClasses = kMaxSizeClasses * 2;
inline constexpr uint32_t kMaxClassPages = 32;  // Go's largest span class has 10

struct SizeClassRow {
  uint32_t size = 0;
  uint32_t pages = 0;  // 0: chosen by Go's rule (PagesByGoRule)
};

// A row that breaks a rule: `row` is its index in the rows given (0-based), or -1 when the
// table as a whole is wrong (empty, too many rows).
class SizeClassError : public std::runtime_error {
 public:
  SizeClassError(int row, const std::string& what) : std::runtime_error(what), row(row) {}
  int row;
};

// Go's rule (mksizeclasses.go): the fewest pages whose tail is at most 1/8 of the span.
constexpr uint32_t PagesByGoRule(uint32_t size) {
  uint32_t span = uint32_t(kPageSize);
  while (span % size > span / 8) span += uint32_t(kPageSize);
  return span / uint32_t(kPageSize);
}

// The step a class size must be a multiple of: 8, 16 from 32 B, 128 above 1 KiB.
uint32_t AlignmentStep(uint64_t size);
// The geometry of a span class of `size`-byte objects in spans of `pages` pages.
SpanClassInfo DeriveSpanClass(uint32_t size, uint32_t pages, bool noscan);
// Why `pages` per span break the rules for `size`-byte objects; "" when they do not.
std::string PagesProblem(uint32_t size, uint32_t pages);

// A request as mallocgc sizes it: scan objects over 512 B carry an 8-byte header.
constexpr size_t WithMallocHeader(size_t size, bool noscan) {
  return !noscan && size > kMinSizeForMallocHeader ? size + kMallocHeaderSize : size;
}
// Whether a request goes to the tiny allocator (noscan, under 16 B, aligned to at most 16).
constexpr bool IsTinyRequest(size_t size, size_t align, bool noscan) {
  return noscan && size < kTinySize && align <= kTinySize;
}

class SizeClassTable {
 public:
  // Builds from rows (class 1 first), checking every rule; throws SizeClassError.
  static SizeClassTable FromRows(const std::vector<SizeClassRow>& rows);

  // Size classes including class 0 (large); span classes are 2 × that.
  int num_classes() const { return num_classes_; }
  int num_span_classes() const { return num_classes_ * 2; }
  uint32_t class_size(int c) const { return span_[MakeSpanClass(c, true)].elemsize; }
  uint32_t class_pages(int c) const { return span_[MakeSpanClass(c, true)].npages; }
  const SpanClassInfo& info(SpanClass sc) const { return span_[sc]; }
  // Largest request served by a size class (larger: a large span). Go's table: 32,760 B
  // both ways (Go tests size <= maxSmallSize-mallocHeaderSize before adding the header).
  uint32_t max_small(bool noscan) const { return max_small_[noscan]; }

  // The smallest class whose objects hold n bytes; n <= the largest class size.
  int SizeToClass(size_t n) const {
    if (n <= kSmallSizeMax - kSmallSizeDiv) [[likely]] {  // most requests: the malloc fast path
      return size_to_class8_[(n + kSmallSizeDiv - 1) / kSmallSizeDiv];
    }
    return size_to_class128_[(n - kSmallSizeMax + kLargeSizeDiv - 1) / kLargeSizeDiv];
  }
  // The span class for a small request as mallocgc picks it (header added for big scan
  // objects). Requires size <= max_small(noscan).
  SpanClass SmallSpanClass(size_t size, bool noscan) const {
    return MakeSpanClass(SizeToClass(WithMallocHeader(size, noscan)), noscan);
  }
  // Go's "max waste %" of a class: the worst case of (slot rounding + tail) over a span full
  // of the smallest objects that map to it, as mksizeclasses.go prints it.
  double MaxWastePercent(int c) const;

  bool operator==(const SizeClassTable& o) const;

  // Go's table (sizeclasses.h), the default.
  static const SizeClassTable& Go();

 private:
  SizeClassTable() = default;

  int num_classes_ = 0;
  std::array<uint32_t, 2> max_small_{};  // by noscan
  std::array<SpanClassInfo, kMaxSpanClasses> span_{};
  std::array<uint8_t, kSmallSizeMax / kSmallSizeDiv + 1> size_to_class8_{};
  std::array<uint8_t, (kMaxSmallSize - kSmallSizeMax) / kLargeSizeDiv + 1> size_to_class128_{};
};

}  // namespace goalloc::alloc
