// Go's mcache: the per-P front end. One current span per span class (alloc[136]), the
// tiny allocator's current 16-byte block, the per-P page cache and mspan cache, and the
// P's statistics counters (Go keeps per-P stats too): plain fields, since only the owning
// thread writes them; the heap sums them over all Ps when it reads statistics.
//
// Tiny blocks and explicit free: each tiny-class span has a live count per 16-byte block
// (tiny_counts, int8). While a block is a P's current block its count holds
// kTinyCurrent minus the frees it received; the owner counts its sub-objects locally and
// adds them (minus kTinyCurrent) when it retires the block. Whoever brings the count to
// zero (the last freer, or the retiring owner) frees the block's slot. Frees are atomic
// decrements, so sub-objects may be freed from any P.
#pragma once

#include <cstdint>

#include "src/alloc/arena.h"
#include "src/alloc/mspan.h"
#include "src/alloc/pagealloc.h"
#include "src/alloc/size_class_table.h"

namespace goalloc::alloc {

class MHeap;
struct GcWork;

inline constexpr int8_t kTinyCurrent = 64;  // > 16 sub-objects per block, fits int8

struct ClassCounters {
  uint64_t mallocs = 0;   // slot allocations
  uint64_t frees = 0;     // slot frees
  int64_t requested = 0;  // requested bytes of live regular objects (tiny apart)
};

struct MCacheCounters {
  ClassCounters cls[kMaxSpanClasses];
  uint64_t tiny_allocs = 0, tiny_frees = 0;  // sub-objects
  int64_t tiny_requested = 0;
  uint64_t tiny_blocks = 0, tiny_block_frees = 0;  // of cls[kTinySpanClass]: tiny blocks
  uint64_t large_allocs = 0, large_frees = 0;
  int64_t large_requested = 0;

  void Add(const MCacheCounters& o);
};

class alignas(64) MCache {  // alone on its lines: each P writes its own on every call
 public:
  static constexpr int kSpanCacheMax = 16;  // Go's mspancache holds 128

  explicit MCache(MHeap* heap);

  void* Malloc(size_t size, bool noscan);
  void* AlignedAlloc(size_t size, size_t align, bool noscan);
  void Free(void* p, size_t size);

  // Slow path of a small allocation: fold remote frees, scan, or swap in a new span; null
  // when the heap cannot grow.
  MSpan* NextFree(SpanClass sc, uint32_t* idx);
  // Teardown: retire the tiny block and hand every cached span back to its mcentral.
  void ReleaseAll();

  MHeap* heap;
  const bool single_threaded;     // the heap's HeapConfig::single_threaded
  HeapArena* const* arena_l2;     // the heap's arena index, cached for free's span lookup
  const SizeClassTable* classes;  // the heap's, cached for the allocation fast path
  MSpan* alloc[kMaxSpanClasses];
  // Tiny allocator state.
  uintptr_t tiny = 0;
  uint32_t tiny_offset = 0;
  uint32_t tiny_subobjects = 0;  // placed in the current block
  MSpan* tiny_span = nullptr;
  uint32_t tiny_idx = 0;
  MCacheCounters counters;
  PageCache pcache;
  MSpan* span_cache[kSpanCacheMax];
  int span_cache_n = 0;
  // The span of the last same-P free, while this mcache holds it (so nobody can free it):
  // repeated frees into it skip the arena-index walk, which is free's critical path.
  uintptr_t hot_base = 0, hot_bytes = 0;
  MSpan* hot_span = nullptr;
  GcWork* gcw = nullptr;  // GC mode: this P's drops and garbage counts (Go's p.gcw; mgc.h)

 private:
  friend class Heap;
  // The bodies of Malloc and Free (malloc.cc), inlined into them and into Heap::Malloc and
  // Heap::Free, so that the heap's entry points, called on every event of a replay, do not
  // jump to a second function.
  [[gnu::always_inline]] inline void* MallocInline(size_t size, bool noscan);
  [[gnu::always_inline]] inline void FreeInline(void* p, size_t size);
  void* TinyAlloc(size_t size, uint32_t align);
  void RetireTinyBlock();
  // Same P (`owned`: s->owner is this mcache): clear the bit (no lock, no atomic RMW);
  // otherwise the mcentral's remote free.
  __attribute__((always_inline)) void FreeSlot(MSpan* s, uint32_t idx, bool owned) {
    if (owned) {
      s->ClearSlot(idx);
    } else {
      FreeRemote(s, idx);
    }
  }
  __attribute__((always_inline)) void FreeSlot(MSpan* s, uint32_t idx) {
    FreeSlot(s, idx, s->owner.load(std::memory_order_relaxed) == this);
  }
  void FreeRemote(MSpan* s, uint32_t idx);
  // A slot of span class sc for a `size`-byte request, counted; null (and not counted)
  // when the heap cannot grow.
  void* MallocSmall(SpanClass sc, size_t size) {
    counters.cls[sc].mallocs++;
    counters.cls[sc].requested += int64_t(size);
    MSpan* s = alloc[sc];
    uint32_t idx;
    if (!s->NextFreeFast(&idx)) return MallocSmallSlow(sc, size);
    return reinterpret_cast<void*>(s->SlotAddr(idx));
  }
  // MallocSmall through NextFree, out of line (a tail call: nothing of the fast path stays
  // live across it); takes the counting back when it fails.
  void* MallocSmallSlow(SpanClass sc, size_t size);
  void* MallocLarge(size_t size, bool noscan, uintptr_t align_pages);
};

// The sentinel every alloc[] slot starts with: no free slot, so the first allocation of a
// class takes the slow path (Go's emptymspan).
extern MSpan kEmptySpan;

}  // namespace goalloc::alloc
