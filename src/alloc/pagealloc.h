// The page allocator (Go's pageAlloc, mpagealloc.go): which 8 KiB pages of the mapped heap
// are in use, found by address-ordered first fit. Per 4 MiB chunk it keeps Go's pallocBits
// (1 = in use) and scavenged bitmaps, and a pallocSum {start, max, end} of free runs.
// Summaries are two levels instead of Go's five (chunk, then arena = 16 chunks, then the
// address-ordered list of arenas, joining end+start across neighbours like Go's find):
// a search touches O(arenas + 16 + 8 words) summaries, never a page-by-page scan, which is
// sublinear for any heap this tool replays; adjacent free pages coalesce by construction,
// since freeing just clears bits. searchAddr is a lower bound of the first free page.
// Growth maps whole chunks read-write from the current reservation (reserving 64 MiB
// aligned regions PROT_NONE at Go's hint 0x00c000000000 and upward); new pages start
// free and scavenged, as Go's sysMap + grow count them released. Not thread-safe: the
// mheap's is GUARDED_BY its lock. PageCache is Go's per-P pageCache: a 64-page window taken whole.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "src/alloc/arena.h"

namespace goalloc::alloc {

inline constexpr uint32_t kPageCachePages = 64;
inline constexpr uintptr_t kHeapHint = 0x00c000000000ULL;
// The address space the arena index covers (Go's heapAddrBits = 48): no request beyond it
// can be served, so none is tried.
inline constexpr uintptr_t kMaxHeapBytes = uintptr_t{1} << (kArenaL2Bits + kArenaShift);

struct PageCache {
  uintptr_t base = 0;
  uint64_t cache = 0;  // 1 = free page at base + i pages
  uint64_t scav = 0;   // of those, scavenged

  bool empty() const { return cache == 0; }
  // npages < 64 contiguous pages, or 0; *scav_pages = how many were scavenged.
  uintptr_t Alloc(uintptr_t npages, uintptr_t* scav_pages);
};

class PageAlloc {
 public:
  explicit PageAlloc(ArenaIndex* index) : index_(index) {}
  ~PageAlloc();
  PageAlloc(const PageAlloc&) = delete;
  PageAlloc& operator=(const PageAlloc&) = delete;

  // npages pages whose base is aligned to align_pages (a power of two), growing the heap
  // when needed. *scav_pages = released pages reused; *grown_bytes = bytes newly mapped.
  // 0 when the heap cannot grow (failure() says why); nothing has changed then.
  uintptr_t Alloc(uintptr_t npages, uintptr_t align_pages, uintptr_t* scav_pages,
                  uintptr_t* grown_bytes);
  void Free(uintptr_t base, uintptr_t npages);
  // First fit, or 0.
  uintptr_t Find(uintptr_t npages);
  // Maps at least npages more pages, contiguous; returns the bytes mapped, or 0 when the
  // OS refuses the address space, the memory or the arenas' metadata (failure() says why).
  uintptr_t Grow(uintptr_t npages);
  // Why the last Grow failed.
  const std::string& failure() const { return failure_; }

  // An empty cache when the heap cannot grow.
  PageCache AllocToCache(uintptr_t* grown_bytes);
  void FlushCache(PageCache* c);

  // Starts a new generation (a simulated GC cycle) for the chunks' density tracking.
  void NextGeneration() { gen_++; }

  // The scavenger's two steps (scavenger.cc), each under the mheap lock, with the
  // MADV_DONTNEED between them done without it (as Go's scavengeOne does):
  // TakeScavengeRun finds the highest run of free, unscavenged pages below *cursor (at
  // most max_pages, within one bitmap word) in a chunk that is not dense (ShouldScavenge),
  // marks it in use so nothing allocates it meanwhile, and lowers *cursor; it returns
  // {0, 0} when there is none.
  // ReturnScavenged frees such a run back as scavenged.
  std::pair<uintptr_t, uint32_t> TakeScavengeRun(uintptr_t* cursor, uint32_t max_pages);
  void ReturnScavenged(uintptr_t base, uint32_t npages);

  const ArenaIndex& index() const { return *index_; }
  uintptr_t search_addr() const { return search_addr_; }

  // MHeap::Verify's checks of the page bitmaps, "" or what is wrong: summaries match
  // bitmaps, unmapped chunks hold no free page, chunk occupancy is counted right, and every
  // mapped page is in exactly one of {an in-use span, a P's page cache (pcaches: the pages
  // held by window base), free}, scavenged pages being free. Adds the mapped bytes to *sys
  // and the scavenged pages to *released_pages.
  std::string Verify(const std::map<uintptr_t, uint64_t>& pcaches, uint64_t* sys,
                     uint64_t* released_pages) const;

 private:
  uintptr_t AllocRange(uintptr_t base, uintptr_t npages);  // returns scavenged pages
  // Registers the arenas of a new reservation, in address order, until one's metadata cannot
  // be mapped; the registered part becomes reserved heap. Returns the bytes registered.
  uintptr_t RegisterArenas(uintptr_t region, uintptr_t size);
  // After `pages` pages of the chunk were allocated (or, negative, freed): its occupancy,
  // then its summaries.
  void UpdateChunk(HeapArena* a, uint32_t chunk, int32_t pages);
  void UpdateSummaries(HeapArena* a, uint32_t chunk);
  // Go's shouldScavenge (not forced): neither now nor at this generation's start dense.
  bool ShouldScavenge(const ScavChunkData& d) const;

  ArenaIndex* index_;
  uintptr_t search_addr_ = 0;
  uint32_t gen_ = 1;
  uintptr_t cur_ = 0, end_ = 0;  // reserved, not yet mapped
  std::vector<std::pair<uintptr_t, uintptr_t>> reservations_;
  std::string failure_;
};

// Summary of one chunk's bitmap, and the merge of consecutive summaries (Go's
// mergeSummaries); exposed for tests.
PallocSum SummarizeChunk(const uint64_t* bits);
PallocSum MergeSums(const PallocSum* sums, uint32_t n, uint32_t child_pages);

}  // namespace goalloc::alloc
