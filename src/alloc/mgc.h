// GC mode: a deterministic model of Go 1.19's collector over this heap (mgc.go, mgcpacer.go,
// mgcsweep.go, mcentral.go, mgcscavenge.go; docs/allocator.md "GC mode" says where it departs).
//
// - Drop (a trace free) leaves the object allocated, as garbage: it joins `pending_`.
// - heapLive as Go accounts it: a span's unallocated bytes (tail included) when an mcache
//   takes it, a large object's pages at once; reset to heapMarked at mark termination.
//   Checked against the trigger on those two paths only, as Go's mallocgc does.
// - A cycle starts at the first safepoint with heapLive ≥ trigger: the previous cycle's
//   sweep is finished, and the objects dropped so far are the ones this mark will not
//   reach (`marking_`); objects dropped later, or allocated during mark, survive it.
// - Mark is not simulated object by object: it terminates at the first safepoint where the
//   mutator has allocated kMarkRunwayFraction of the runway (goal − trigger) since the
//   trigger, Go's assists' bound being the goal itself; a large object that takes heapLive
//   to that bound is allocated after mark termination, unmarked (Go's assist charges its
//   bytes before allocating it, which finishes the scan work). There every mcache is flushed (Go's
//   prepareForSweep), heapMarked = slot bytes allocated − slot bytes unreached (a tiny block
//   only when all its sub-objects are), the pacer recomputes goal and trigger, the
//   scavenger releases down to its paced goal, and the unreached objects become sweep
//   units: one per span holding any, taken out of the mcentral lists (unswept).
// - Sweeping a unit frees its objects in one step (Go's mspan.sweep: a span left empty goes
//   back to the heap, an unmarked large object is freed). Who sweeps, as in Go: mcentral
//   sweeps its own class before taking a span (cacheSpan, budget 100 spans); the
//   proportional sweeper before every span allocation (deductSweepCredit, paced to finish
//   at the next trigger); mheap.reclaim before the heap allocates pages (spans whose
//   objects are all unreached, address order); the rest when the next cycle starts. The
//   global order is Go's: span class by span class, large objects first; within a class,
//   address order.
//
// Threads (parallel mode, docs/allocator.md "Parallel GC mode"): cycle start and mark
// termination run only with the world stopped (Safepoint, at the parallel engine's stops:
// its sample and GC points; sim mode calls it after the allocation that set `due`). Between stops
// the Ps run concurrently: a Drop goes to the dropping P's own GcWork (merged at cycle start),
// garbage is counted per P (a P that sweeps another's drops holds negative counts, kept modulo 2^64
// so the sum is exact), heapLive and the peak HeapInuse are atomics, `due` only asks for a
// stop, and sweep units are claimed under the collector's sweep lock. Lock order: sweep lock,
// then an mcentral's, then the mheap's (SweepUnit frees under all three).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "src/alloc/heap.h"
#include "src/alloc/heap_stats.h"
#include "src/alloc/instrumented_mutex.h"
#include "src/alloc/mgcpacer.h"
#include "src/alloc/mspan.h"

namespace goalloc::alloc {

class MCache;
class MHeap;

// The share of the runway (goal − trigger) the mutator allocates between the trigger and
// mark termination. Chosen against real Go (`--allocator go-runtime`): see allocator.md.
inline constexpr double kMarkRunwayFraction = 1.0;
inline constexpr uint32_t kCacheSpanSweepBudget = 100;  // mcentral.cacheSpan's spanBudget

// Garbage of one span class (0, 1: large), or the tiny sub-objects: objects, slot bytes
// (a tiny sub-object's own size) and requested bytes.
struct GcGarbage {
  uint64_t objects = 0, bytes = 0, requested = 0;

  GcGarbage& operator+=(const GcGarbage& o) {
    objects += o.objects;
    bytes += o.bytes;
    requested += o.requested;
    return *this;
  }
  GcGarbage& operator-=(const GcGarbage& o) {
    objects -= o.objects;
    bytes -= o.bytes;
    requested -= o.requested;
    return *this;
  }
  bool operator==(const GcGarbage&) const = default;
};

struct GcDropped {
  uintptr_t addr;
  uint64_t size;
  MSpan* span;  // stays in use while the object is garbage
};

// A P's share of the collector (Go's p.gcw): written only by the P's thread, read with the
// world stopped. Owned by the Collector, so it outlives its MCache.
struct GcWork {
  std::vector<GcDropped> dropped;  // since the running (or next) cycle started
  std::vector<GcGarbage> garbage;  // per span class: this P's drops minus its sweeps
  GcGarbage tiny;
};

class Collector {
 public:
  Collector(MHeap* heap, const GcConfig& config);

  void Drop(MCache* c, uintptr_t addr, uint64_t size);

  // Slow-path hooks (mcentral.cacheSpan, mallocgc's large path, mheap.alloc).
  void OnRefill(const MSpan* s);  // the span an mcache just took
  void OnLargeAlloc(const MSpan* s);
  void DeductSweepCredit(MCache* c, uintptr_t span_bytes) EXCLUDES(sweep_lock_);
  // Sweeps unswept spans of class sc until one has a free slot (left in mcentral's
  // partial list) or the budget is spent.
  void SweepClass(MCache* c, SpanClass sc) EXCLUDES(sweep_lock_);
  // Before the heap allocates npages: sweep spans with nothing marked until npages freed.
  void Reclaim(MCache* c, uintptr_t npages) EXCLUDES(sweep_lock_);
  void OnHeapGrowth(uint64_t inuse);  // peak HeapInuse

  // Set when heapLive crossed the trigger or the end of mark: sim mode then calls Safepoint
  // at once, parallel mode at its next stop.
  const std::atomic<bool>* due() const { return &due_; }
  // The event being replayed (sim mode), or the stop's (parallel): set by the caller.
  std::atomic<uint64_t>* clock() { return &event_; }
  // World stopped: starts a cycle or terminates mark if heapLive says so.
  void Safepoint(MCache* c) WORLD_STOPPED;
  void CollectNow(MCache* c) WORLD_STOPPED;

  GcStats Read() const WORLD_STOPPED;
  // GC invariants: every garbage object is an allocated slot of the class it was counted
  // in, listed once; the garbage counters equal the lists; plus any violation seen.
  std::string Verify() const WORLD_STOPPED;

  // Garbage per span class (0, 1: large) for statistics, summed over the Ps (world
  // stopped); tiny sub-objects apart.
  GcGarbage garbage(SpanClass sc) const WORLD_STOPPED;
  GcGarbage tiny_garbage() const WORLD_STOPPED;

 private:
  struct Unit {  // a span holding unreached objects: objects_[first, first + count)
    MSpan* span;
    uint64_t first;
    uint32_t count;
    bool swept;
  };

  void StartCycle(MCache* c) WORLD_STOPPED;
  // allocated_after: bytes of a large object the heap holds already but Go allocates just
  // after mark termination, so not marked (OnLargeAlloc).
  void MarkTermination(uint64_t allocated_after) WORLD_STOPPED;
  void Repace() WORLD_STOPPED;
  void TestTrigger();
  uint64_t HeapAllocBytes() const WORLD_STOPPED;  // slot bytes of allocated objects (HeapAlloc)
  // Sweeps units_[i] (its pages count as Go's pagesSwept) and adds to *freed_pages the pages
  // given back to the heap. True when the span was left with a free slot in its mcentral's
  // partial list: decided under the mcentral's lock, since another P may take the span
  // from there as soon as it is released.
  bool SweepUnit(MCache* c, size_t i, uintptr_t* freed_pages) REQUIRES(sweep_lock_);
  void FinishSweep(MCache* c) WORLD_STOPPED;
  // A dropped object's share of the garbage counters: one object, its slot bytes (a tiny
  // sub-object's own size) and its requested bytes; and the counter it counts on, its span
  // class's in `per_class` or `tiny`.
  static GcGarbage GarbageOf(const GcDropped& d, const MSpan* s);
  static GcGarbage& CounterOf(const GcDropped& d, const MSpan* s, std::vector<GcGarbage>& per_class,
                              GcGarbage& tiny);
  // c's GcWork, made on its first use.
  GcWork& Work(MCache* c) EXCLUDES(works_lock_);
  void Violation(std::string what) REQUIRES(sweep_lock_);
  uint64_t HeapLive() const { return heap_live_.load(std::memory_order_relaxed); }

  MHeap* heap_;
  GcConfig config_;
  std::atomic<bool> due_{false};
  std::atomic<uint64_t> event_{0};

  // Pacer state (gcControllerState), written with the world stopped; heapLive grows on
  // every P's refills (Go's is atomic too).
  bool marking_phase_ = false;
  std::atomic<uint64_t> heap_live_{0};
  uint64_t heap_marked_ = 0, sweep_dist_min_trigger_ = 0, triggered_ = 0, runway_ = 0;
  Pacing pacing_;
  uint64_t mark_end_live_ = 0;  // heapLive at which mark terminates
  uint64_t last_goal_ = 0, last_heap_inuse_ = 0;

  InstrumentedMutex works_lock_;
  std::vector<std::unique_ptr<GcWork>> works_ GUARDED_BY(works_lock_);  // one per P, ever
  std::vector<GcDropped> marking_;  // unreached by the running mark

  // The sweep. Fields read on the allocation paths before taking the lock are atomics
  // written under it (plain loads and stores: a single writer at a time).
  InstrumentedMutex sweep_lock_;
  std::vector<GcDropped> objects_ GUARDED_BY(sweep_lock_);  // unswept, grouped by unit
  std::vector<Unit> units_ GUARDED_BY(sweep_lock_);         // Go's sweep order
  std::vector<std::vector<uint32_t>> class_units_ GUARDED_BY(sweep_lock_);  // per span class
  std::vector<size_t> class_cursor_ GUARDED_BY(sweep_lock_);
  // Units with nothing marked, address order.
  std::vector<uint32_t> reclaim_units_ GUARDED_BY(sweep_lock_);
  size_t sweep_cursor_ GUARDED_BY(sweep_lock_) = 0;
  size_t reclaim_cursor_ GUARDED_BY(sweep_lock_) = 0;
  std::atomic<size_t> units_left_{0};
  // Proportional sweep (gcPaceSweeper): the rate and basis are set at mark termination.
  double sweep_pages_per_byte_ = 0;
  uint64_t sweep_live_basis_ = 0;
  std::atomic<uint64_t> pages_swept_{0};
  std::atomic<uint64_t> large_bytes_{0};  // pages of large spans in use (any P adds)
  // The bytes of the large object that took heapLive to mark_end_live_, if one did.
  std::atomic<uint64_t> crossing_large_{0};

  uint64_t cycles_ = 0;
  std::atomic<uint64_t> peak_inuse_{0}, peak_inuse_event_{0};
  uint64_t peak_heap_alloc_ = 0;
  uint64_t mark_ns_ = 0;
  uint64_t sweep_ns_ GUARDED_BY(sweep_lock_) = 0;
  std::string violation_ GUARDED_BY(sweep_lock_);
  std::vector<GcCycleStats> log_;  // appended with the world stopped, swept counts locked
};

}  // namespace goalloc::alloc
