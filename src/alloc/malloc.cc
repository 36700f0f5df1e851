// Go's mallocgc and its explicit-free counterpart: the dispatch between the tiny
// allocator, small size classes and large spans, aligned allocation, and free from any P.
// The small fast path (size class lookup, nextFreeFast, counters) and the same-P free
// (span lookup through the arena index, objIndex by divMul, clear the bit) take no lock
// and no atomic read-modify-write.
//
// aligned_alloc: a power-of-two alignment up to 16 for tiny noscan requests is honoured
// inside the tiny block; otherwise the smallest size class whose slots are all naturally
// aligned to it (slot size's lowest set bit, capped at the page: span bases are page
// aligned) serves it; beyond that (alignments over 8 KiB or sizes past 32 KiB) a large
// span is carved at an aligned page from an over-sized first-fit run, and only the
// aligned pages are taken.
#include <algorithm>

#include "src/alloc/heap.h"
#include "src/alloc/mcache.h"
#include "src/alloc/mheap.h"
#include "src/alloc/shared_word.h"

namespace goalloc::alloc {
namespace {

// Go's tiny alignment: 8 if the size is a multiple of 8, else 4, else 2, else 1.
uint32_t TinyAlign(size_t size) {
  if ((size & 7) == 0) return 8;
  if ((size & 3) == 0) return 4;
  if ((size & 1) == 0) return 2;
  return 1;
}

}  // namespace

void* MCache::TinyAlloc(size_t size, uint32_t align) {
  uint32_t psize = size == 0 ? 1 : uint32_t(size);  // zero-size objects still get a byte
  counters.tiny_allocs++;
  counters.tiny_requested += int64_t(size);
  uint32_t off = (tiny_offset + align - 1) & ~(align - 1);
  if (tiny != 0 && off + psize <= kTinySize) {
    tiny_offset = off + psize;
    tiny_subobjects++;
    return reinterpret_cast<void*>(tiny + off);
  }
  uint32_t idx;
  MSpan* s = alloc[kTinySpanClass];
  if (!s->NextFreeFast(&idx)) {
    s = NextFree(kTinySpanClass, &idx);
    if (s == nullptr) [[unlikely]] {
      counters.tiny_allocs--;
      counters.tiny_requested -= int64_t(size);
      return nullptr;
    }
  }
  counters.cls[kTinySpanClass].mallocs++;
  counters.tiny_blocks++;
  uintptr_t block = s->SlotAddr(idx);
  if (tiny == 0 || psize < tiny_offset) {  // the new block has more room left: keep it
    RetireTinyBlock();
    s->tiny_counts[idx].store(kTinyCurrent, std::memory_order_relaxed);
    tiny = block;
    tiny_offset = psize;
    tiny_subobjects = 1;
    tiny_span = s;
    tiny_idx = idx;
  } else {
    s->tiny_counts[idx].store(1, std::memory_order_relaxed);
  }
  return reinterpret_cast<void*>(block);
}

void MCache::RetireTinyBlock() {
  if (tiny == 0) return;
  int add = int(tiny_subobjects) - kTinyCurrent;
  int left = FetchAdd(tiny_span->tiny_counts[tiny_idx], int8_t(add), single_threaded,
                      std::memory_order_acq_rel) +
             add;
  if (left == 0) {
    counters.cls[kTinySpanClass].frees++;
    counters.tiny_block_frees++;
    FreeSlot(tiny_span, tiny_idx);
  }
  tiny = 0;
  tiny_offset = 0;
  tiny_subobjects = 0;
  tiny_span = nullptr;
}

void* MCache::MallocSmallSlow(SpanClass sc, size_t size) {
  uint32_t idx;
  MSpan* s = NextFree(sc, &idx);
  if (s == nullptr) {
    counters.cls[sc].mallocs--;
    counters.cls[sc].requested -= int64_t(size);
    return nullptr;
  }
  return reinterpret_cast<void*>(s->SlotAddr(idx));
}

void* MCache::MallocLarge(size_t size, bool noscan, uintptr_t align_pages) {
  uintptr_t npages = std::max<uintptr_t>(1, (size + kPageSize - 1) / kPageSize);
  Collector* gc = heap->gc();
  if (gc != nullptr) gc->DeductSweepCredit(this, npages * kPageSize);
  MSpan* s = heap->AllocSpan(this, npages, MakeSpanClass(0, noscan), align_pages);
  if (s == nullptr) return nullptr;
  s->TakeSlot(0);
  if (gc != nullptr) gc->OnLargeAlloc(s);
  counters.large_allocs++;
  counters.large_requested += int64_t(size);
  return reinterpret_cast<void*>(s->base);
}

void* MCache::MallocInline(size_t size, bool noscan) {
  if (size > classes->max_small(noscan)) [[unlikely]]
    return MallocLarge(size, noscan, 1);
  // Split by noscan, so that each side's size-class lookup has its malloc header test
  // folded (none for noscan) and falls through to its table load.
  if (noscan) {
    if (IsTinyRequest(size, 1, true)) return TinyAlloc(size, TinyAlign(size));
    return MallocSmall(classes->SmallSpanClass(size, true), size);
  }
  return MallocSmall(classes->SmallSpanClass(size, false), size);
}

void* MCache::Malloc(size_t size, bool noscan) { return MallocInline(size, noscan); }

void* MCache::AlignedAlloc(size_t size, size_t align, bool noscan) {
  if (IsTinyRequest(size, align, noscan)) {
    return TinyAlloc(size, std::max(TinyAlign(size), uint32_t(align)));
  }
  if (align <= 8) return Malloc(size, noscan);
  if (size <= classes->max_small(noscan)) {
    for (int cls = classes->SizeToClass(WithMallocHeader(size, noscan));
         cls < classes->num_classes(); cls++) {
      SpanClass sc = MakeSpanClass(cls, noscan);
      if (classes->info(sc).min_align < align) continue;
      return MallocSmall(sc, size);
    }
  }
  return MallocLarge(size, noscan, std::max<uintptr_t>(1, align / kPageSize));
}

void MCache::FreeInline(void* p, size_t size) {
  uintptr_t addr = reinterpret_cast<uintptr_t>(p);
  MSpan* s;
  bool owned;  // by this P, which alone can change that: the test holds for the whole call
  if (addr - hot_base < hot_bytes) {
    s = hot_span;
    owned = true;
  } else {
    s = ArenaIndex::SpanOf(arena_l2, addr);
    owned = s->owner.load(std::memory_order_relaxed) == this;
    if (owned) {
      hot_base = s->base;
      hot_bytes = s->npages * kPageSize;
      hot_span = s;
    }
  }
  SpanClass sc = s->spanclass;
  if (SizeClassOf(sc) == 0) {
    counters.large_frees++;
    counters.large_requested -= int64_t(size);
    heap->FreeSpan(s);
    return;
  }
  uint32_t idx = s->ObjIndex(addr);
  if (sc == kTinySpanClass && size < kTinySize) {
    counters.tiny_frees++;
    counters.tiny_requested -= int64_t(size);
    if (FetchAdd(s->tiny_counts[idx], int8_t{-1}, single_threaded, std::memory_order_acq_rel) ==
        1) {
      counters.cls[kTinySpanClass].frees++;
      counters.tiny_block_frees++;
      FreeSlot(s, idx, owned);
    }
    return;
  }
  counters.cls[sc].frees++;
  counters.cls[sc].requested -= int64_t(size);
  FreeSlot(s, idx, owned);
}

void MCache::Free(void* p, size_t size) { FreeInline(p, size); }

void* Heap::Malloc(MCache* c, size_t size, bool noscan) { return c->MallocInline(size, noscan); }

void* Heap::AlignedAlloc(MCache* c, size_t size, size_t align, bool noscan) {
  return c->AlignedAlloc(size, align, noscan);
}

void Heap::Free(MCache* c, void* p, size_t size) { c->FreeInline(p, size); }

}  // namespace goalloc::alloc
