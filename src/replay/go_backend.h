// The `go` backend: the project's Go-style allocator, one P (MCache) per replay thread that
// runs events.
// Go has no realloc, so realloc is what a Go program does when it grows a slice: allocate,
// copy the smaller size, drop the old object. calloc clears the object the way Go's
// needzero does: memory the OS has not backed yet (fresh, or released by the scavenger)
// is already zero and is skipped, found with mincore for large objects (reading pages to
// check them would fault each one twice: zero page, then copy-on-write).
#pragma once

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "src/alloc/heap.h"
#include "src/replay/backend.h"
#include "src/replay/replay_result.h"

namespace goalloc::replay {

class GoBackend : public BackendHooks {
 public:
  using Context = alloc::MCache*;
  static constexpr bool kPerThreadContexts = true;
  static constexpr bool kFootprintPerEvent = true;

  GoBackend(const alloc::HeapConfig& config, uint32_t threads);
  ~GoBackend();
  GoBackend(const GoBackend&) = delete;
  GoBackend& operator=(const GoBackend&) = delete;

  // Replay thread r's P, made on first use (each costs its mcache). Different threads may
  // ask for their own Ps at the same time.
  Context ContextFor(uint32_t replay_thread) {
    alloc::MCache*& c = caches_[replay_thread];
    if (c == nullptr) c = heap_.NewMCache();
    return c;
  }
  void* Malloc(Context c, uint64_t size, bool scan) { return heap_.Malloc(c, size, !scan); }
  void* Calloc(Context c, uint64_t size, bool scan) {
    void* p = heap_.Malloc(c, size, !scan);
    if (p != nullptr) ClearObject(p, size);
    return p;
  }
  void* AlignedAlloc(Context c, uint64_t size, uint64_t align, bool scan) {
    return heap_.AlignedAlloc(c, size, align, !scan);
  }
  void* Realloc(Context c, void* p, uint64_t old_size, uint64_t size, bool scan) {
    void* q = heap_.Malloc(c, size, !scan);
    if (q == nullptr) return nullptr;
    std::memcpy(q, p, std::min(old_size, size));
    heap_.Free(c, p, old_size);
    return q;
  }
  void Free(Context c, void* p, uint64_t size) { heap_.Free(c, p, size); }

  uint64_t Footprint() const { return footprint_.load(std::memory_order_relaxed); }
  void FillSample(Sample& s) const;
  void FillSnapshot(Snapshot& s) const;
  std::string Verify() const { return heap_.Verify(); }

  // Zeroes [p, p + size), skipping pages that are not resident (when the machine has no
  // swap, a non-resident page of the heap's anonymous memory reads as zero).
  static void ClearObject(void* p, uint64_t size);

  // Hooks (backend.h). The size-class table's name.
  void Describe(ReplayResult& r, const ReplayOptions& options) const {
    r.size_classes = options.size_classes;
  }
  // The locks' figures at the end; the Ps torn down (their spans flushed to mcentral).
  void AfterReplay(ReplayResult& r, const PreparedTrace&, bool) {
    if (r.at_end.go) r.locks = r.at_end.go->locks;
    ReleaseContexts();
  }
  // What the heap says about the allocation that failed.
  std::string WhyFailed(std::string_view, const std::string& message) const {
    return fmt::format("go heap: {} ({})", heap_.LastFailure(), message);
  }

 protected:
  alloc::Heap heap_;

 private:
  // ClearObject of a large object, by runs of resident pages.
  static void ClearByResidency(void* p, uint64_t size);
  void ReleaseContexts();

  std::vector<alloc::MCache*> caches_;
  const std::atomic<uint64_t>& footprint_;  // the heap's FootprintWord()
};

// The `go` backend in GC mode (--gogc, --memory-limit; docs/allocator.md "GC mode"): a trace
// free drops the object's last reference and the heap's collector reclaims it; realloc is a
// new object, the copy, and the old one dropped. What both modes share: the gc section.
// Separate from GoBackend so that explicit-free replays pay nothing for it.
class GoGcBackendBase : public GoBackend {
 public:
  GoGcBackendBase(const alloc::HeapConfig& config, uint32_t threads);

  // GC mode's results leave size_classes empty, as its reports always have.
  void Describe(ReplayResult&, const ReplayOptions&) const {}
  // Unless the replay failed, the gc section, from the collector's figures and a final
  // runtime.GC() (all replay threads have ended); then the Ps torn down.
  void AfterReplay(ReplayResult& r, const PreparedTrace& trace, bool failed) {
    if (!failed) r.gc = Finish([&](uint64_t i) { return trace.OriginalIndex(i); });
    GoBackend::AfterReplay(r, trace, failed);
  }

 protected:
  alloc::GcConfig config_;
  std::atomic<uint64_t>* clock_;
  const std::atomic<bool>* due_;

 private:
  // The gc section. `original_index` maps compact event indices to the trace's.
  template <class ToOriginal>
  GcFigures Finish(const ToOriginal& original_index);
  GcFigures Figures(alloc::MCache* c);
};

// sim mode (!kParallel): every event counts on the heap's GC clock (the events run in
// order, so it is the compact event index), and after an allocation that crossed the
// trigger or ended mark the collector runs at once (Go's mallocgc).
// parallel mode: the Ps allocate, drop and sweep concurrently; the collector's cycle start
// and mark termination wait for the engine's next stop (AtStop: every sample point, and GC
// points every GcPointBytes of the trace's allocation), where the world is stopped.
template <bool kParallel>
class GoGcBackend : public GoGcBackendBase {
 public:
  using GoGcBackendBase::GoGcBackendBase;

  void* Malloc(Context c, uint64_t size, bool scan) {
    if constexpr (kParallel) {
      return heap_.Malloc(c, size, !scan);
    } else {
      clock_->store(events_++, std::memory_order_relaxed);
      return Safepoint(c, heap_.Malloc(c, size, !scan));
    }
  }
  void* Calloc(Context c, uint64_t size, bool scan) {
    void* p = Malloc(c, size, scan);
    if (p != nullptr) ClearObject(p, size);
    return p;
  }
  void* AlignedAlloc(Context c, uint64_t size, uint64_t align, bool scan) {
    if constexpr (kParallel) {
      return heap_.AlignedAlloc(c, size, align, !scan);
    } else {
      clock_->store(events_++, std::memory_order_relaxed);
      return Safepoint(c, heap_.AlignedAlloc(c, size, align, !scan));
    }
  }
  void* Realloc(Context c, void* p, uint64_t old_size, uint64_t size, bool scan) {
    void* q = Malloc(c, size, scan);
    if (q == nullptr) return nullptr;
    std::memcpy(q, p, std::min(old_size, size));
    heap_.Drop(c, p, old_size);
    return q;
  }
  void Free(Context c, void* p, uint64_t size) {
    if constexpr (!kParallel) clock_->store(events_++, std::memory_order_relaxed);
    heap_.Drop(c, p, size);
  }

  // Parallel mode: the spacing of the GC points in bytes the trace allocates, 1/16 of the
  // smallest runway a cycle can have (alloc::GcMinRunway), so that a cycle starts, and mark
  // terminates, within 1/16 of a runway of heapLive reaching its bound; and no more than
  // kMaxGcPoints of them, each being a stop of every thread. None when nothing can start a
  // cycle (GOGC off, no limit).
  static constexpr uint64_t kMaxGcPoints = 1 << 15;
  uint64_t GcPointBytes(const PreparedTrace& trace) const requires kParallel {
    if (!config_.gogc && !config_.memory_limit) return 0;
    uint64_t allocated = 0;
    for (const uint64_t size : trace.begin_sizes()) allocated += size;
    return std::max(alloc::GcMinRunway(config_) / 16, allocated / kMaxGcPoints + 1);
  }
  // Parallel mode, at the engine's stop after compact event `index` (every P parked): the
  // collector's safepoint if an allocation since the last stop asked for one.
  void AtStop(uint64_t index) requires kParallel {
    clock_->store(index, std::memory_order_relaxed);
    if (due_->load(std::memory_order_relaxed)) heap_.GcSafepoint(ContextFor(0));
  }

 private:
  void* Safepoint(Context c, void* p) {
    if (due_->load(std::memory_order_relaxed)) [[unlikely]]
      heap_.GcSafepoint(c);
    return p;
  }

  uint64_t events_ = 0;  // sim mode's clock
};

template <class ToOriginal>
GcFigures GoGcBackendBase::Finish(const ToOriginal& original_index) {
  GcFigures gc = Figures(ContextFor(0));
  gc.peak_heap_inuse_event = original_index(gc.peak_heap_inuse_event);
  for (GcCycle& c : gc.cycle_log) {
    c.event = original_index(c.event);
    c.trigger_event = original_index(c.trigger_event);
  }
  return gc;
}

}  // namespace goalloc::replay
