// What the go-runtime backend measures in Go's own runtime (docs/go-runtime.md), as parts
// of a ReplayResult: the runtime's heap at each timeline sample and snapshot, and the `gc`
// figures that every backend with a collector reports. Heap figures are net of the
// runtime's own start-up heap (its baseline, measured just before the replay).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace goalloc::replay {

// At a timeline sample, from runtime/metrics (no stop of the world, no mcache flush).
struct RuntimeSample {
  uint64_t heap_inuse = 0;    // bytes in in-use spans (HeapInuse)
  uint64_t heap_objects = 0;  // /memory/classes/heap/objects:bytes; lags HeapAlloc by the
                              // objects allocated into spans that Ps still cache
};

// Objects of one size class (object_size 0: large objects), from /gc/heap/*-by-size.
struct RuntimeClassObjects {
  uint64_t object_size = 0;
  uint64_t mallocs = 0, frees = 0;
  uint64_t objects() const { return mallocs - frees; }
};

// At a full snapshot: runtime.ReadMemStats (stops the world, flushes every mcache).
struct RuntimeSnapshot {
  uint64_t heap_inuse = 0, heap_alloc = 0, heap_sys = 0, heap_released = 0;
  uint64_t heap_objects = 0, mallocs = 0, frees = 0;
  uint32_t num_gc = 0;
  uint64_t next_gc = 0;
  std::vector<RuntimeClassObjects> classes;  // classes with any allocation since the baseline
};

struct GcRange {
  uint64_t min = 0, median = 0, max = 0;
};

// One collection: go-runtime as far as the samples show it; the go backend's GC mode in
// full (the model's fields, zero for go-runtime).
struct GcCycle {
  uint64_t cycle = 0;      // 1-based, counted from the replay's start
  uint64_t event = 0;      // the trace event of the first sample that saw it completed
                           // (model: the event of its mark termination)
  uint64_t heap_goal = 0;  // the goal at that sample (the goal after the sample's last cycle)
  uint64_t trigger_event = 0, heap_live_at_trigger = 0, trigger = 0, goal = 0;
  uint64_t heap_marked = 0, heap_inuse_start = 0, heap_inuse_end = 0;
  uint64_t spans_swept = 0, pages_released = 0;
};

struct GcFigures {
  bool model = false;            // the go backend's GC mode; false: real Go (go-runtime)
  std::optional<uint32_t> gogc;  // empty: off
  std::optional<uint64_t> memory_limit_bytes;
  uint64_t cycles = 0;
  uint64_t peak_heap_inuse = 0, peak_heap_inuse_event = 0;
  uint64_t peak_heap_alloc = 0;
  uint64_t heap_alloc_after_final_gc = 0, heap_inuse_after_final_gc = 0;
  uint64_t predicted_heap_alloc_after_final_gc = 0;  // class-size sum of the live objects
  // Whether the two must be equal: in sim mode (one P, one goroutine) the runtime allocates
  // nothing of its own during the replay; with several Ps it does (sudogs, timer heaps, Ms).
  bool final_gc_checked = false;
  uint64_t baseline_heap_inuse = 0, baseline_heap_alloc = 0;
  bool sealed = false;
  uint64_t sealed_objects = 0;
  uint64_t zero_size_objects = 0;  // &zerobase, no heap
  uint64_t aligned_allocs = 0;     // replayed with no alignment: Go has none
  uint32_t runs = 1;               // --repeat: fresh children; this is the median-peak one
  GcRange peak_heap_inuse_range, cycles_range;
  std::vector<GcCycle> cycle_log;
  // Model only: the goal when the replay ended, and the time its mark and sweep bookkeeping
  // took (within the replay's time).
  uint64_t heap_goal_at_end = 0;
  double mark_seconds = 0, sweep_seconds = 0;
};

}  // namespace goalloc::replay
