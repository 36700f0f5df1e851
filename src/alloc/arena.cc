// The arena index and heapArena metadata blocks.
#include "src/alloc/arena.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "src/alloc/os_mem.h"

namespace goalloc::alloc {
namespace {

constexpr size_t kL2Bytes = sizeof(HeapArena*) << kArenaL2Bits;  // 32 MiB, reserved lazily
constexpr size_t kOsPage = 4096;
constexpr size_t kArenaMetaBytes = (sizeof(HeapArena) + kOsPage - 1) / kOsPage * kOsPage;

}  // namespace

ArenaIndex::ArenaIndex()
    : l2_(static_cast<HeapArena**>(SysAllocMetadata(kL2Bytes))),
      index_page_touched_(kL2Bytes / kOsPage) {
  if (l2_ == nullptr) throw std::bad_alloc();  // no heap can be built at all
}

ArenaIndex::~ArenaIndex() {
  for (HeapArena* a : sorted_) SysFree(reinterpret_cast<uintptr_t>(a), kArenaMetaBytes);
  SysFree(reinterpret_cast<uintptr_t>(l2_), kL2Bytes);
}

HeapArena* ArenaIndex::Add(uintptr_t base) {
  auto* a = static_cast<HeapArena*>(SysAllocMetadata(kArenaMetaBytes));
  if (a == nullptr) return nullptr;
  a->base = base;
  a->mapped_chunks = 0;
  std::memset(a->alloc, 0xff, sizeof(a->alloc));  // unmapped chunks have no free pages
  uintptr_t i = IndexOf(base);
  l2_[i] = a;
  size_t page = i * sizeof(HeapArena*) / kOsPage;
  if (!index_page_touched_[page]) {
    index_page_touched_[page] = true;
    metadata_bytes_ += kOsPage;
  }
  metadata_bytes_ += kArenaMetaBytes;
  sorted_.insert(
      std::upper_bound(sorted_.begin(), sorted_.end(), a,
                       [](const HeapArena* x, const HeapArena* y) { return x->base < y->base; }),
      a);
  return a;
}

void ArenaIndex::SetSpans(uintptr_t base, uintptr_t npages, MSpan* s) {
  while (npages > 0) {
    HeapArena* a = l2_[IndexOf(base)];
    uintptr_t first = (base >> kPageShift) % kPagesPerArena;
    uintptr_t n = std::min<uintptr_t>(npages, kPagesPerArena - first);
    std::fill(a->spans + first, a->spans + first + n, s);
    base += n * kPageSize;
    npages -= n;
  }
}

}  // namespace goalloc::alloc
