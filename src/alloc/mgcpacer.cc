// The pacer (see mgcpacer.h), following mgcpacer.go's heapGoalInternal, memoryLimitHeapGoal
// and trigger, and mgcscavenge.go's gcPaceScavenger.
#include "src/alloc/mgcpacer.h"

#include <algorithm>
#include <cstdint>

namespace goalloc::alloc {
namespace {

constexpr uint64_t kNone = UINT64_MAX;

uint64_t MemoryLimitGoal(const PacerInput& in) {
  if (!in.memory_limit) return kNone;
  const uint64_t limit = *in.memory_limit;
  const uint64_t non_heap =
      in.mapped_ready - std::min(in.mapped_ready, in.heap_free + in.heap_alloc);
  const uint64_t overage = in.mapped_ready > limit ? in.mapped_ready - limit : 0;
  if (non_heap + overage >= limit) return in.heap_marked;
  uint64_t goal = limit - (non_heap + overage);
  if (goal < 2 * kMemoryLimitHeadroom) {
    goal = kMemoryLimitHeadroom;
  } else {
    goal -= kMemoryLimitHeadroom;
  }
  return std::max(goal, in.heap_marked);
}

}  // namespace

Pacing Pace(const PacerInput& in) {
  uint64_t goal = kNone;
  if (in.gogc) {
    goal =
        std::max(in.heap_marked + in.heap_marked * *in.gogc / 100, kHeapMinimum * *in.gogc / 100);
  }
  uint64_t min_trigger = 0;
  if (const uint64_t ml = MemoryLimitGoal(in); ml < goal) {
    goal = ml;
  } else {
    goal = goal == kNone ? kNone : std::max(goal, in.sweep_dist_min_trigger);
    min_trigger = in.sweep_dist_min_trigger;
    if (goal != kNone && in.triggered && goal < *in.triggered + kMinRunway) {
      goal = *in.triggered + kMinRunway;
    }
  }
  if (goal == kNone) return {kNone, kNone};
  const uint64_t marked = in.heap_marked;
  if (marked >= goal) return {goal, goal};
  min_trigger =
      std::max({min_trigger, marked, (goal - marked) / kTriggerRatioDen * kMinTriggerNum + marked});
  // trigger(): the upper bound, raised to goal − heapMinimum on large heaps, then the runway.
  uint64_t max_trigger = (goal - marked) / kTriggerRatioDen * kMaxTriggerNum + marked;
  if (goal > kHeapMinimum) max_trigger = std::max(max_trigger, goal - kHeapMinimum);
  max_trigger = std::max(max_trigger, min_trigger);
  const uint64_t trigger = in.runway > goal ? min_trigger : goal - in.runway;
  return {goal, std::clamp(trigger, min_trigger, max_trigger)};
}

uint64_t ScavengeRetainGoal(const PacerInput& in, uint64_t goal, uint64_t last_goal,
                            uint64_t last_heap_inuse, uint64_t retained) {
  uint64_t target = kNone;
  if (in.memory_limit) {
    const uint64_t limit_goal = *in.memory_limit / 100 * (100 - kReduceExtraPercent);
    if (in.mapped_ready > limit_goal) target = limit_goal;
  }
  if (last_goal != 0 && goal != kNone && last_goal != kNone) {
    uint64_t pct = uint64_t(double(last_heap_inuse) * (double(goal) / double(last_goal)));
    pct += pct / (100 / kRetainExtraPercent);
    pct = (pct + 4095) & ~uint64_t{4095};  // physPageSize
    if (retained > pct && retained - pct >= 4096) target = std::min(target, pct);
  }
  return target;
}

}  // namespace goalloc::alloc
