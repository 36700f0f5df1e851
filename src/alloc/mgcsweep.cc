// GC mode's sweeper (mgcsweep.go, mcentral.go, mheap.go's reclaim): who sweeps which span
// when (see mgc.h). A unit is a span holding objects the last mark did not reach; sweeping
// it frees them all at once, counted on the sweeping P as Go counts frees at sweep.
#include <fmt/core.h>

#include <algorithm>
#include <chrono>

#include "src/alloc/mgc.h"
#include "src/alloc/mheap.h"
#include "src/alloc/shared_word.h"

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

}  // namespace

bool Collector::SweepUnit(MCache* c, size_t i, uintptr_t* freed_pages) {
  Unit& u = units_[i];
  if (u.swept) return false;
  u.swept = true;
  units_left_.store(units_left_.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
  MSpan* s = u.span;
  const uintptr_t npages = s->npages;
  pages_swept_.store(pages_swept_.load(std::memory_order_relaxed) + npages,
                     std::memory_order_relaxed);
  log_.back().spans_swept++;
  MCacheCounters& k = c->counters;
  GcWork& w = Work(c);
  if (s->is_large()) {
    const GcDropped& d = objects_[u.first];
    CounterOf(d, s, w.garbage, w.tiny) -= GarbageOf(d, s);
    k.large_frees++;
    k.large_requested -= int64_t(d.size);
    large_bytes_.fetch_sub(npages * kPageSize, std::memory_order_relaxed);
    heap_->FreeSpan(s);
    *freed_pages += npages;
    return false;
  }
  MCentral& mc = heap_->central(s->spanclass);
  ClassCounters& cls = k.cls[s->spanclass];
  // The span's swept objects and requested bytes, regular and tiny, taken off the counters
  // once per span rather than object by object, the sweep's hottest loop.
  GcGarbage swept, swept_tiny;
  bool empty, room;
  {
    MutexLock l(mc.lock());
    for (uint64_t j = u.first; j < u.first + u.count; j++) {
      const GcDropped& d = objects_[j];
      const uint32_t idx = s->ObjIndex(d.addr);
      if (!s->IsAllocated(idx)) {
        Violation(fmt::format("swept object {:#x} was not allocated", d.addr));
        continue;
      }
      if (s->spanclass == kTinySpanClass && d.size < kTinySize) {
        swept_tiny.objects++;
        swept_tiny.requested += d.size;
        if (FetchAdd(s->tiny_counts[idx], int8_t{-1}, c->single_threaded,
                     std::memory_order_relaxed) != 1) {
          continue;
        }
        k.tiny_block_frees++;
      } else {
        swept.objects++;
        swept.requested += d.size;
      }
      cls.frees++;
      s->ClearSlot(idx);
    }
    empty = mc.FileSweptLocked(s);
    room = !empty && s->alloc_count < s->nelems;
  }
  cls.requested -= int64_t(swept.requested);
  k.tiny_frees += swept_tiny.objects;
  k.tiny_requested -= int64_t(swept_tiny.requested);
  swept.bytes = swept.objects * s->elemsize;
  swept_tiny.bytes = swept_tiny.requested;  // a tiny object's garbage is its requested bytes
  w.garbage[s->spanclass] -= swept;         // on the sweeping P's counters
  w.tiny -= swept_tiny;
  if (empty) {
    heap_->FreeSpan(s);
    *freed_pages += npages;
  }
  return room;
}

// The checks before the sweep lock read only fields set with the world stopped and atomics;
// the lock then claims the units one by one (Go claims each span with a sweepgen CAS).
void Collector::DeductSweepCredit(MCache* c, uintptr_t span_bytes) {
  if (sweep_pages_per_byte_ == 0 || units_left_.load(std::memory_order_relaxed) == 0) return;
  const double target = sweep_pages_per_byte_ * double(HeapLive() - sweep_live_basis_ + span_bytes);
  auto behind = [&] { return double(pages_swept_.load(std::memory_order_relaxed)) < target; };
  if (!behind()) return;
  MutexLock l(sweep_lock_);
  SweepTimer timer(&sweep_ns_);
  uintptr_t freed = 0;
  while (behind() && sweep_cursor_ < units_.size()) {
    SweepUnit(c, sweep_cursor_++, &freed);
  }
}

void Collector::SweepClass(MCache* c, SpanClass sc) {
  if (units_left_.load(std::memory_order_relaxed) == 0) return;
  MutexLock l(sweep_lock_);
  std::vector<uint32_t>& v = class_units_[sc];
  size_t& cursor = class_cursor_[sc];
  if (cursor == v.size()) return;
  SweepTimer timer(&sweep_ns_);
  for (uint32_t budget = kCacheSpanSweepBudget; budget > 0 && cursor < v.size(); budget--) {
    const uint32_t i = v[cursor++];
    uintptr_t freed = 0;
    if (SweepUnit(c, i, &freed)) return;  // a span with room, now partial
  }
}

void Collector::Reclaim(MCache* c, uintptr_t npages) {
  if (units_left_.load(std::memory_order_relaxed) == 0) return;
  MutexLock l(sweep_lock_);
  if (reclaim_cursor_ == reclaim_units_.size()) return;
  SweepTimer timer(&sweep_ns_);
  uintptr_t freed = 0;
  while (freed < npages && reclaim_cursor_ < reclaim_units_.size()) {
    SweepUnit(c, reclaim_units_[reclaim_cursor_++], &freed);
  }
}

void Collector::FinishSweep(MCache* c) {
  MutexLock l(sweep_lock_);
  if (units_left_.load(std::memory_order_relaxed) != 0) {
    SweepTimer timer(&sweep_ns_);
    uintptr_t freed = 0;
    for (size_t i = 0; i < units_.size(); i++) SweepUnit(c, i, &freed);
  }
  // Every object dropped before the last mark is now reclaimed: what is left as garbage
  // is exactly what was dropped since.
  uint64_t garbage = 0, dropped = marking_.size();
  for (const auto& w : works_) {
    garbage += w->tiny.objects;
    for (const GcGarbage& g : w->garbage) garbage += g.objects;
    dropped += w->dropped.size();
  }
  if (garbage != dropped) {
    Violation(fmt::format("{} garbage objects after a full sweep, {} dropped since the mark",
                          garbage, dropped));
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
