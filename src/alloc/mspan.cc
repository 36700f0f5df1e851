// mspan bitmaps: initialisation, the nextFreeIndex scan, frees and the fold of remote frees.
#include "src/alloc/mspan.h"

#include <algorithm>
#include <cstring>

namespace goalloc::alloc {

void MSpan::Init(uintptr_t b, uintptr_t np, SpanClass sc, const SpanClassInfo& info) {
  base = b;
  npages = np;
  spanclass = sc;
  if (SizeClassOf(sc) == 0) {
    nelems = 1;
    elemsize = np * kPageSize;
    div_mul = 0;  // every address in the span is slot 0
  } else {
    nelems = info.nelems;
    elemsize = info.elemsize;
    div_mul = info.div_mul;
  }
  freeindex = 0;
  alloc_count = 0;
  gc_unit = 0;
  uint32_t nw = nwords();
  std::memset(alloc_bits, 0, nw * sizeof(uint64_t));
  std::memset(gcmark_bits, 0, nw * sizeof(uint64_t));
  for (uint32_t w = 0; w < nw; w++) free_bits[w].store(0, std::memory_order_relaxed);
  if (nelems % 64 != 0) alloc_bits[nw - 1] = ~uint64_t{0} << (nelems % 64);
  alloc_cache = ~alloc_bits[0];
  in_use = true;
  list = SpanList::kNone;
  owner.store(nullptr, std::memory_order_relaxed);
  remote_frees.store(0, std::memory_order_relaxed);
  next = prev = nullptr;
  tiny_counts = nullptr;
}

uint32_t MSpan::NextFreeIndex() const {
  uint32_t nw = nwords();
  for (uint32_t w = freeindex / 64; w < nw; w++) {
    uint64_t free = ~alloc_bits[w];
    if (w == freeindex / 64) free &= ~uint64_t{0} << (freeindex % 64);
    if (free != 0) return w * 64 + uint32_t(__builtin_ctzll(free));
  }
  return nelems;
}

void MSpan::TakeSlot(uint32_t idx) {
  alloc_bits[idx / 64] |= uint64_t{1} << (idx % 64);
  alloc_count++;
  freeindex = idx + 1;
  RefillAllocCache();
}

uint32_t MSpan::FoldRemoteFrees() {
  if (remote_frees.load(std::memory_order_acquire) == 0) return 0;
  uint32_t folded = 0;
  uint32_t lowest = nelems;
  uint32_t nw = nwords();
  for (uint32_t w = 0; w < nw; w++) {
    uint64_t bits = free_bits[w].exchange(0, std::memory_order_acq_rel);
    if (bits == 0) continue;
    alloc_bits[w] &= ~bits;
    folded += uint32_t(__builtin_popcountll(bits));
    lowest = std::min(lowest, w * 64 + uint32_t(__builtin_ctzll(bits)));
  }
  alloc_count -= folded;
  remote_frees.fetch_sub(int32_t(folded), std::memory_order_relaxed);
  if (lowest < freeindex) freeindex = lowest;
  RefillAllocCache();
  return folded;
}

uint32_t MSpan::PendingFrees() const {
  uint32_t n = 0;
  for (uint32_t w = 0; w < nwords(); w++) {
    n += uint32_t(__builtin_popcountll(free_bits[w].load(std::memory_order_relaxed)));
  }
  return n;
}

}  // namespace goalloc::alloc
