// SizeClassTable: the rules (size_class_table.h) and the derivation of every figure from
// the rows.
#include "src/alloc/size_class_table.h"

#include <fmt/core.h>

#include <algorithm>

namespace goalloc::alloc {
namespace {

constexpr uint32_t LowBit(uint32_t x) { return x & (~x + 1); }

void CheckRow(const std::vector<SizeClassRow>& rows, size_t r) {
  const uint32_t size = rows[r].size, pages = rows[r].pages;
  auto fail = [&](const std::string& why) { throw SizeClassError(int(r), why); };
  if (r == 0 && size != 8) fail(fmt::format("class 1 is {} B; it must be 8 B, as Go's", size));
  if (r == 1 && size != 16) {
    fail(fmt::format("class 2 is {} B; it must be 16 B, the tiny allocator's block", size));
  }
  if (r > 0 && size <= rows[r - 1].size) {
    fail(fmt::format("{} B is not larger than the class before it ({} B): sizes must ascend", size,
                     rows[r - 1].size));
  }
  if (size > kMaxSmallSize) fail(fmt::format("{} B is over the largest, 32768 B", size));
  const uint32_t step = AlignmentStep(size);
  if (size % step != 0) {
    fail(
        fmt::format("{} B is not a multiple of {} (sizes are multiples of 8, of 16 from 32 B, "
                    "of 128 above 1024 B)",
                    size, step));
  }
  if (std::string why = PagesProblem(size, pages); !why.empty()) fail(why);
}

}  // namespace

uint32_t AlignmentStep(uint64_t size) {
  if (size > kSmallSizeMax) return kLargeSizeDiv;
  if (size >= 32) return 16;
  return kSmallSizeDiv;
}

SpanClassInfo DeriveSpanClass(uint32_t size, uint32_t pages, bool noscan) {
  SpanClassInfo i;
  i.elemsize = size;
  i.npages = pages;
  uint32_t span = pages * uint32_t(kPageSize);
  uint32_t usable = span;
  if (!noscan && size <= kMinSizeForMallocHeader) usable -= span / 64;
  i.nelems = usable / size;
  i.tail = span - i.nelems * size;
  i.div_mul = uint32_t(~uint32_t{0} / size + 1);
  i.min_align = std::min(LowBit(size), uint32_t(kPageSize));
  return i;
}

std::string PagesProblem(uint32_t size, uint32_t pages) {
  if (pages < 1 || pages > kMaxClassPages) {
    return fmt::format("{} pages per span: must be 1 to {}", pages, kMaxClassPages);
  }
  if (DeriveSpanClass(size, pages, false).nelems < 1) {
    return fmt::format("{} pages per span hold no {} B object", pages, size);
  }
  if (const uint32_t n = DeriveSpanClass(size, pages, true).nelems; n > kMaxObjsPerSpan) {
    return fmt::format("{} pages per span hold {} objects of {} B, over {}", pages, n, size,
                       kMaxObjsPerSpan);
  }
  return "";
}

SizeClassTable SizeClassTable::FromRows(const std::vector<SizeClassRow>& given) {
  if (given.empty()) throw SizeClassError(-1, "no size classes");
  if (given.size() > kMaxSizeClasses - 1) {
    throw SizeClassError(kMaxSizeClasses - 1,
                         fmt::format("{} classes: at most {} (a span class is one byte)",
                                     given.size(), kMaxSizeClasses - 1));
  }
  std::vector<SizeClassRow> rows = given;
  for (size_t r = 0; r < rows.size(); r++) {
    if (rows[r].pages == 0 && rows[r].size > 0 && rows[r].size <= kMaxSmallSize) {
      rows[r].pages = PagesByGoRule(rows[r].size);
    }
    CheckRow(rows, r);
  }
  SizeClassTable t;
  t.num_classes_ = int(rows.size()) + 1;
  for (int c = 1; c < t.num_classes_; c++) {
    for (bool noscan : {false, true}) {
      t.span_[MakeSpanClass(c, noscan)] =
          DeriveSpanClass(rows[c - 1].size, rows[c - 1].pages, noscan);
    }
  }
  const uint32_t largest = rows.back().size;
  t.max_small_[true] = std::min(largest, kMaxSmallAlloc);
  t.max_small_[false] = largest > kMinSizeForMallocHeader
                            ? std::min(largest - kMallocHeaderSize, kMaxSmallAlloc)
                            : largest;
  // Sizes past the largest class map to class 0; max_small keeps them from being looked up.
  auto lookup = [&](uint32_t size) -> uint8_t {
    if (size > largest) return 0;
    int c = 1;
    while (t.class_size(c) < size) c++;
    return uint8_t(c);
  };
  for (uint32_t i = 0; i < t.size_to_class8_.size(); i++) {
    t.size_to_class8_[i] = lookup(i * kSmallSizeDiv);  // size 0: class 1 (Go: zerobase)
  }
  for (uint32_t i = 0; i < t.size_to_class128_.size(); i++) {
    t.size_to_class128_[i] = lookup(kSmallSizeMax + i * kLargeSizeDiv);
  }
  return t;
}

const SizeClassTable& SizeClassTable::Go() {
  static const SizeClassTable go = [] {
    std::vector<SizeClassRow> rows;
    for (int c = 1; c < kNumSizeClasses; c++) rows.push_back({kClassToSize[c], kClassToNPages[c]});
    return FromRows(rows);
  }();
  return go;
}

double SizeClassTable::MaxWastePercent(int c) const {
  const SpanClassInfo& info = span_[MakeSpanClass(c, true)];
  double span = double(info.npages) * double(kPageSize);
  double prev = c > 1 ? class_size(c - 1) : 0;
  // Every slot holds an object of prev+1 bytes: the rest of the span is wasted.
  double used = double(info.nelems) * (prev + 1);
  return 100.0 * (span - used) / span;
}

bool SizeClassTable::operator==(const SizeClassTable& o) const {
  return num_classes_ == o.num_classes_ && max_small_ == o.max_small_ && span_ == o.span_ &&
         size_to_class8_ == o.size_to_class8_ && size_to_class128_ == o.size_to_class128_;
}

}  // namespace goalloc::alloc
