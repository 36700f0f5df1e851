// GC mode's collector: drops, heapLive, cycle start and mark termination (see mgc.h).
#include "src/alloc/mgc.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>

#include "src/alloc/mheap.h"

namespace goalloc::alloc {
namespace {

uint64_t NowNs() {
  return uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::steady_clock::now().time_since_epoch())
                      .count());
}

bool IsTiny(const MSpan* s, uint64_t size) {
  return s->spanclass == kTinySpanClass && size < kTinySize;
}

}  // namespace

GcGarbage Collector::GarbageOf(const GcDropped& d, const MSpan* s) {
  return {1, IsTiny(s, d.size) ? d.size : s->elemsize, d.size};
}

GcGarbage& Collector::CounterOf(const GcDropped& d, const MSpan* s,
                                std::vector<GcGarbage>& per_class, GcGarbage& tiny) {
  return IsTiny(s, d.size) ? tiny : per_class[s->spanclass];
}

Collector::Collector(MHeap* heap, const GcConfig& config)
    : heap_(heap),
      config_(config),
      class_units_(size_t(heap->classes().num_span_classes())),
      class_cursor_(size_t(heap->classes().num_span_classes()), 0) {
  Repace();
}

GcWork& Collector::Work(MCache* c) {
  if (c->gcw == nullptr) {
    auto w = std::make_unique<GcWork>();
    w->garbage.resize(size_t(heap_->classes().num_span_classes()));
    c->gcw = w.get();
    MutexLock l(works_lock_);
    works_.push_back(std::move(w));
  }
  return *c->gcw;
}

void Collector::Drop(MCache* c, uintptr_t addr, uint64_t size) {
  GcWork& w = Work(c);
  w.dropped.push_back({addr, size, ArenaIndex::SpanOf(c->arena_l2, addr)});  // free's lookup
  const GcDropped& d = w.dropped.back();
  CounterOf(d, d.span, w.garbage, w.tiny) += GarbageOf(d, d.span);
}

GcGarbage Collector::garbage(SpanClass sc) const {
  GcGarbage sum;
  for (const auto& w : works_) sum += w->garbage[sc];
  return sum;
}

GcGarbage Collector::tiny_garbage() const {
  GcGarbage sum;
  for (const auto& w : works_) sum += w->tiny;
  return sum;
}

void Collector::Violation(std::string what) {
  if (violation_.empty()) violation_ = std::move(what);
}

void Collector::TestTrigger() {
  const uint64_t live = HeapLive();
  due_.store(marking_phase_ ? live >= mark_end_live_ : live >= pacing_.trigger,
             std::memory_order_relaxed);
}

void Collector::OnRefill(const MSpan* s) {
  heap_live_.fetch_add(s->npages * kPageSize - uint64_t(s->alloc_count) * s->elemsize,
                       std::memory_order_relaxed);
  TestTrigger();
}

void Collector::OnLargeAlloc(const MSpan* s) {
  const uint64_t bytes = s->npages * kPageSize;
  const uint64_t live = heap_live_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  large_bytes_.fetch_add(bytes, std::memory_order_relaxed);
  // Go's assist charges an allocation's bytes before making it, at the ratio that ends the
  // scan work at the goal: the large object that takes heapLive to the end of mark ends it
  // first and is allocated after mark termination, unmarked. One allocation at most
  // crosses the bound (the add is atomic).
  if (marking_phase_ && live >= mark_end_live_ && live - bytes < mark_end_live_) {
    crossing_large_.store(bytes, std::memory_order_relaxed);
  }
  TestTrigger();
}

// In parallel mode the event is the last GC point's, and of two Ps raising the peak at once
// the event may be the other's: both are stops apart at most.
void Collector::OnHeapGrowth(uint64_t inuse) {
  uint64_t peak = peak_inuse_.load(std::memory_order_relaxed);
  while (inuse > peak) {
    if (peak_inuse_.compare_exchange_weak(peak, inuse, std::memory_order_relaxed)) {
      peak_inuse_event_.store(event_.load(std::memory_order_relaxed), std::memory_order_relaxed);
      return;
    }
  }
}

uint64_t Collector::HeapAllocBytes() const {
  const MCacheCounters sum = heap_->SumCounters();
  uint64_t bytes = large_bytes_.load(std::memory_order_relaxed);
  for (int sc = 2; sc < heap_->classes().num_span_classes(); sc++) {
    bytes +=
        (sum.cls[sc].mallocs - sum.cls[sc].frees) * heap_->classes().info(SpanClass(sc)).elemsize;
  }
  return bytes;
}

void Collector::Repace() {
  PacerInput in;
  in.gogc = config_.gogc;
  in.memory_limit = config_.memory_limit;
  in.heap_marked = heap_marked_;
  in.sweep_dist_min_trigger = sweep_dist_min_trigger_;
  in.runway = runway_;
  if (marking_phase_) in.triggered = triggered_;
  if (config_.memory_limit) {
    const HeapTotals t = heap_->ReadTotals();
    in.mapped_ready = t.footprint();
    in.heap_free = t.idle;
    in.heap_alloc = HeapAllocBytes();
  }
  pacing_ = Pace(in);
}

void Collector::Safepoint(MCache* c) {
  due_.store(false, std::memory_order_relaxed);
  if (!marking_phase_ && HeapLive() >= pacing_.trigger) StartCycle(c);
  if (marking_phase_ && HeapLive() >= mark_end_live_) {
    MarkTermination(crossing_large_.exchange(0, std::memory_order_relaxed));
  }
}

void Collector::CollectNow(MCache* c) {
  if (marking_phase_) MarkTermination(0);  // runtime.GC() first waits for the running cycle
  StartCycle(c);
  MarkTermination(0);
  FinishSweep(c);
  log_.back().heap_inuse_end = heap_->ReadTotals().inuse;
}

void Collector::StartCycle(MCache* c) {
  FinishSweep(c);  // finishsweep_m: every span swept before the next mark
  const uint64_t t0 = NowNs();
  const uint64_t inuse = heap_->ReadTotals().inuse;
  if (!log_.empty()) log_.back().heap_inuse_end = inuse;
  for (const auto& w : works_) {  // the drops of every P: this mark will not reach them
    if (marking_.empty()) {
      marking_.swap(w->dropped);
    } else {
      marking_.insert(marking_.end(), w->dropped.begin(), w->dropped.end());
      w->dropped.clear();
    }
  }
  triggered_ = HeapLive();
  crossing_large_.store(0, std::memory_order_relaxed);
  marking_phase_ = true;
  const Pacing before = pacing_;
  Repace();  // the goal is now at least triggered + minRunway
  // Mark lasts at least minRunway of allocation: Go's pacer gives each cycle that much over
  // its trigger, and under a memory limit below the live heap, where it does not, its GC CPU
  // limiter (50 %) slows marking instead of letting cycles run back to back.
  mark_end_live_ =
      triggered_ +
      std::max<uint64_t>(kMinRunway,
                         uint64_t(kMarkRunwayFraction *
                                  double(pacing_.goal - std::min(pacing_.goal, triggered_))));
  GcCycleStats g;
  g.trigger_event = event_.load(std::memory_order_relaxed);
  g.heap_live_at_trigger = triggered_;
  g.trigger = before.trigger;
  g.goal = pacing_.goal;
  g.heap_inuse_start = inuse;
  log_.push_back(g);
  due_.store(false, std::memory_order_relaxed);
  mark_ns_ += NowNs() - t0;
}

void Collector::MarkTermination(uint64_t allocated_after) {
  const uint64_t t0 = NowNs();
  for (MCache* p : heap_->caches()) p->ReleaseAll();  // prepareForSweep
  // Group the unreached objects by span in Go's sweep order without sorting them all: count
  // per span (MSpan::gc_unit, 0 outside this function), order the spans, then place.
  std::vector<MSpan*> spans;
  for (const GcDropped& d : marking_) {
    if (d.span->gc_unit++ == 0) spans.push_back(d.span);
  }
  // Go's nextSpanForSweep: span class by span class (large ones are classes 0 and 1).
  std::sort(spans.begin(), spans.end(), [](const MSpan* x, const MSpan* y) {
    return x->spanclass != y->spanclass ? x->spanclass < y->spanclass : x->base < y->base;
  });
  units_.clear();
  for (auto& v : class_units_) v.clear();
  std::fill(class_cursor_.begin(), class_cursor_.end(), 0);
  uint64_t first = 0;
  for (MSpan* s : spans) {
    const uint32_t k = uint32_t(units_.size());
    units_.push_back({s, first, s->gc_unit, false});
    class_units_[s->spanclass].push_back(k);
    first += s->gc_unit;
    s->gc_unit = k;
  }
  std::vector<uint64_t> fill(units_.size());
  for (size_t u = 0; u < units_.size(); u++) fill[u] = units_[u].first;
  objects_.resize(marking_.size());
  for (const GcDropped& d : marking_) objects_[fill[d.span->gc_unit]++] = d;
  marking_.clear();
  for (MSpan* s : spans) s->gc_unit = 0;

  // Unreached slot bytes, and which spans have nothing marked (mheap.reclaim's candidates).
  uint64_t unreached = 0, pages = 0;
  reclaim_units_.clear();
  for (uint32_t u = 0; u < units_.size(); u++) {
    const Unit& unit = units_[u];
    MSpan* s = unit.span;
    pages += s->npages;
    uint64_t dead = unit.count;
    if (s->spanclass == kTinySpanClass) {  // a block is unreached when all its objects are
      const auto begin = objects_.begin() + int64_t(unit.first);
      std::sort(begin, begin + unit.count,
                [](const GcDropped& a, const GcDropped& b) { return a.addr < b.addr; });
      dead = 0;
      for (uint64_t i = unit.first; i < unit.first + unit.count;) {
        const GcDropped& d = objects_[i];
        const uint32_t idx = s->ObjIndex(d.addr);
        if (!IsTiny(s, d.size)) {
          dead++;
          i++;
          continue;
        }
        int n = 0;  // unreached sub-objects of this block
        while (i < unit.first + unit.count && IsTiny(s, objects_[i].size) &&
               s->ObjIndex(objects_[i].addr) == idx) {
          n++;
          i++;
        }
        dead += n == s->tiny_counts[idx].load(std::memory_order_relaxed);
      }
    }
    unreached += dead * s->elemsize;
    if (dead == s->alloc_count) reclaim_units_.push_back(u);
    if (!s->is_large()) {
      MCentral& mc = heap_->central(s->spanclass);
      MutexLock l(mc.lock());
      mc.TakeUnswept(s);
    }
  }
  const Unit* units = units_.data();  // world stopped: no lock, in the lambda too
  std::sort(reclaim_units_.begin(), reclaim_units_.end(),
            [&](uint32_t a, uint32_t b) { return units[a].span->base < units[b].span->base; });
  sweep_cursor_ = reclaim_cursor_ = 0;
  units_left_.store(units_.size(), std::memory_order_relaxed);

  const uint64_t heap_alloc = HeapAllocBytes();
  peak_heap_alloc_ = std::max(peak_heap_alloc_, heap_alloc);
  heap_marked_ = heap_alloc - unreached - allocated_after;
  // resetLive: heapMarked, plus the large object allocated just after.
  heap_live_.store(heap_alloc - unreached, std::memory_order_relaxed);
  cycles_++;
  marking_phase_ = false;
  sweep_dist_min_trigger_ = heap_marked_ + kSweepMinHeapDistance;
  runway_ = kRunwayBeyondBounds;  // consMark measured (mgcpacer.h)
  const uint64_t goal_of_cycle = pacing_.goal;
  Repace();

  // gcPaceSweeper: sweep the unswept pages by the time heapLive reaches the trigger.
  const uint64_t distance = pacing_.trigger > heap_marked_ + kSweepMinHeapDistance + kPageSize
                                ? pacing_.trigger - heap_marked_ - kSweepMinHeapDistance
                                : kPageSize;
  sweep_pages_per_byte_ = pages == 0 ? 0 : double(pages) / double(distance);
  sweep_live_basis_ = heap_marked_;
  pages_swept_.store(0, std::memory_order_relaxed);

  // gcPaceScavenger, with the release done now rather than by a background worker.
  const HeapTotals t = heap_->ReadTotals();
  PacerInput in;
  in.memory_limit = config_.memory_limit;
  in.mapped_ready = t.footprint();
  const uint64_t retained = t.sys - t.released;
  const uint64_t target =
      ScavengeRetainGoal(in, pacing_.goal, last_goal_, last_heap_inuse_, retained);
  uint64_t released = 0;
  if (retained > target)
    released = heap_->ReleasePages((retained - target + kPageSize - 1) / kPageSize);
  last_goal_ = goal_of_cycle;
  last_heap_inuse_ = t.inuse;

  GcCycleStats& g = log_.back();
  g.mark_termination_event = event_.load(std::memory_order_relaxed);
  g.heap_marked = heap_marked_;
  g.next_goal = pacing_.goal;
  g.pages_released = released / kPageSize;
  TestTrigger();
  mark_ns_ += NowNs() - t0;
}

GcStats Collector::Read() const {
  GcStats s;
  s.cycles = cycles_;
  s.heap_live = HeapLive();
  s.heap_marked = heap_marked_;
  s.trigger = pacing_.trigger;
  s.goal = pacing_.goal;
  s.heap_alloc = HeapAllocBytes();
  s.peak_heap_alloc = std::max(peak_heap_alloc_, s.heap_alloc);
  s.peak_heap_inuse = peak_inuse_.load(std::memory_order_relaxed);
  s.peak_heap_inuse_event = peak_inuse_event_.load(std::memory_order_relaxed);
  s.mark_ns = mark_ns_;
  s.sweep_ns = sweep_ns_;
  s.violation = violation_;
  s.cycle_log = log_;
  return s;
}

std::string Collector::Verify() const {
  if (!violation_.empty()) return "gc: " + violation_;
  std::vector<GcGarbage> g(size_t(heap_->classes().num_span_classes()));
  GcGarbage tiny;
  std::vector<uintptr_t> addrs;
  auto check = [&](const GcDropped& d, const char* list) -> std::string {
    const MSpan* s = heap_->index().SpanOfChecked(d.addr);
    const uint32_t idx = s == nullptr ? 0 : s->ObjIndex(d.addr);
    const bool posted_free =
        s != nullptr && (s->free_bits[idx / 64].load(std::memory_order_relaxed) >> (idx % 64)) & 1;
    if (s == nullptr || s != d.span || !s->in_use || !s->IsAllocated(idx) || posted_free) {
      return fmt::format("gc: {} object {:#x} is not an allocated slot", list, d.addr);
    }
    CounterOf(d, s, g, tiny) += GarbageOf(d, s);
    addrs.push_back(d.addr);
    return "";
  };
  for (const auto& w : works_) {
    for (const GcDropped& d : w->dropped) {
      if (std::string e = check(d, "dropped"); !e.empty()) return e;
    }
  }
  for (const GcDropped& d : marking_) {
    if (std::string e = check(d, "unreached"); !e.empty()) return e;
  }
  size_t left = 0;
  for (const Unit& u : units_) {
    if (u.swept) continue;
    left++;
    if (!u.span->is_large() && u.span->list != SpanList::kUnswept) {
      return fmt::format("gc: unswept span {:#x} is not set aside", u.span->base);
    }
    for (uint64_t i = u.first; i < u.first + u.count; i++) {
      if (std::string e = check(objects_[i], "unswept"); !e.empty()) return e;
    }
  }
  if (left != units_left_.load(std::memory_order_relaxed)) {
    return fmt::format("gc: {} unswept spans, {} counted", left,
                       units_left_.load(std::memory_order_relaxed));
  }
  std::sort(addrs.begin(), addrs.end());
  if (std::adjacent_find(addrs.begin(), addrs.end()) != addrs.end()) {
    return "gc: an object is garbage twice";
  }
  for (size_t sc = 0; sc < g.size(); sc++) {
    if (g[sc] != garbage(SpanClass(sc))) {
      return fmt::format("gc: span class {}: garbage counters", sc);
    }
  }
  if (tiny != tiny_garbage()) return "gc: tiny garbage counters";
  return "";
}

}  // namespace goalloc::alloc
