// Heap: the public face (heap.h) over MHeap.
#include "src/alloc/heap.h"

#include <algorithm>

#include "src/alloc/mgcpacer.h"
#include "src/alloc/mheap.h"

namespace goalloc::alloc {

struct Heap::Impl : MHeap {
  using MHeap::MHeap;
};

Heap::Heap(const HeapConfig& config) : impl_(std::make_unique<Impl>(config)) {}
Heap::~Heap() = default;

MCache* Heap::NewMCache() { return impl_->NewMCache(); }
void Heap::ReleaseMCache(MCache* c) { impl_->ReleaseMCache(c); }

size_t Heap::UsableSize(const void* p) const {
  uintptr_t addr = reinterpret_cast<uintptr_t>(p);
  MSpan* s = impl_->index().SpanOfChecked(addr);
  if (s == nullptr) return 0;
  uintptr_t slot = s->SlotAddr(s->ObjIndex(addr));
  return slot + s->elemsize - addr;
}

uint64_t GcMinRunway(const GcConfig& config) {
  return std::max(kHeapMinimum / 100 * config.gogc.value_or(100), kSweepMinHeapDistance);
}

void Heap::Drop(MCache* c, void* p, size_t size) {
  impl_->gc()->Drop(c, reinterpret_cast<uintptr_t>(p), size);
}
const std::atomic<bool>* Heap::GcSafepointDue() const { return impl_->gc()->due(); }
std::atomic<uint64_t>* Heap::GcClock() { return impl_->gc()->clock(); }
void Heap::GcSafepoint(MCache* c) { impl_->gc()->Safepoint(c); }
void Heap::GcCollect(MCache* c) { impl_->gc()->CollectNow(c); }
GcStats Heap::ReadGc() const { return impl_->gc()->Read(); }

std::string Heap::LastFailure() const { return impl_->failure(); }
HeapTotals Heap::ReadTotals() const { return impl_->ReadTotals(); }
const std::atomic<uint64_t>& Heap::FootprintWord() const { return impl_->footprint(); }
HeapStats Heap::ReadStats() const { return impl_->ReadStats(); }
std::string Heap::Verify() const { return impl_->Verify(); }

}  // namespace goalloc::alloc
