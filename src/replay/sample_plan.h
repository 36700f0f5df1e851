// Where a replay stops to look: about --timeline N evenly spaced events, the exact event of
// peak live bytes (known from decoding) and the last event, as compact indices in ascending
// order, with the live bytes after each (a property of the trace, computed here once). Both
// engines take their samples at exactly these events, so snapshots are exact in both modes.
// Parallel GC mode adds GC points, stops where its collector may run (go_backend.h): a
// point with none of the flags below, which takes no sample.
// Also the per-thread work of the parallel engine. All of it mapped (HugePageAllocator).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "src/replay/prepared_trace.h"

namespace goalloc::replay {

struct SamplePoint {
  uint64_t index = 0;  // compact event index: the state after this event
  uint64_t live = 0;   // requested bytes live after it
  bool timeline = false;
  bool peak_live = false;
  bool end = false;
};

// Empty for a trace without events. gc_point_bytes > 0: a GC point after each event at
// which the bytes the trace has allocated reach a multiple of it.
HugeVector<SamplePoint> PlanSamples(const PreparedTrace& trace, uint32_t timeline_samples,
                                    uint64_t gc_point_bytes = 0);

// The parallel engine's work for one replay thread (recorded thread t runs on replay thread
// t mod threads): its events in global order, and for each sample point how many of them
// lie at or before the point (the thread pauses before its event at that position). With
// several threads each gets a contiguous copy of its events, so that it streams only its
// own memory; a single thread replays the trace's own array, with no copy to make.
struct ThreadEvents {
  std::span<const ReplayEvent> events;  // the trace's array, or `copy`
  // The sizes of the objects its events begin and end: the trace's begin_sizes and
  // end_sizes, or the copies.
  std::span<const uint64_t> begin_sizes;
  std::span<const uint64_t> end_sizes;
  // The slots of its reallocs' new objects: the trace's realloc_slots, or `realloc_copy`.
  std::span<const uint32_t> realloc_slots;
  HugeVector<ReplayEvent> copy;
  HugeVector<uint64_t> begin_sizes_copy;
  HugeVector<uint64_t> end_sizes_copy;
  HugeVector<uint32_t> realloc_copy;
  HugeVector<uint64_t> pause_before;  // one per sample point, non-decreasing
};
HugeVector<ThreadEvents> SplitByThread(const PreparedTrace& trace, uint32_t threads,
                                       std::span<const SamplePoint> points);
// The compact index of `e`, an element of the trace's array or of a copy in `work` (from
// SplitByThread): how a replay names the event at which it failed.
uint64_t CompactIndexOf(const PreparedTrace& trace, std::span<const ThreadEvents> work,
                        const ReplayEvent* e);

}  // namespace goalloc::replay
