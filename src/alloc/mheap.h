// Go's mheap: the arenas and their index, the page allocator, the span-struct allocator,
// the mcentrals, the registry of mcaches (Ps), the scavenger trigger, and the heap's byte
// counters. allocSpan takes the mheap lock unless both the P's page cache and its mspan
// cache can serve the request (as Go's does); freeSpan always takes it.
// Counters: sys (heap mapped read-write), released (scavenged, within sys), inuse (pages
// in spans), spans_in_use are atomics updated on the span paths, so ReadTotals is O(1).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "src/alloc/arena.h"
#include "src/alloc/fixalloc.h"
#include "src/alloc/heap.h"
#include "src/alloc/instrumented_mutex.h"
#include "src/alloc/mcache.h"
#include "src/alloc/mcentral.h"
#include "src/alloc/mgc.h"
#include "src/alloc/pagealloc.h"
#include "src/alloc/size_class_table.h"

namespace goalloc::alloc {

class MHeap {
 public:
  explicit MHeap(const HeapConfig& config);
  ~MHeap();
  MHeap(const MHeap&) = delete;
  MHeap& operator=(const MHeap&) = delete;

  // A span of npages for span class sc, aligned to align_pages (a power of two), from
  // c's page cache when possible (c may be null: no P). The span is initialised empty.
  // Null when the heap cannot grow or map the span's metadata (failure() says why); the
  // heap's state and counters are then as before, apart from growth already done.
  MSpan* AllocSpan(MCache* c, uintptr_t npages, SpanClass sc, uintptr_t align_pages)
      EXCLUDES(lock_);
  void FreeSpan(MSpan* s) EXCLUDES(lock_);

  MCache* NewMCache() EXCLUDES(lock_);
  void ReleaseMCache(MCache* c) EXCLUDES(lock_);

  // GC mode's collector, or null (explicit-free mode).
  Collector* gc() { return gc_.get(); }
  const Collector* gc() const { return gc_.get(); }
  // The scavenger's mechanism: releases up to `pages` free pages (highest first); returns
  // the bytes released.
  uint64_t ReleasePages(uint64_t pages) EXCLUDES(lock_);

  MCentral& central(SpanClass sc) { return central_[sc]; }
  const MCentral& central(SpanClass sc) const { return central_[sc]; }
  const ArenaIndex& index() const { return index_; }
  const PageAlloc& pages() const WORLD_STOPPED { return pages_; }
  const HeapConfig& config() const { return config_; }
  const SizeClassTable& classes() const { return classes_; }
  const std::vector<MCache*>& caches() const WORLD_STOPPED { return caches_; }
  const InstrumentedMutex& lock() const RETURN_CAPABILITY(lock_) { return lock_; }

  // Why the last AllocSpan returned null.
  const std::string& failure() const WORLD_STOPPED { return failure_; }

  HeapTotals ReadTotals() const WORLD_STOPPED;
  // ReadTotals().footprint(), kept current by every path that changes one of its terms, so
  // that sim mode can observe the footprint after every event with one load (ReadTotals cost
  // it 47 instructions an event on server.gat.zst). Exact while no other thread is inside
  // the heap; Verify checks it against ReadTotals.
  const std::atomic<uint64_t>& footprint() const { return footprint_; }
  HeapStats ReadStats() const WORLD_STOPPED;  // heap_stats.cc
  std::string Verify() const WORLD_STOPPED;   // verify.cc
  // Every P's counters plus those of released Ps.
  MCacheCounters SumCounters() const WORLD_STOPPED;

 private:
  // Counts `bytes` of span allocation towards the current GC cycle; at the cycle's end,
  // runs the scavenger (scavenger.h).
  void MaybeScavenge(uintptr_t bytes) EXCLUDES(lock_);
  MSpan* NewSpanStruct() REQUIRES(lock_);  // null when the OS refuses the metadata
  // sys and released after `grown` bytes were mapped, of which scav_pages were reused.
  void CountGrowth(uintptr_t grown, uintptr_t scav_pages);
  // What AllocSpan gathers: the span struct, its pages (with the scavenged pages reused
  // and the bytes the heap grew by on the way) and, for the tiny class, its live counts.
  struct SpanParts {
    MSpan* s = nullptr;
    uintptr_t base = 0, scav = 0, grown = 0;
    std::atomic<int8_t>* counts = nullptr;
  };
  // AllocSpan's slow path: completes p from the heap, first refilling c's empty page cache
  // (use_pcache) and its mspan cache; false when the heap cannot (FailSpan undid it).
  bool AllocSpanLocked(MCache* c, uintptr_t npages, SpanClass sc, uintptr_t align_pages,
                       bool use_pcache, SpanParts* p) REQUIRES(lock_);
  // Gives back what p took (either part may be absent), counts the growth done before the
  // failure, and says why in failure_.
  void FailSpan(const SpanParts& p, uintptr_t npages) REQUIRES(lock_);
  // The metadata mapped: the arena index, the span structs and tiny counts, the fixed part
  // and the Ps' mcaches.
  uint64_t MetadataBytes() const WORLD_STOPPED;
  // After a call that may have mapped metadata or added or removed a P: moves footprint_ by
  // the metadata's change.
  void NoteMetadata() REQUIRES(lock_);

  HeapConfig config_;
  const SizeClassTable& classes_;  // config_.size_classes, or Go's
  InstrumentedMutex lock_;
  ArenaIndex index_;
  PageAlloc pages_ GUARDED_BY(lock_){&index_};
  FixAlloc span_alloc_ GUARDED_BY(lock_){sizeof(MSpan)};
  FixAlloc tiny_counts_alloc_ GUARDED_BY(lock_){classes_.info(kTinySpanClass).nelems};
  std::unique_ptr<MCentral[]> central_;  // one per span class of classes_
  std::vector<MCache*> caches_ GUARDED_BY(lock_);
  MCacheCounters retired_ GUARDED_BY(lock_);  // counters of released mcaches

  std::atomic<uint64_t> sys_{0}, released_{0}, inuse_{0}, spans_in_use_{0};
  uint64_t metadata_ GUARDED_BY(lock_) = 0;  // MetadataBytes() when footprint_ last moved
  std::atomic<uint64_t> footprint_{0};       // sys_ − released_ + metadata_
  // Simulated GC cycles (scavenger.h): span-allocation bytes so far, and the volume at which
  // the current cycle ends.
  std::atomic<uint64_t> alloc_volume_{0}, cycle_end_{0};
  uint64_t scavenger_runs_ GUARDED_BY(lock_) = 0;
  uint64_t scavenged_bytes_ GUARDED_BY(lock_) = 0;
  std::string failure_ GUARDED_BY(lock_);
  std::unique_ptr<Collector> gc_;  // GC mode only
};

}  // namespace goalloc::alloc
