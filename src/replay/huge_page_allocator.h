// A std::allocator for the replay's own arrays (the events, object sizes and thread tables,
// the pointer table, the sample plan and the per-thread work): every buffer is mapped
// directly, never taken from malloc, so that the allocator under test holds only the
// trace's objects and nothing the replayer allocated and freed before the replay (which
// the replay's objects would reuse without paying for it; issue #16). Buffers of 2 MiB or
// more are 2 MiB aligned, with MADV_HUGEPAGE, so that streaming the events and the random
// lookups of frees in the table do not walk page tables every 4 KiB (the kernel's
// transparent huge pages are usually in "madvise" mode); smaller ones are whole 4 KiB pages
// (so that the pointer table's per-thread blocks of a page each are whole pages).
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

namespace goalloc::replay {

inline constexpr size_t kHugePage = size_t{2} << 20;

// Maps `bytes` (a multiple of kHugePage) at a kHugePage-aligned address, advised huge.
void* MapHuge(size_t bytes);
void UnmapHuge(void* p, size_t bytes);
// Maps `bytes` rounded up to whole pages (at least one).
void* MapPages(size_t bytes);
void UnmapPages(void* p, size_t bytes);

template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}

  static size_t MappedBytes(size_t n) { return (n * sizeof(T) + kHugePage - 1) & ~(kHugePage - 1); }
  T* allocate(size_t n) {
    if (n * sizeof(T) < kHugePage) return static_cast<T*>(MapPages(n * sizeof(T)));
    return static_cast<T*>(MapHuge(MappedBytes(n)));
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHugePage) return UnmapPages(p, n * sizeof(T));
    UnmapHuge(p, MappedBytes(n));
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

template <class T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

// Mapped like HugePageAllocator's small buffers at every size: whole 4 KiB pages, no huge-page
// advice or alignment. For PreparedTrace's recorded threads, which sim mode reads beside the
// event array: on huge pages they slowed the sim noop floor, on whole pages they do not
// (docs/performance.md, issue #16).
template <class T>
struct PageAllocator {
  using value_type = T;
  PageAllocator() = default;
  template <class U>
  PageAllocator(const PageAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(MapPages(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { UnmapPages(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const PageAllocator<U>&) const {
    return true;
  }
};

template <class T>
using PageVector = std::vector<T, PageAllocator<T>>;

}  // namespace goalloc::replay
