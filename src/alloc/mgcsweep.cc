// GC mode's sweeper (mgcsweep.go, mcentral.go, mheap.go's reclaim): who sweeps which span
// when (see mgc.h). A unit is a span holding objects the last mark did not reach; sweeping
// it frees them all at once, counted on the sweeping P as Go counts frees at sweep.
#include <fmt/core.h>

#include <algorithm>
#include <chrono>

#include "src/alloc/mgc.h"
#include "src/alloc/mheap.h"

namespace goalloc::alloc {
namespace {

// Adds the time of a sweep that did work to *ns.
class SweepTimer {
 public:
  explicit SweepTimer(uint64_t* ns) : ns_(ns), t0_(std::chrono::steady_clock::now()) {}
  ~SweepTimer() {
    *ns_ += uint64_t(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0_)
            .count());
  }

 private:
  uint64_t* ns_;
  std::chrono::steady_clock::time_point t0_;
};

// Takes what a sweep reclaimed off a garbage counter.
void Uncount(Collector::ClassGarbage* g, const Collector::ClassGarbage& swept) {
  g->objects -= swept.objects;
  g->bytes -= swept.bytes;
  g->requested -= swept.requested;
}

}  // namespace

void Collector::SweepUnit(MCache* c, size_t i, uintptr_t* freed_pages) {
  Unit& u = units_[i];
  if (u.swept) return;
  u.swept = true;
  units_left_--;
  MSpan* s = u.span;
  const uintptr_t npages = s->npages;
  pages_swept_ += npages;
  log_.back().spans_swept++;
  MCacheCounters& k = c->counters;
  if (s->is_large()) {
    const Dropped& d = objects_[u.first];
    Count(d, s, -1);
    k.large_frees++;
    k.large_requested -= int64_t(d.size);
    large_bytes_ -= npages * kPageSize;
    heap_->FreeSpan(s);
    *freed_pages += npages;
    return;
  }
  MCentral& mc = heap_->central(s->spanclass);
  ClassCounters& cls = k.cls[s->spanclass];
  // The span's swept objects and requested bytes, regular and tiny, taken off the counters
  // once per span rather than object by object (Count), the sweep's hottest loop.
  ClassGarbage swept, swept_tiny;
  bool empty;
  {
    MutexLock l(mc.lock());
    for (uint64_t j = u.first; j < u.first + u.count; j++) {
      const Dropped& d = objects_[j];
      const uint32_t idx = s->ObjIndex(d.addr);
      if (!s->IsAllocated(idx)) {
        Violation(fmt::format("swept object {:#x} was not allocated", d.addr));
        continue;
      }
      if (s->spanclass == kTinySpanClass && d.size < kTinySize) {
        swept_tiny.objects++;
        swept_tiny.requested += d.size;
        if (s->tiny_counts[idx].fetch_sub(1, std::memory_order_relaxed) != 1) continue;
        k.tiny_block_frees++;
      } else {
        swept.objects++;
        swept.requested += d.size;
      }
      cls.frees++;
      s->ClearSlot(idx);
    }
    empty = mc.FileSweptLocked(s);
  }
  cls.requested -= int64_t(swept.requested);
  k.tiny_frees += swept_tiny.objects;
  k.tiny_requested -= int64_t(swept_tiny.requested);
  swept.bytes = swept.objects * s->elemsize;
  swept_tiny.bytes = swept_tiny.requested;  // a tiny object's garbage is its requested bytes
  Uncount(&garbage_[s->spanclass], swept);
  Uncount(&tiny_garbage_, swept_tiny);
  if (empty) {
    heap_->FreeSpan(s);
    *freed_pages += npages;
  }
}

void Collector::DeductSweepCredit(MCache* c, uintptr_t span_bytes) {
  if (sweep_pages_per_byte_ == 0 || units_left_ == 0) return;
  const double target = sweep_pages_per_byte_ * double(heap_live_ - sweep_live_basis_ + span_bytes);
  if (double(pages_swept_) >= target) return;
  SweepTimer timer(&sweep_ns_);
  uintptr_t freed = 0;
  while (double(pages_swept_) < target && sweep_cursor_ < units_.size()) {
    SweepUnit(c, sweep_cursor_++, &freed);
  }
}

void Collector::SweepClass(MCache* c, SpanClass sc) {
  std::vector<uint32_t>& v = class_units_[sc];
  size_t& cursor = class_cursor_[sc];
  if (cursor == v.size()) return;
  SweepTimer timer(&sweep_ns_);
  for (uint32_t budget = kCacheSpanSweepBudget; budget > 0 && cursor < v.size(); budget--) {
    const uint32_t i = v[cursor++];
    if (units_[i].swept) continue;
    const MSpan* s = units_[i].span;
    uintptr_t freed = 0;
    SweepUnit(c, i, &freed);
    if (freed == 0 && s->alloc_count < s->nelems) return;  // a span with room, now partial
  }
}

void Collector::Reclaim(MCache* c, uintptr_t npages) {
  if (units_left_ == 0 || reclaim_cursor_ == reclaim_units_.size()) return;
  SweepTimer timer(&sweep_ns_);
  uintptr_t freed = 0;
  while (freed < npages && reclaim_cursor_ < reclaim_units_.size()) {
    SweepUnit(c, reclaim_units_[reclaim_cursor_++], &freed);
  }
}

void Collector::FinishSweep(MCache* c) {
  if (units_left_ != 0) {
    SweepTimer timer(&sweep_ns_);
    uintptr_t freed = 0;
    for (size_t i = 0; i < units_.size(); i++) SweepUnit(c, i, &freed);
  }
  // Every object dropped before the last mark is now reclaimed: what is left as garbage
  // is exactly what was dropped since.
  uint64_t garbage = tiny_garbage_.objects;
  for (const ClassGarbage& g : garbage_) garbage += g.objects;
  if (garbage != pending_.size() + marking_.size()) {
    Violation(fmt::format("{} garbage objects after a full sweep, {} dropped since the mark",
                          garbage, pending_.size() + marking_.size()));
  }
  units_.clear();
  objects_.clear();
  reclaim_units_.clear();
  for (auto& v : class_units_) v.clear();
  std::fill(class_cursor_.begin(), class_cursor_.end(), 0);
  sweep_cursor_ = reclaim_cursor_ = 0;
  sweep_pages_per_byte_ = 0;
}

}  // namespace goalloc::alloc
