// mcache: construction, the refill slow path, teardown, and the counters' sum.
#include "src/alloc/mcache.h"

#include "src/alloc/mheap.h"

namespace goalloc::alloc {

MSpan kEmptySpan{};

void MCacheCounters::Add(const MCacheCounters& o) {
  for (int i = 0; i < kMaxSpanClasses; i++) {
    cls[i].mallocs += o.cls[i].mallocs;
    cls[i].frees += o.cls[i].frees;
    cls[i].requested += o.cls[i].requested;
  }
  tiny_allocs += o.tiny_allocs;
  tiny_frees += o.tiny_frees;
  tiny_requested += o.tiny_requested;
  tiny_blocks += o.tiny_blocks;
  tiny_block_frees += o.tiny_block_frees;
  large_allocs += o.large_allocs;
  large_frees += o.large_frees;
  large_requested += o.large_requested;
}

MCache::MCache(MHeap* h)
    : heap(h),
      single_threaded(h->config().single_threaded),
      arena_l2(h->index().l2()),
      classes(&h->classes()) {
  for (MSpan*& s : alloc) s = &kEmptySpan;
}

MSpan* MCache::NextFree(SpanClass sc, uint32_t* idx) {
  MSpan* s = alloc[sc];
  if (s != &kEmptySpan) {
    s->FoldRemoteFrees(single_threaded);
    uint32_t i = s->NextFreeIndex();
    if (i < s->nelems) {
      s->TakeSlot(i);
      *idx = i;
      return s;
    }
    if (s == hot_span) hot_bytes = 0;
    heap->central(sc).UncacheSpan(s);
  }
  s = heap->central(sc).CacheSpan(this);
  if (s == nullptr) {
    alloc[sc] = &kEmptySpan;
    return nullptr;
  }
  alloc[sc] = s;
  uint32_t i = s->NextFreeIndex();
  s->TakeSlot(i);
  *idx = i;
  return s;
}

void MCache::FreeRemote(MSpan* s, uint32_t idx) {
  if (!s->TryPostFree(idx, single_threaded)) heap->central(s->spanclass).FreeRemote(s, idx);
}

void MCache::ReleaseAll() {
  RetireTinyBlock();
  hot_bytes = 0;
  for (int sc = 0; sc < classes->num_span_classes(); sc++) {
    if (alloc[sc] == &kEmptySpan) continue;
    heap->central(SpanClass(sc)).UncacheSpan(alloc[sc]);
    alloc[sc] = &kEmptySpan;
  }
}

}  // namespace goalloc::alloc
