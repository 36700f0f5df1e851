// mspan bitmaps: initialisation, the nextFreeIndex scan, frees and the fold of remote frees.
#include "src/alloc/mspan.h"

#include <algorithm>
#include <cstring>
#include <thread>

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
  remote.store(RemoteState::kClosed, std::memory_order_relaxed);
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

bool MSpan::TryPostFree(uint32_t idx) {
  uint64_t r = remote.load(std::memory_order_relaxed);
  uint64_t next;
  do {
    if (RemoteState::Mode(r) == RemoteState::kCached) {
      next = r + 1;
    } else if (RemoteState::Mode(r) == RemoteState::kListed) {
      uint32_t live = RemoteState::Live(r);
      if (live == nelems || live == 1) return false;  // a list move or a span free: locked
      next = r + 1 - RemoteState::kLiveOne;
    } else {
      return false;
    }
  } while (
      !remote.compare_exchange_weak(r, next, std::memory_order_acquire, std::memory_order_relaxed));
  free_bits[idx / 64].fetch_or(uint64_t{1} << (idx % 64), std::memory_order_release);
  return true;
}

uint32_t MSpan::FoldRemoteFrees() {
  if (RemoteState::Posted(remote.load(std::memory_order_acquire)) == 0) return 0;
  uint32_t folded = FoldPostedBits();
  remote.fetch_sub(folded, std::memory_order_relaxed);  // posted >= folded: counts come first
  return folded;
}

void MSpan::DrainRemoteFrees() {
  uint32_t posted = RemoteState::Posted(remote.exchange(RemoteState::kClosed));
  for (uint32_t folded = FoldPostedBits(); folded < posted; folded += FoldPostedBits()) {
    std::this_thread::yield();  // a poster between its count and its bit
  }
}

uint32_t MSpan::FoldPostedBits() {
  uint32_t folded = 0;
  uint32_t lowest = nelems;
  uint32_t nw = nwords();
  for (uint32_t w = 0; w < nw; w++) {
    uint64_t bits = free_bits[w].exchange(0, std::memory_order_acquire);
    if (bits == 0) continue;
    alloc_bits[w] &= ~bits;
    folded += uint32_t(__builtin_popcountll(bits));
    lowest = std::min(lowest, w * 64 + uint32_t(__builtin_ctzll(bits)));
  }
  if (folded == 0) return 0;
  alloc_count -= folded;
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
