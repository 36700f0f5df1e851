// Huge-page mappings for the replay's own arrays (see huge_page_allocator.h).
#include "src/replay/huge_page_allocator.h"

namespace goalloc::replay {

void* MapHuge(size_t bytes) {
  // Over-map by one huge page and trim, so the region starts on a huge-page boundary.
  const size_t span = bytes + kHugePage;
  void* raw = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  if (aligned > start) ::munmap(raw, aligned - start);
  const uintptr_t end = start + span, used_end = aligned + bytes;
  if (end > used_end) ::munmap(reinterpret_cast<void*>(used_end), end - used_end);
  void* p = reinterpret_cast<void*>(aligned);
  ::madvise(p, bytes, MADV_HUGEPAGE);  // a hint: without THP the pages are simply small
  return p;
}

void UnmapHuge(void* p, size_t bytes) { ::munmap(p, bytes); }

void* MapPages(size_t bytes) {
  void* p = ::mmap(nullptr, bytes == 0 ? 1 : bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return p;
}

void UnmapPages(void* p, size_t bytes) { ::munmap(p, bytes == 0 ? 1 : bytes); }

}  // namespace goalloc::replay
