// The allocator's statistics, as the replayer and reporter see them. Everything here is
// computed by the allocator from its own state (spans, bitmaps, counters); nothing above
// src/alloc reaches into its internals. Byte accounting identity, exact at every snapshot:
//   sys - released == requested + garbage + rounding + tiny_waste + free_slots + tail_waste
//                     + idle
// where requested and rounding are those of live objects, and garbage (GC mode only) the
// slot bytes of objects dropped and not yet swept (tiny sub-objects: their requested bytes).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace goalloc::alloc {

// Cheap totals for timeline samples (no walk of spans).
struct HeapTotals {
  uint64_t sys = 0;       // heap bytes mapped from the OS (Go's HeapSys)
  uint64_t released = 0;  // of sys, returned to the OS by the scavenger (HeapReleased)
  uint64_t inuse = 0;     // bytes in in-use spans (HeapInuse)
  uint64_t idle = 0;      // free pages held and not released (HeapIdle - HeapReleased)
  uint64_t metadata = 0;  // the allocator's own metadata mapped (spans, bitmaps, arena index)
  uint64_t spans_in_use = 0;
  uint64_t footprint() const { return sys - released + metadata; }
};

// Per span class (size class × scan/noscan), only for classes with any activity.
struct SpanClassStats {
  int size_class = 0;  // 1..67
  bool noscan = true;
  uint32_t object_size = 0;
  uint32_t span_pages = 0;
  uint32_t span_slots = 0;       // objects per span for this span class
  uint64_t spans_mcache = 0;     // cached in some P's mcache
  uint64_t spans_partial = 0;    // in mcentral, with free slots
  uint64_t spans_full = 0;       // in mcentral, no free slot
  uint64_t objects_in_use = 0;   // allocated slots (a tiny block counts once), garbage included
  uint64_t garbage_objects = 0;  // GC mode: of those, dropped and not swept (tiny: sub-objects)
  uint64_t garbage = 0;          // GC mode: their slot bytes (tiny: requested bytes)
  uint64_t slots = 0;            // slots over in-use spans
  uint64_t mallocs = 0;          // cumulative slot allocations
  uint64_t frees = 0;            // cumulative slot frees
  uint64_t requested = 0;        // requested bytes of live objects in this class
  uint64_t rounding = 0;         // slot bytes of live objects − requested (0 for tiny blocks)
  uint64_t tiny_waste = 0;       // tiny class only: unused bytes in live tiny blocks
  uint64_t free_slots = 0;       // bytes of free slots in in-use spans
  uint64_t tail_waste = 0;       // bytes at span ends that hold no slot
  // Spans by fill: [0,25%), [25,50%), [50,75%), [75,100%), exactly 100%.
  std::array<uint64_t, 5> occupancy_histogram{};
  double occupancy() const { return slots ? double(objects_in_use) / double(slots) : 0.0; }
};

struct LargeStats {
  uint64_t allocations = 0;      // cumulative
  uint64_t frees = 0;            // cumulative
  uint64_t live_objects = 0;     // large spans in use, garbage included
  uint64_t live_bytes = 0;       // requested bytes of live large objects (garbage excluded)
  uint64_t pages = 0;            // pages in large spans in use
  uint64_t rounding = 0;         // pages × 8192 − live_bytes − garbage
  uint64_t garbage_objects = 0;  // GC mode: dropped, not swept
  uint64_t garbage = 0;          // GC mode: their spans' bytes
};

struct TinyStats {
  uint64_t allocs = 0;        // cumulative tiny sub-object allocations
  uint64_t frees = 0;         // cumulative tiny sub-object frees
  uint64_t live_objects = 0;  // live sub-objects
  uint64_t live_blocks = 0;   // 16-byte blocks holding any live sub-object, or current in a P
};

struct LockStats {
  std::string name;  // "mheap", "mcentral[<class><s|n>]" e.g. "mcentral[3n]", ...
  uint64_t acquisitions = 0;
  uint64_t contended = 0;  // the first try failed
  uint64_t wait_ns_total = 0;
  uint64_t wait_ns_max = 0;
};

struct HeapStats {
  HeapTotals totals;
  uint64_t requested = 0, garbage = 0, rounding = 0, tiny_waste = 0, free_slots = 0, tail_waste = 0;
  uint64_t mallocs = 0, frees = 0;  // cumulative, objects as callers see them (tiny included)
  std::vector<SpanClassStats> span_classes;  // sorted by (size_class, noscan); active only
  LargeStats large;
  TinyStats tiny;
  std::vector<LockStats> locks;                      // every lock acquired at least once
  uint64_t scavenger_runs = 0, scavenged_bytes = 0;  // cumulative; a run per GC cycle
};

// GC mode: one collection, from the trigger to the start of the next (or the end).
struct GcCycleStats {
  uint64_t trigger_event = 0;  // the event whose allocation crossed the trigger
  uint64_t mark_termination_event = 0;
  uint64_t heap_live_at_trigger = 0;  // Go's heapLive (mgcpacer.go) when the cycle started
  uint64_t trigger = 0, goal = 0;     // the pacer's, for this cycle
  uint64_t heap_marked = 0;           // slot bytes marked: this cycle's result
  uint64_t next_goal = 0;             // the goal the pacer set at its mark termination
  uint64_t heap_inuse_start = 0;      // HeapInuse when the cycle started
  uint64_t heap_inuse_end = 0;        // when the next one started (or at the end)
  uint64_t spans_swept = 0;           // spans holding garbage swept after this mark
  uint64_t pages_released = 0;        // by the scavenger paced at this mark termination
};

struct GcStats {
  uint64_t cycles = 0;                                             // completed mark terminations
  uint64_t heap_live = 0, heap_marked = 0, trigger = 0, goal = 0;  // the pacer's now
  uint64_t heap_alloc = 0;       // slot bytes of allocated objects, garbage included (HeapAlloc)
  uint64_t peak_heap_alloc = 0;  // the highest HeapAlloc at a mark termination (before its
                                 // sweep) or now
  uint64_t peak_heap_inuse = 0, peak_heap_inuse_event = 0;
  uint64_t mark_ns = 0, sweep_ns = 0;  // time in the model's mark and sweep bookkeeping
  std::string violation;               // first broken GC invariant seen, "" when none
  std::vector<GcCycleStats> cycle_log;
};

}  // namespace goalloc::alloc
