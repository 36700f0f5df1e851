// The public face of the Go-style allocator: a Heap (Go's mheap plus its mcentrals) and
// one MCache per P. Everything a user of the library needs is here; the mechanism lives
// in the files named after Go's (mspan, mcache, mcentral, mheap, pagealloc, ...).
//
// Threading contract: each MCache is used by one thread at a time (like a P). Malloc and
// Free may run concurrently on different MCaches; Free may free an object allocated from
// any MCache. ReadTotals, ReadStats and Verify require that no other thread is inside the
// heap at the time (the replay's stop-the-world pause), and are then exact.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "src/alloc/heap_stats.h"

namespace goalloc::alloc {

class MCache;

struct HeapConfig {
  // Scavenger policy, driven by allocation volume (not wall time) so replays are
  // deterministic: after every `scavenge_period_bytes` of span allocation, release idle
  // pages above the retention bound max(retain_min_bytes, retain_ratio × inuse),
  // highest addresses first (see scavenger.h).
  uint64_t scavenge_period_bytes = 64 << 20;
  double retain_ratio = 0.10;
  uint64_t retain_min_bytes = 4 << 20;
  bool scavenger_enabled = true;
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
  // Never returns null for sizes < 2^47 (aborts on OS memory exhaustion, like Go).
  void* Malloc(MCache* c, size_t size, bool noscan);
  // Any power-of-two alignment.
  void* AlignedAlloc(MCache* c, size_t size, size_t align, bool noscan);
  // `size` is what the caller asked for when allocating (like C23 free_sized); it keeps
  // requested-byte accounting exact. `c` is the freeing thread's mcache.
  void Free(MCache* c, void* p, size_t size);
  // Bytes usable at p (the object size of its slot, or the large span's bytes).
  size_t UsableSize(const void* p) const;

  HeapTotals ReadTotals() const;
  HeapStats ReadStats() const;
  // Walks every arena, span, bitmap and counter; returns "" when all agree, else a
  // description of the first disagreement.
  std::string Verify() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace goalloc::alloc
