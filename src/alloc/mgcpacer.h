// Go 1.19's GC pacer (mgcpacer.go) as pure functions, for GC mode (mgc.h): the heap goal
// from heapMarked, GOGC and the memory limit, the trigger within Go's bounds, and the
// scavenger's retained-memory goal (mgcscavenge.go, gcPaceScavenger).
//
// What the model assumes where Go measures (docs/allocator.md, "GC mode"):
//  - the goal's scan terms (lastStackScan + globalsScan) are 0: a replay's objects are the
//    trace's, and the replayer's own stacks and globals are not in this heap;
//  - the runway, which Go derives from the measured cons/mark ratio (commit: consMark × 3 ×
//    the last cycle's scan work), is 0 before the first mark termination, as Go's (consMark
//    starts at 0), so the first trigger sits at its upper bound, 61/64 of the way from
//    heapMarked to the goal (or goal − 4 MiB, if higher); after it the runway is taken to
//    exceed the bounds, so the trigger sits at its lower bound, 45/64 (or heapMarked + 1 MiB
//    of sweep distance, if higher). A replay allocates as fast as it can and its objects hold
//    no pointers: assists do the little scan work, so Go measures a cons/mark far from the
//    one that would give a runway inside the bounds. Real Go's gctrace on the oracle traces
//    bears both out (docs/allocator.md, "GC mode against real Go").
#pragma once

#include <cstdint>
#include <optional>

namespace goalloc::alloc {

inline constexpr uint64_t kHeapMinimum = 4 << 20;           // defaultHeapMinimum
inline constexpr uint64_t kSweepMinHeapDistance = 1 << 20;  // sweepMinHeapDistance
inline constexpr uint64_t kMinRunway = 64 << 10;            // heapGoalInternal's minRunway
inline constexpr uint64_t kMemoryLimitHeadroom = 1 << 20;   // memoryLimitHeapGoalHeadroom
inline constexpr uint64_t kTriggerRatioDen = 64, kMinTriggerNum = 45, kMaxTriggerNum = 61;
inline constexpr uint64_t kRunwayBeyondBounds = UINT64_MAX;  // the trigger at its lower bound
inline constexpr uint64_t kRetainExtraPercent = 10, kReduceExtraPercent = 5;

struct PacerInput {
  std::optional<uint32_t> gogc = 100;    // empty: off
  std::optional<uint64_t> memory_limit;  // empty: none
  uint64_t heap_marked = 0;
  // commit's sweepDistMinTrigger: heapLive + 1 MiB when committed before sweeping finished
  // (at every mark termination), 0 before the first cycle.
  uint64_t sweep_dist_min_trigger = 0;
  // The heapLive the running cycle triggered at; empty between cycles.
  std::optional<uint64_t> triggered;
  // Go's runway (commit: consMark × 3 × the last scan work): 0 before the first mark
  // termination (consMark starts at 0), kRunwayBeyondBounds after it.
  uint64_t runway = 0;
  // For the memory-limit goal: memory counted against the limit (mappedReady), free
  // unscavenged heap memory (heapFree) and heap object bytes (heapAlloc).
  uint64_t mapped_ready = 0, heap_free = 0, heap_alloc = 0;
};

struct Pacing {
  uint64_t goal = 0, trigger = 0;
};

// heapGoalInternal, then trigger(); UINT64_MAX for both when GOGC is off and no limit.
Pacing Pace(const PacerInput& in);

// gcPaceScavenger: the retained bytes (sys − released) the scavenger works toward after a
// mark termination; UINT64_MAX when it has nothing to do. last_goal 0: the first cycle.
uint64_t ScavengeRetainGoal(const PacerInput& in, uint64_t goal, uint64_t last_goal,
                            uint64_t last_heap_inuse, uint64_t retained);

}  // namespace goalloc::alloc
