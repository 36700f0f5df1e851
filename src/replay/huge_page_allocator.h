// A std::allocator for the replay's own big arrays (the event arrays, object sizes, the
// pointer table): buffers of 2 MiB or more are mapped directly, 2 MiB aligned, with
// MADV_HUGEPAGE, so that streaming the events and the random lookups of frees in the table
// do not walk page tables every 4 KiB (the kernel's transparent huge pages are usually in
// "madvise" mode). Smaller buffers come from operator new, aligned to a 4 KiB page (so
// that the pointer table's per-thread blocks of a page each are whole pages). The memory
// under test is the allocator's own and is never touched by this.
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

template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}

  static size_t MappedBytes(size_t n) { return (n * sizeof(T) + kHugePage - 1) & ~(kHugePage - 1); }
  static constexpr std::align_val_t kSmallAlign{4096};
  T* allocate(size_t n) {
    if (n * sizeof(T) < kHugePage) {
      return static_cast<T*>(::operator new(n * sizeof(T), kSmallAlign));
    }
    return static_cast<T*>(MapHuge(MappedBytes(n)));
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHugePage) return ::operator delete(p, kSmallAlign);
    UnmapHuge(p, MappedBytes(n));
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

template <class T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace goalloc::replay
