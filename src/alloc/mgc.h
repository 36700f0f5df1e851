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
//   trigger, Go's assists' bound being the goal itself. There every mcache is flushed (Go's
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
// Single-threaded: sim mode only (the CLI refuses GC mode in parallel mode).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "src/alloc/heap.h"
#include "src/alloc/heap_stats.h"
#include "src/alloc/mgcpacer.h"
#include "src/alloc/mspan.h"

namespace goalloc::alloc {

class MCache;
class MHeap;

// The share of the runway (goal − trigger) the mutator allocates between the trigger and
// mark termination. Chosen against real Go (`--allocator go-runtime`): see allocator.md.
inline constexpr double kMarkRunwayFraction = 1.0;
inline constexpr uint32_t kCacheSpanSweepBudget = 100;  // mcentral.cacheSpan's spanBudget

class Collector {
 public:
  Collector(MHeap* heap, const GcConfig& config);

  void Drop(MCache* c, uintptr_t addr, uint64_t size);

  // Slow-path hooks (mcentral.cacheSpan, mallocgc's large path, mheap.alloc).
  void OnRefill(const MSpan* s);  // the span an mcache just took
  void OnLargeAlloc(const MSpan* s);
  void DeductSweepCredit(MCache* c, uintptr_t span_bytes);
  // Sweeps unswept spans of class sc until one has a free slot (left in mcentral's
  // partial list) or the budget is spent.
  void SweepClass(MCache* c, SpanClass sc);
  // Before the heap allocates npages: sweep spans with nothing marked until npages freed.
  void Reclaim(MCache* c, uintptr_t npages);
  void OnHeapGrowth(uint64_t inuse);  // peak HeapInuse

  const bool* due() const { return &due_; }
  uint64_t* clock() { return &event_; }  // the event being replayed, set by the caller
  void Safepoint(MCache* c);
  void CollectNow(MCache* c);

  GcStats Read() const;
  // GC invariants: every garbage object is an allocated slot of the class it was counted
  // in, listed once; the garbage counters equal the lists; plus any violation seen.
  std::string Verify() const;

  // Garbage per span class (0, 1: large) for statistics; tiny sub-objects apart.
  struct ClassGarbage {
    uint64_t objects = 0, bytes = 0, requested = 0;
  };
  const ClassGarbage& garbage(SpanClass sc) const { return garbage_[sc]; }
  const ClassGarbage& tiny_garbage() const { return tiny_garbage_; }

 private:
  struct Dropped {
    uintptr_t addr;
    uint64_t size;
    MSpan* span;  // stays in use while the object is garbage
  };
  struct Unit {  // a span holding unreached objects: objects_[first, first + count)
    MSpan* span;
    uint64_t first;
    uint32_t count;
    bool swept;
  };

  void StartCycle(MCache* c);
  void MarkTermination();
  void Repace();
  void TestTrigger();
  uint64_t HeapAllocBytes() const;  // slot bytes of allocated objects (Go's HeapAlloc)
  // Sweeps units_[i]; returns the pages of the span (Go's pagesSwept) and adds to
  // *freed_pages the pages given back to the heap.
  void SweepUnit(MCache* c, size_t i, uintptr_t* freed_pages);
  void FinishSweep(MCache* c);
  void Count(const Dropped& d, const MSpan* s, int sign);
  void Violation(std::string what);

  MHeap* heap_;
  GcConfig config_;
  bool due_ = false;
  bool marking_phase_ = false;
  uint64_t event_ = 0;

  // Pacer state (gcControllerState).
  uint64_t heap_live_ = 0, heap_marked_ = 0, sweep_dist_min_trigger_ = 0, triggered_ = 0;
  Pacing pacing_;
  uint64_t mark_end_live_ = 0;  // heapLive at which mark terminates
  uint64_t last_goal_ = 0, last_heap_inuse_ = 0;

  std::vector<Dropped> pending_;  // dropped since the running (or next) cycle started
  std::vector<Dropped> marking_;  // unreached by the running mark
  std::vector<Dropped> objects_;  // unswept, grouped by unit
  std::vector<Unit> units_;       // Go's sweep order
  std::vector<std::vector<uint32_t>> class_units_;  // per span class, in order
  std::vector<size_t> class_cursor_;
  std::vector<uint32_t> reclaim_units_;  // units with nothing marked, address order
  size_t sweep_cursor_ = 0, reclaim_cursor_ = 0, units_left_ = 0;
  // Proportional sweep (gcPaceSweeper).
  double sweep_pages_per_byte_ = 0;
  uint64_t sweep_live_basis_ = 0, pages_swept_ = 0;
  uint64_t large_bytes_ = 0;  // pages of large spans in use

  std::vector<ClassGarbage> garbage_;  // per span class of the heap's table
  ClassGarbage tiny_garbage_;
  uint64_t cycles_ = 0;
  uint64_t peak_inuse_ = 0, peak_inuse_event_ = 0, peak_heap_alloc_ = 0;
  uint64_t mark_ns_ = 0, sweep_ns_ = 0;
  std::string violation_;
  std::vector<GcCycleStats> log_;
};

}  // namespace goalloc::alloc
