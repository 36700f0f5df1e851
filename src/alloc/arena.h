// Go's arena index: the heap's address space is cut into 64 MiB arenas, each with a
// heapArena metadata block holding spans[8192] (page -> mspan) and, here, the page
// allocator's per-chunk bitmaps and summaries for its sixteen 4 MiB chunks. The index is
// Go's arenas L2 array (arenaL1Bits=0, arenaL2Bits=22, arenaBaseOffset), mmapped
// MAP_NORESERVE so only the index pages actually written cost memory; any address finds
// its arena and span in O(1). Metadata bytes (arena blocks, touched index pages) are counted.
#pragma once

#include <cstdint>
#include <vector>

#include "src/alloc/mspan.h"

namespace goalloc::alloc {

inline constexpr int kArenaShift = 26;
inline constexpr uintptr_t kArenaBytes = uintptr_t{1} << kArenaShift;          // 64 MiB
inline constexpr uint32_t kPagesPerArena = uint32_t(kArenaBytes / kPageSize);  // 8192
inline constexpr uint32_t kChunkPages = 512;                                   // pallocChunkPages
inline constexpr uintptr_t kChunkBytes = kChunkPages * kPageSize;              // 4 MiB
inline constexpr uint32_t kChunksPerArena = kPagesPerArena / kChunkPages;      // 16
inline constexpr uint32_t kChunkWords = kChunkPages / 64;                      // 8
inline constexpr int kArenaL2Bits = 22;
inline constexpr uintptr_t kArenaBaseOffset = 0xffff800000000000ULL;

// Go's pallocSum, unpacked: free pages at the start, the longest free run, free pages at
// the end, of a chunk (or of a whole arena for the arena-level summary).
struct PallocSum {
  uint32_t start = 0, max = 0, end = 0;
};

// Go's scavChunkData: a chunk's in-use pages now and at the start of generation `gen`
// (a simulated GC cycle), so the scavenger can skip chunks that are, or were at the start
// of this cycle, densely allocated (mgcscavenge.go).
struct ScavChunkData {
  uint16_t in_use, last_in_use;
  uint32_t gen;
};
inline constexpr uint16_t kScavChunkHiOccPages = uint16_t(0.96875 * kChunkPages);  // 496

struct HeapArena {
  MSpan* spans[kPagesPerArena];
  uint64_t alloc[kChunksPerArena][kChunkWords];  // pallocBits: 1 = in use or not mapped
  uint64_t scav[kChunksPerArena][kChunkWords];   // 1 = free and returned to the OS
  PallocSum chunk_sum[kChunksPerArena];
  ScavChunkData scav_data[kChunksPerArena];
  PallocSum sum;           // over the 16 chunk summaries; stale while sum_dirty
  bool sum_dirty;          // a chunk summary changed since `sum` was merged (Find merges)
  uint32_t mapped_chunks;  // chunks [0, mapped_chunks) are mapped read-write
  uintptr_t base;

  uintptr_t ChunkBase(uint32_t ci) const { return base + ci * kChunkBytes; }
};

class ArenaIndex {
 public:
  ArenaIndex();
  ~ArenaIndex();
  ArenaIndex(const ArenaIndex&) = delete;
  ArenaIndex& operator=(const ArenaIndex&) = delete;

  static uintptr_t IndexOf(uintptr_t p) {
    return ((p - kArenaBaseOffset) >> kArenaShift) & ((uintptr_t{1} << kArenaL2Bits) - 1);
  }
  HeapArena* ArenaOf(uintptr_t p) const { return l2_[IndexOf(p)]; }
  // Requires p to be inside a heap arena.
  MSpan* SpanOf(uintptr_t p) const { return SpanOf(l2_, p); }
  static MSpan* SpanOf(HeapArena* const* l2, uintptr_t p) {
    return l2[IndexOf(p)]->spans[(p >> kPageShift) % kPagesPerArena];
  }
  HeapArena* const* l2() const { return l2_; }
  // Null for addresses outside the heap.
  MSpan* SpanOfChecked(uintptr_t p) const {
    HeapArena* a = l2_[IndexOf(p)];
    return a == nullptr ? nullptr : a->spans[(p >> kPageShift) % kPagesPerArena];
  }
  void SetSpans(uintptr_t base, uintptr_t npages, MSpan* s);

  // Registers the arena at `base` (64 MiB aligned), all chunks unmapped; null (and nothing
  // registered) when its metadata cannot be mapped.
  HeapArena* Add(uintptr_t base);
  const std::vector<HeapArena*>& arenas() const { return sorted_; }  // address order
  uint64_t metadata_bytes() const { return metadata_bytes_; }

 private:
  HeapArena** l2_;
  std::vector<HeapArena*> sorted_;
  std::vector<bool> index_page_touched_;
  uint64_t metadata_bytes_ = 0;
};

// Calls fn(span) once for every in-use span, in address order (walks spans[] entries of
// mapped chunks; an entry whose span starts on that page is the span's first page).
template <typename Fn>
void ForEachSpan(const ArenaIndex& index, Fn fn) {
  for (const HeapArena* a : index.arenas()) {
    uint32_t pages = a->mapped_chunks * kChunkPages;
    for (uint32_t i = 0; i < pages; i++) {
      MSpan* s = a->spans[i];
      if (s != nullptr && s->base == a->base + i * kPageSize) fn(s);
    }
  }
}

}  // namespace goalloc::alloc
