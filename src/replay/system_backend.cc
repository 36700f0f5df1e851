// The system allocators' backend (see system_backend.h).
#include "src/replay/system_backend.h"

#include <malloc.h>

#include <cstdlib>

#include "src/replay/above_baseline.h"
#include "src/replay/process_stats.h"

namespace goalloc::replay {

void SystemBackend::PrepareBaseline() const {
  if (glibc_) ::malloc_trim(0);
  stats_.PrepareBaseline();
}

void SystemBackend::ReleaseObjects(const PointerTable& table) const {
  table.ForEachLive([](void* p) { std::free(p); });
}

void* SystemBackend::Malloc(Context, uint64_t size, bool) { return std::malloc(size); }

void* SystemBackend::Calloc(Context, uint64_t size, bool) { return std::calloc(1, size); }

void* SystemBackend::AlignedAlloc(Context, uint64_t size, uint64_t align, bool) {
  void* p = nullptr;
  if (align < sizeof(void*)) align = sizeof(void*);
  return ::posix_memalign(&p, align, size) == 0 ? p : nullptr;
}

void* SystemBackend::Realloc(Context, void* p, uint64_t, uint64_t size, bool) {
  if (size == 0) {
    // realloc(p, 0) frees p and may return null; the trace's object of 0 bytes is live.
    std::free(p);
    return std::malloc(0);
  }
  return std::realloc(p, size);
}

void SystemBackend::Free(Context, void* p, uint64_t) { std::free(p); }

uint64_t SystemBackend::Footprint() const { return AboveBaseline(ResidentBytes(), baseline_); }

void SystemBackend::FillSnapshot(Snapshot& s) const {
  SystemHeap h;
  h.rss_bytes = Footprint();
  if (glibc_) {
    const struct mallinfo2 mi = ::mallinfo2();
    h.has_mallinfo = true;
    h.arena = mi.arena;
    h.hblkhd = mi.hblkhd;
    h.uordblks = mi.uordblks;
    h.fordblks = mi.fordblks;
    h.keepcost = mi.keepcost;
  }
  h.allocator = stats_.Read();
  s.footprint = h.rss_bytes;
  s.system = h;
}

}  // namespace goalloc::replay
