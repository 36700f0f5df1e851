// The no-op backend's memory (see noop_backend.h).
#include "src/replay/noop_backend.h"

#include <sys/mman.h>

#include <new>

namespace goalloc::replay {
namespace {

constexpr uint64_t kPopulateBig = 64 << 20;

char* Map(uint64_t bytes, int extra_flags) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return static_cast<char*>(p);
}

}  // namespace

NoopBackend::NoopBackend(uint32_t threads, uint64_t max_object, uint64_t max_align) {
  for (uint32_t i = 0; i < threads; ++i) {
    Arena a;
    a.ring = Map(kRing, MAP_POPULATE);
    if (Big(max_object, max_align)) {
      a.big_mapped = max_object + max_align;
      // Pre-faulted when reasonably small, so page faults do not count as engine cost.
      a.big_base = Map(a.big_mapped, a.big_mapped <= kPopulateBig ? MAP_POPULATE : MAP_NORESERVE);
      const uintptr_t base = reinterpret_cast<uintptr_t>(a.big_base);
      a.big = a.big_base + (((base + max_align - 1) & ~(max_align - 1)) - base);
    }
    arenas_.push_back(a);
  }
}

NoopBackend::~NoopBackend() {
  for (const Arena& a : arenas_) {
    ::munmap(a.ring, kRing);
    if (a.big_base != nullptr) ::munmap(a.big_base, a.big_mapped);
  }
}

}  // namespace goalloc::replay
