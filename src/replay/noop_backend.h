// The no-op backend: the floor of the engine's own cost. A bump pointer per replay thread
// over a small pre-faulted ring that wraps around; free does nothing, realloc does not copy.
// The bump pointer lives in the thread's Context, which the replay loop holds by value, so
// it stays in a register: in memory, Touch's byte stores may alias it and every allocation
// would reload it.
// Objects that cannot fit in the ring share one region per thread. Contents are not kept
// (the ring wraps), so --verify is refused for it; its footprint is reported as zero.
// Reachable only from the benchmarks (allocator name "noop"), never listed to users.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "src/replay/backend.h"
#include "src/replay/replay_result.h"

namespace goalloc::replay {

class NoopBackend : public BackendHooks {
 public:
  struct Cursor {  // a replay thread's bump pointer, and where its memory is
    char* ring = nullptr;
    uint64_t next = 0;
    char* big = nullptr;  // for Big objects: the thread's big region
  };
  using Context = Cursor;
  static constexpr bool kPerThreadContexts = false;
  static constexpr bool kFootprintPerEvent = false;

  // `max_object`, `max_align`: the largest object and alignment the trace asks for.
  NoopBackend(uint32_t threads, uint64_t max_object, uint64_t max_align);
  ~NoopBackend();
  NoopBackend(const NoopBackend&) = delete;
  NoopBackend& operator=(const NoopBackend&) = delete;

  Context ContextFor(uint32_t replay_thread) const {
    const Arena& a = arenas_[replay_thread];
    return {.ring = a.ring, .big = a.big};
  }
  void* Malloc(Context& c, uint64_t size, bool) { return Bump(c, size, 16); }
  void* Calloc(Context& c, uint64_t size, bool) { return Bump(c, size, 16); }
  void* AlignedAlloc(Context& c, uint64_t size, uint64_t align, bool) {
    return Bump(c, size, align);
  }
  void* Realloc(Context& c, void*, uint64_t, uint64_t size, bool) { return Bump(c, size, 16); }
  void Free(Context&, void*, uint64_t) {}

  uint64_t Footprint() const { return 0; }
  void FillSample(Sample& s) const { s.footprint = 0; }
  void FillSnapshot(Snapshot& s) const { s.footprint = 0; }
  std::string Verify() const { return {}; }

  // Half of any x86 core's L1 data cache, so that the objects the engine touches are as hot
  // as a LIFO free list would keep them: the floor measures the engine, not cache misses on
  // the backend's memory.
  static constexpr uint64_t kRing = 1 << 14;
  // The ring is page aligned (mmap), so it can serve alignments up to a page.
  static constexpr uint64_t kRingAlign = 4096;
  // True when an object goes to the big region: it could not fit in the ring even after a
  // wrap.
  static constexpr bool Big(uint64_t size, uint64_t align) {
    return size > kRing || align > kRingAlign;
  }

 private:
  // One test on the common path (the object fits where the ring's free part starts; for
  // malloc the alignment test folds away), the wrap and big objects behind it.
  static void* Bump(Cursor& c, uint64_t size, uint64_t align) {
    const uint64_t off = (c.next + align - 1) & ~(align - 1);
    if (align <= kRingAlign && off + size <= kRing) [[likely]] {
      c.next = off + size;
      return c.ring + off;
    }
    if (Big(size, align)) return c.big;
    c.next = size;
    return c.ring;
  }

  struct Arena {  // a replay thread's memory, mapped for the backend's lifetime
    char* ring = nullptr;
    char* big = nullptr;  // aligned to the trace's largest alignment, inside big_base
    char* big_base = nullptr;
    uint64_t big_mapped = 0;
  };
  std::vector<Arena> arenas_;
};

}  // namespace goalloc::replay
