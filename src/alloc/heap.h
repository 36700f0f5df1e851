// The public face of the Go-style allocator: a Heap (Go's mheap plus its mcentrals) and
// one MCache per P. Everything a user of the library needs is here; the mechanism lives
// in the files named after Go's (mspan, mcache, mcentral, mheap, pagealloc, ...).
//
// Threading contract: each MCache is used by one thread at a time (like a P). Malloc and
// Free may run concurrently on different MCaches; Free may free an object allocated from
// any MCache. ReadTotals, ReadStats and Verify require that no other thread is inside the
// heap at the time (the replay's stop-the-world pause), and are then exact.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "src/alloc/heap_stats.h"

namespace goalloc::alloc {

class MCache;
class SizeClassTable;

// GC mode (mgc.h, docs/allocator.md "GC mode"): objects are not freed by the caller but
// dropped, and a model of Go 1.19's collector (pacer, mark, sweep, scavenger) reclaims them.
// From one thread (sim mode) or several (parallel mode: mgc.h says what runs where).
struct GcConfig {
  bool enabled = false;
  std::optional<uint32_t> gogc = 100;    // GOGC; empty: off (no cycle unless the limit asks)
  std::optional<uint64_t> memory_limit;  // GOMEMLIMIT, bytes; empty: none
};

// GC mode: the runway of a cycle on a small heap under `config` (mgcpacer.h), Go's
// heapMinimum × GOGC/100 (GOGC off counted as 100), and at least the sweep distance that
// keeps GOGC 0's trigger above heapMarked. A tight memory limit brings cycles closer.
uint64_t GcMinRunway(const GcConfig& config);

struct HeapConfig {
  // Scavenger policy (see scavenger.h), driven by allocation volume, not wall time, so
  // replays are deterministic. It runs at the end of each simulated GC cycle, which lasts
  // max(cycle_min_bytes, gc_percent / 100 × inuse at the cycle's start) bytes of span
  // allocation (Go's pacer with heapMinimum and GOGC), and releases free pages until the
  // retained bytes (sys − released) are at most (1 + retain_ratio) × the next heap goal,
  // inuse + that budget (Go's gcPercentGoal, retainExtraPercent = 10).
  uint64_t cycle_min_bytes = 4 << 20;
  uint32_t gc_percent = 100;
  double retain_ratio = 0.10;
  bool scavenger_enabled = true;  // explicit-free mode's scavenger; GC mode paces its own
  // One thread makes every call into the heap (the replay's sim mode, or parallel mode with
  // one replay thread), so the words other Ps would update at the same time (posted frees,
  // tiny blocks' live counts) are updated with plain loads and stores (shared_word.h): the
  // same steps in the same order, no figure changes.
  bool single_threaded = false;
  // The size classes (size_class_table.h); null: Go's.
  std::shared_ptr<const SizeClassTable> size_classes;
  GcConfig gc;
};

class Heap {
 public:
  explicit Heap(const HeapConfig& config = {});
  ~Heap();  // returns every arena to the OS
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  // P lifecycle: a new mcache, and its teardown (flushes its spans back to mcentral).
  MCache* NewMCache();
  void ReleaseMCache(MCache* c);

  // `noscan` picks the span class (scan objects over 512 B carry Go's 8-byte header).
  // Null, like malloc, when the OS refuses the address space or memory the heap must grow
  // by (where Go would throw); LastFailure() then says why, and the heap, its counters and
  // Verify are as if the call had not been made (apart from growth already done).
  void* Malloc(MCache* c, size_t size, bool noscan);
  // Any power-of-two alignment; null as Malloc.
  void* AlignedAlloc(MCache* c, size_t size, size_t align, bool noscan);
  // `size` is what the caller asked for when allocating (like C23 free_sized); it keeps
  // requested-byte accounting exact. `c` is the freeing thread's mcache.
  void Free(MCache* c, void* p, size_t size);
  // GC mode: the caller dropped its last reference to p (a trace free). The object stays
  // allocated, as garbage, until a sweep after the next mark reclaims its slot.
  void Drop(MCache* c, void* p, size_t size);
  // GC mode: true when an allocation crossed the trigger or ended the mark phase. A
  // single-threaded caller then calls GcSafepoint with the P that allocated (Go starts a
  // cycle, or terminates mark, right after that allocation); with several threads, the
  // next time it has stopped them all (GcSafepoint needs the world stopped).
  const std::atomic<bool>* GcSafepointDue() const;
  // The index of the event being replayed (or of the stop), kept up to date by the caller
  // for the cycle log.
  std::atomic<uint64_t>* GcClock();
  void GcSafepoint(MCache* c);
  // GC mode: runtime.GC() — a full cycle now, swept to the end.
  void GcCollect(MCache* c);
  // GC mode: the collector's figures (cycles, pacer, cycle log).
  GcStats ReadGc() const;

  // Bytes usable at p (the object size of its slot, or the large span's bytes).
  size_t UsableSize(const void* p) const;

  // Why the last allocation that returned null failed, e.g. "cannot map 68719476736 bytes
  // (errno 12: Cannot allocate memory)". Read while no other thread is in the heap.
  std::string LastFailure() const;

  HeapTotals ReadTotals() const;
  // ReadTotals().footprint() as a word the heap keeps current, for a caller that reads the
  // footprint after every call (the replay's sim mode); read as ReadTotals.
  const std::atomic<uint64_t>& FootprintWord() const;
  HeapStats ReadStats() const;
  // Walks every arena, span, bitmap and counter; returns "" when all agree, else a
  // description of the first disagreement.
  std::string Verify() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace goalloc::alloc
