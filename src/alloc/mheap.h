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
  MSpan* AllocSpan(MCache* c, uintptr_t npages, SpanClass sc, uintptr_t align_pages);
  void FreeSpan(MSpan* s);

  MCache* NewMCache();
  void ReleaseMCache(MCache* c);

  // GC mode's collector, or null (explicit-free mode).
  Collector* gc() { return gc_.get(); }
  const Collector* gc() const { return gc_.get(); }
  // The scavenger's mechanism: releases up to `pages` free pages (highest first); returns
  // the bytes released.
  uint64_t ReleasePages(uint64_t pages);

  MCentral& central(SpanClass sc) { return central_[sc]; }
  const MCentral& central(SpanClass sc) const { return central_[sc]; }
  const ArenaIndex& index() const { return index_; }
  const PageAlloc& pages() const { return pages_; }
  const HeapConfig& config() const { return config_; }
  const SizeClassTable& classes() const { return classes_; }
  const std::vector<MCache*>& caches() const { return caches_; }
  const InstrumentedMutex& lock() const { return lock_; }

  // Why the last AllocSpan returned null; read while no other thread is in the heap.
  const std::string& failure() const { return failure_; }

  HeapTotals ReadTotals() const;
  HeapStats ReadStats() const;  // heap_stats.cc
  std::string Verify() const;   // verify.cc
  // Every P's counters plus those of released Ps.
  MCacheCounters SumCounters() const;

 private:
  // Counts `bytes` of span allocation towards the current GC cycle; at the cycle's end,
  // runs the scavenger (scavenger.h).
  void MaybeScavenge(uintptr_t bytes);
  MSpan* NewSpanStruct();  // null when the OS refuses the metadata
  // sys and released after `grown` bytes were mapped, of which scav_pages were reused.
  void CountGrowth(uintptr_t grown, uintptr_t scav_pages);
  // AllocSpan's failure, under lock_: gives back what it took (span struct s or pages at
  // base, either may be absent), counts the growth done before it, and returns null.
  MSpan* FailSpan(MSpan* s, uintptr_t base, uintptr_t npages, uintptr_t grown,
                  uintptr_t scav_pages);

  HeapConfig config_;
  const SizeClassTable& classes_;  // config_.size_classes, or Go's
  InstrumentedMutex lock_;
  ArenaIndex index_;
  PageAlloc pages_{&index_};
  FixAlloc span_alloc_{sizeof(MSpan)};
  FixAlloc tiny_counts_alloc_{classes_.info(kTinySpanClass).nelems};
  std::unique_ptr<MCentral[]> central_;  // one per span class of classes_
  std::vector<MCache*> caches_;          // under lock_
  MCacheCounters retired_;               // counters of released mcaches, under lock_

  std::atomic<uint64_t> sys_{0}, released_{0}, inuse_{0}, spans_in_use_{0};
  // Simulated GC cycles (scavenger.h): span-allocation bytes so far, and the volume at which
  // the current cycle ends.
  std::atomic<uint64_t> alloc_volume_{0}, cycle_end_{0};
  uint64_t scavenger_runs_ = 0, scavenged_bytes_ = 0;  // under lock_
  std::string failure_;                                // under lock_
  std::unique_ptr<Collector> gc_;                      // GC mode only
};

}  // namespace goalloc::alloc
