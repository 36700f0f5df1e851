// The scavenger: policy (ScavengeGoal) and mechanism (PageAlloc::TakeScavengeRun and
// ReturnScavenged).
#include "src/alloc/scavenger.h"

#include <algorithm>

#include "src/alloc/pagealloc.h"

namespace goalloc::alloc {

uint64_t CycleBudget(const HeapConfig& config, uint64_t inuse) {
  return std::max(config.cycle_min_bytes, inuse / 100 * config.gc_percent);
}

uint64_t ScavengeGoal(const HeapConfig& config, uint64_t inuse, uint64_t retained) {
  const uint64_t heap_goal = inuse + CycleBudget(config, inuse);
  const auto bound = uint64_t((1 + config.retain_ratio) * double(heap_goal));
  return retained > bound ? retained - bound : 0;
}

std::pair<uintptr_t, uint32_t> PageAlloc::TakeScavengeRun(uintptr_t* cursor, uint32_t max_pages) {
  const auto& arenas = index_->arenas();
  for (auto it = arenas.rbegin(); it != arenas.rend(); ++it) {
    HeapArena* a = *it;
    if (a->base >= *cursor) continue;
    for (uint32_t ci = a->mapped_chunks; ci-- > 0;) {
      if (!ShouldScavenge(a->scav_data[ci])) continue;
      for (uint32_t w = kChunkWords; w-- > 0;) {
        uintptr_t wbase = a->ChunkBase(ci) + uintptr_t(w) * 64 * kPageSize;
        if (wbase >= *cursor) continue;
        uint64_t cand = ~a->alloc[ci][w] & ~a->scav[ci][w];
        uintptr_t below = (*cursor - wbase) / kPageSize;  // pages of this word below cursor
        if (below < 64) cand &= (uint64_t{1} << below) - 1;
        if (cand == 0) continue;
        uint32_t hi = 63 - uint32_t(__builtin_clzll(cand));
        uint32_t lo = hi;
        while (lo > 0 && ((cand >> (lo - 1)) & 1) && hi - lo + 1 < max_pages) lo--;
        uint32_t n = hi - lo + 1;
        uint64_t mask = (n == 64 ? ~uint64_t{0} : ((uint64_t{1} << n) - 1)) << lo;
        a->alloc[ci][w] |= mask;
        UpdateSummaries(a, ci);
        uintptr_t base = wbase + uintptr_t(lo) * kPageSize;
        *cursor = base;
        return {base, n};
      }
    }
  }
  *cursor = 0;
  return {0, 0};
}

void PageAlloc::ReturnScavenged(uintptr_t base, uint32_t npages) {
  HeapArena* a = index_->ArenaOf(base);
  uintptr_t page = (base - a->base) / kPageSize;
  uint32_t ci = uint32_t(page / kChunkPages);
  uint32_t w = uint32_t(page % kChunkPages / 64);
  uint32_t lo = uint32_t(page % 64);
  uint64_t mask = (npages == 64 ? ~uint64_t{0} : ((uint64_t{1} << npages) - 1)) << lo;
  a->alloc[ci][w] &= ~mask;
  a->scav[ci][w] |= mask;
  UpdateSummaries(a, ci);
  search_addr_ = std::min(search_addr_, base);
}

}  // namespace goalloc::alloc
