// ReadStats: the per-span-class and heap-wide snapshot of heap_stats.h. Counters (mallocs,
// frees, requested bytes) come from the per-P counters; occupancy, free slots, tail waste
// and tiny blocks come from a walk of every in-use span; the heap byte totals come from
// the mheap counters. The accounting identity therefore checks the counters against the
// spans: it holds only if every byte is where the allocator thinks it is.
#include <array>

#include "src/alloc/mheap.h"

namespace goalloc::alloc {
namespace {

struct ClassWalk {
  uint64_t mcache = 0, partial = 0, full = 0;
  uint64_t live = 0, slots = 0, tiny_blocks = 0, free_slot_bytes = 0, tail = 0;
  std::array<uint64_t, 5> histogram{};
};

uint64_t TinyBlocks(const MSpan* s) {
  uint64_t n = 0;
  for (uint32_t i = 0; i < s->nelems; i++) {
    n += s->tiny_counts[i].load(std::memory_order_relaxed) != 0;
  }
  return n;
}

}  // namespace

HeapStats MHeap::ReadStats() const {
  HeapStats st;
  st.totals = ReadTotals();
  MCacheCounters sum = SumCounters();
  std::array<ClassWalk, kMaxSpanClasses> walk{};
  uint64_t large_pages = 0, large_live = 0;
  ForEachSpan(index_, [&](const MSpan* s) {
    if (s->is_large()) {
      large_pages += s->npages;
      large_live++;
      return;
    }
    ClassWalk& w = walk[s->spanclass];
    uint64_t live = s->LiveSlots();
    (s->list == SpanList::kCached ? w.mcache : s->list == SpanList::kFull ? w.full : w.partial)++;
    w.live += live;
    w.slots += s->nelems;
    w.free_slot_bytes += (s->nelems - live) * s->elemsize;
    w.tail += s->npages * kPageSize - uint64_t(s->nelems) * s->elemsize;
    w.histogram[live == s->nelems ? 4 : live * 4 / s->nelems]++;
    if (s->tiny_counts != nullptr) w.tiny_blocks += TinyBlocks(s);
  });

  for (int sc = 2; sc < classes_.num_span_classes(); sc++) {
    const ClassWalk& w = walk[sc];
    const ClassCounters& k = sum.cls[sc];
    if (k.mallocs == 0 && w.slots == 0) continue;
    const SpanClassInfo& info = classes_.info(SpanClass(sc));
    SpanClassStats c;
    c.size_class = SizeClassOf(SpanClass(sc));
    c.noscan = NoscanOf(SpanClass(sc));
    c.object_size = info.elemsize;
    c.span_pages = info.npages;
    c.span_slots = info.nelems;
    c.spans_mcache = w.mcache;
    c.spans_partial = w.partial;
    c.spans_full = w.full;
    c.objects_in_use = w.live;
    c.slots = w.slots;
    c.mallocs = k.mallocs;
    c.frees = k.frees;
    c.requested = uint64_t(k.requested);
    c.rounding = uint64_t(int64_t(info.elemsize * (w.live - w.tiny_blocks)) - k.requested);
    if (sc == kTinySpanClass) {
      c.requested += uint64_t(sum.tiny_requested);
      c.tiny_waste = uint64_t(int64_t(kTinySize * w.tiny_blocks) - sum.tiny_requested);
    }
    if (gc_ != nullptr) {  // garbage apart from live objects' requested bytes and rounding
      const GcGarbage g = gc_->garbage(SpanClass(sc));
      c.garbage_objects = g.objects;
      c.garbage = g.bytes;
      c.requested -= g.requested;
      c.rounding -= g.bytes - g.requested;
      if (sc == kTinySpanClass) {
        const GcGarbage t = gc_->tiny_garbage();
        c.garbage_objects += t.objects;
        c.garbage += t.bytes;
        c.requested -= t.requested;
      }
    }
    c.free_slots = w.free_slot_bytes;
    c.tail_waste = w.tail;
    c.occupancy_histogram = w.histogram;
    st.requested += c.requested;
    st.garbage += c.garbage;
    st.rounding += c.rounding;
    st.tiny_waste += c.tiny_waste;
    st.free_slots += c.free_slots;
    st.tail_waste += c.tail_waste;
    st.mallocs += c.mallocs;
    st.frees += c.frees;
    st.span_classes.push_back(c);
  }

  st.large.allocations = sum.large_allocs;
  st.large.frees = sum.large_frees;
  st.large.live_objects = large_live;
  st.large.live_bytes = uint64_t(sum.large_requested);
  st.large.pages = large_pages;
  if (gc_ != nullptr) {
    for (SpanClass sc : {SpanClass(0), SpanClass(1)}) {
      const GcGarbage g = gc_->garbage(sc);
      st.large.garbage_objects += g.objects;
      st.large.garbage += g.bytes;
      st.large.live_bytes -= g.requested;
    }
  }
  st.large.rounding = large_pages * kPageSize - st.large.live_bytes - st.large.garbage;
  st.requested += st.large.live_bytes;
  st.garbage += st.large.garbage;
  st.rounding += st.large.rounding;

  st.tiny.allocs = sum.tiny_allocs;
  st.tiny.frees = sum.tiny_frees;
  st.tiny.live_objects = sum.tiny_allocs - sum.tiny_frees;
  st.tiny.live_blocks = walk[kTinySpanClass].tiny_blocks;
  // Callers' objects: tiny blocks are not theirs, tiny sub-objects and large ones are.
  st.mallocs += sum.tiny_allocs - sum.tiny_blocks + sum.large_allocs;
  st.frees += sum.tiny_frees - sum.tiny_block_frees + sum.large_frees;

  auto add_lock = [&](std::string name, const InstrumentedMutex& m) {
    if (m.acquisitions() == 0) return;
    st.locks.push_back(
        {std::move(name), m.acquisitions(), m.contended(), m.wait_ns_total(), m.wait_ns_max()});
  };
  add_lock("mheap", lock_);
  for (int sc = 0; sc < classes_.num_span_classes(); sc++) {
    add_lock(central_[sc].LockName(), central_[sc].lock());
  }
  st.scavenger_runs = scavenger_runs_;
  st.scavenged_bytes = scavenged_bytes_;
  return st;
}

}  // namespace goalloc::alloc
