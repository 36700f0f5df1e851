// GC mode (mgc.h): the pacer's formulas on hand-computed values, and whole cycles of a
// scripted workload whose triggers, goals, marked bytes and swept spans are computed by
// hand in the comments; tiny and large garbage; the accounting identity with garbage; and
// Verify's GC invariants.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <vector>

#include "src/alloc/heap.h"
#include "src/alloc/mgcpacer.h"

namespace goalloc::alloc {
namespace {

constexpr uint64_t MiB = 1 << 20;

// Before the first mark termination the runway is 0 (Go's consMark starts at 0): the
// trigger is the upper bound.
TEST(Pacer, FirstCycleGoalIsTheHeapMinimumAndTriggerItsUpperBound) {
  PacerInput in;
  const Pacing p = Pace(in);
  EXPECT_EQ(p.goal, 4 * MiB);
  EXPECT_EQ(p.trigger, 4 * MiB / 64 * 61);  // 3,997,696
  in.gogc = 50;
  EXPECT_EQ(Pace(in).goal, 2 * MiB);  // heapMinimum scales with GOGC
  EXPECT_EQ(Pace(in).trigger, 2 * MiB / 64 * 61);
  // A large heap: the upper bound is goal − heapMinimum when that is higher than 61/64.
  in.gogc = 100;
  in.heap_marked = 100 * MiB;
  EXPECT_EQ(Pace(in).trigger, 196 * MiB);
  // A runway inside the bounds gives goal − runway.
  in.runway = 20 * MiB;
  EXPECT_EQ(Pace(in).trigger, 180 * MiB);
}

TEST(Pacer, GoalFromHeapMarkedAndTriggerBounds) {
  PacerInput in;
  in.runway = kRunwayBeyondBounds;  // after the first mark termination
  in.heap_marked = 10 * MiB;
  in.sweep_dist_min_trigger = 11 * MiB;
  Pacing p = Pace(in);
  EXPECT_EQ(p.goal, 20 * MiB);
  EXPECT_EQ(p.trigger, 10 * MiB + 10 * MiB / 64 * 45);  // 45/64 of the runway
  in.heap_marked = 100 * MiB;
  in.sweep_dist_min_trigger = 101 * MiB;
  p = Pace(in);
  EXPECT_EQ(p.goal, 200 * MiB);
  EXPECT_EQ(p.trigger, 100 * MiB + 100 * MiB / 64 * 45);
  in.heap_marked = 5 * MiB;  // the sweep distance can raise the trigger above 45/64
  in.sweep_dist_min_trigger = 6 * MiB;
  in.gogc = 20;
  EXPECT_EQ(Pace(in).goal, 6 * MiB);
  EXPECT_EQ(Pace(in).trigger, 6 * MiB);
  in.gogc = 100;
  in.heap_marked = 100 * MiB;
  in.sweep_dist_min_trigger = 101 * MiB;
  in.triggered = 199 * MiB + MiB / 2;
  EXPECT_EQ(Pace(in).goal, 200 * MiB);  // minRunway only when the goal is that close
  in.triggered = 200 * MiB;
  EXPECT_EQ(Pace(in).goal, 200 * MiB + 64 * 1024);
}

TEST(Pacer, GogcZeroCollectsEveryMebibyteAndOffNever) {
  PacerInput in;
  in.runway = kRunwayBeyondBounds;
  in.gogc = 0;
  in.heap_marked = 5 * MiB;
  in.sweep_dist_min_trigger = 6 * MiB;
  EXPECT_EQ(Pace(in).goal, 6 * MiB);  // the sweep distance keeps 1 MiB of runway
  EXPECT_EQ(Pace(in).trigger, 6 * MiB);
  in.gogc.reset();
  EXPECT_EQ(Pace(in).trigger, UINT64_MAX);
}

TEST(Pacer, MemoryLimitLowersTheGoal) {
  PacerInput in;
  in.runway = kRunwayBeyondBounds;
  in.heap_marked = 40 * MiB;
  in.sweep_dist_min_trigger = 41 * MiB;
  in.memory_limit = 64 * MiB;
  in.mapped_ready = 20 * MiB;
  in.heap_free = 2 * MiB;
  in.heap_alloc = 15 * MiB;
  // non-heap = 20 − 2 − 15 = 3 MiB; goal = 64 − 3 − 1 (headroom) = 60 MiB < 80 MiB of GOGC.
  const Pacing p = Pace(in);
  EXPECT_EQ(p.goal, 60 * MiB);
  EXPECT_EQ(p.trigger, 40 * MiB + 20 * MiB / 64 * 45);
  in.gogc.reset();  // the limit alone also paces
  EXPECT_EQ(Pace(in).goal, 60 * MiB);
}

TEST(Pacer, ScavengerRetainsTenPercentOverTheScaledGoal) {
  PacerInput in;
  // lastHeapInUse 10 MiB scaled by goal / lastGoal = 2: 20 MiB, + 10 % = 22 MiB.
  EXPECT_EQ(ScavengeRetainGoal(in, 40 * MiB, 20 * MiB, 10 * MiB, 30 * MiB), 22 * MiB);
  EXPECT_EQ(ScavengeRetainGoal(in, 40 * MiB, 20 * MiB, 10 * MiB, 22 * MiB), UINT64_MAX);
  EXPECT_EQ(ScavengeRetainGoal(in, 40 * MiB, 0, 10 * MiB, 30 * MiB), UINT64_MAX);  // first
  in.memory_limit = 100 * MiB;
  in.mapped_ready = 99 * MiB;  // over 95 % of the limit
  EXPECT_EQ(ScavengeRetainGoal(in, 40 * MiB, 0, 10 * MiB, 99 * MiB), 100 * MiB / 100 * 95);
}

class GcHeap {
 public:
  explicit GcHeap(std::optional<uint32_t> gogc = 100) : heap_(Config(gogc)) {
    c_ = heap_.NewMCache();
    clock_ = heap_.GcClock();
  }
  static HeapConfig Config(std::optional<uint32_t> gogc) {
    HeapConfig c;
    c.gc.enabled = true;
    c.gc.gogc = gogc;
    return c;
  }
  void* Malloc(size_t size) {
    clock_->store(event_++);
    void* p = heap_.Malloc(c_, size, true);
    if (heap_.GcSafepointDue()->load()) heap_.GcSafepoint(c_);
    return p;
  }
  void Drop(void* p, size_t size) {
    clock_->store(event_++);
    heap_.Drop(c_, p, size);
  }
  void Collect() {
    clock_->store(event_);
    heap_.GcCollect(c_);
  }
  void ExpectIdentity() {
    const HeapStats st = heap_.ReadStats();
    const HeapTotals& t = st.totals;
    EXPECT_EQ(t.sys - t.released, st.requested + st.garbage + st.rounding + st.tiny_waste +
                                      st.free_slots + st.tail_waste + t.idle);
  }
  Heap& heap() { return heap_; }

 private:
  Heap heap_;
  MCache* c_;
  std::atomic<uint64_t>* clock_;
  uint64_t event_ = 0;
};

// 5 MiB of 64 B objects (81,920; 60 B requested), every other one dropped, then 64 B
// objects on. Every span of the class is 8 KiB with 128 slots and no tail, so heapLive
// grows by 8,192 B per fresh span.
TEST(Collector, HandComputedCycles) {
  GcHeap h;
  std::vector<void*> objs;
  for (int i = 0; i < 81920; i++) objs.push_back(h.Malloc(60));
  GcStats g = h.heap().ReadGc();
  ASSERT_EQ(g.cycle_log.size(), 1u);
  // Cycle 1: trigger 61/64 × 4 MiB = 3,997,696 B (the upper bound: no runway measured yet)
  // = exactly 488 spans, reached by the refill that takes span 488: object 487 × 128 = 62,336.
  EXPECT_EQ(g.cycle_log[0].trigger, 3997696u);
  EXPECT_EQ(g.cycle_log[0].heap_live_at_trigger, 3997696u);
  EXPECT_EQ(g.cycle_log[0].trigger_event, 62336u);
  // Mark ends when heapLive reaches the goal, 4 MiB = 512 spans: object 511 × 128 = 65,408.
  EXPECT_EQ(g.cycle_log[0].goal, 4 * MiB);
  EXPECT_EQ(g.cycle_log[0].mark_termination_event, 65408u);
  // Nothing dropped yet: marked = 65,409 objects × 64 B.
  EXPECT_EQ(g.cycle_log[0].heap_marked, 65409u * 64);
  EXPECT_EQ(g.cycles, 1u);
  // Next goal 2 × 4,186,176 = 8,372,352; trigger at the lower bound from now on,
  // 4,186,176 + (4,186,176 / 64) × 45.
  EXPECT_EQ(g.goal, 8372352u);
  EXPECT_EQ(g.trigger, 4186176u + 4186176u / 64 * 45);  // 7,129,581

  for (int i = 0; i < 81920; i += 2) h.Drop(objs[i], 60);
  HeapStats st = h.heap().ReadStats();
  EXPECT_EQ(st.garbage, 40960u * 64);
  EXPECT_EQ(st.requested, 40960u * 60);
  EXPECT_EQ(st.rounding, 40960u * 4);
  h.ExpectIdentity();
  EXPECT_EQ(h.heap().Verify(), "");

  // heapLive is 640 spans = 5,242,880 B after the first phase; the trigger is 7,129,581:
  // 231 more spans (230 give 7,127,040), i.e. object 230 × 128 of this phase, event
  // 81,920 + 40,960 + 29,440 = 152,320. The goal, 8,372,352, needs 383 spans: event
  // 81,920 + 40,960 + 382 × 128 = 171,776.
  for (int i = 0; i < 50000; i++) h.Malloc(64);
  g = h.heap().ReadGc();
  ASSERT_EQ(g.cycle_log.size(), 2u);
  EXPECT_EQ(g.cycle_log[1].trigger, 7129581u);
  EXPECT_EQ(g.cycle_log[1].heap_live_at_trigger, 5242880u + 231 * 8192);
  EXPECT_EQ(g.cycle_log[1].trigger_event, 152320u);
  EXPECT_EQ(g.cycle_log[1].goal, 8372352u);
  EXPECT_EQ(g.cycle_log[1].mark_termination_event, 171776u);
  // Marked: 81,920 + 48,897 objects allocated, less the 40,960 dropped, at 64 B.
  EXPECT_EQ(g.cycle_log[1].heap_marked, (81920u + 48897 - 40960) * 64);
  h.ExpectIdentity();
  EXPECT_EQ(h.heap().Verify(), "");

  // runtime.GC(): everything dropped was in the first 640 spans, 64 per span, so the sweep
  // after cycle 2 swept exactly those 640; none became empty.
  h.Collect();
  g = h.heap().ReadGc();
  EXPECT_EQ(g.cycle_log[1].spans_swept, 640u);
  st = h.heap().ReadStats();
  EXPECT_EQ(st.garbage, 0u);
  EXPECT_EQ(st.requested, 40960u * 60 + 50000u * 64);
  h.ExpectIdentity();
  EXPECT_EQ(h.heap().Verify(), "");
}

// A large object that takes heapLive to the goal during mark is allocated after mark
// termination, as in Go, whose assist charges its bytes first and so finishes the scan work.
TEST(Collector, LargeObjectReachingTheGoalEndsMarkBeforeIt) {
  GcHeap h;
  // The cycle starts at the refill of span 488 (object 62,336; HandComputedCycles), heapLive
  // 3,997,696; mark would end at the goal, 4 MiB.
  for (int i = 0; i <= 62336; i++) h.Malloc(60);
  GcStats g = h.heap().ReadGc();
  ASSERT_EQ(g.cycle_log.size(), 1u);
  EXPECT_EQ(g.cycles, 0u);
  h.Malloc(1 * MiB);  // 128 pages: heapLive 5,046,272, past the goal
  g = h.heap().ReadGc();
  EXPECT_EQ(g.cycles, 1u);
  EXPECT_EQ(g.cycle_log[0].mark_termination_event, 62337u);
  EXPECT_EQ(g.cycle_log[0].heap_marked, 62337u * 64);  // without the large object
  EXPECT_EQ(g.goal, 2u * 62337 * 64);
  EXPECT_EQ(g.heap_live, 62337u * 64 + MiB);  // resetLive, then the large object
  h.ExpectIdentity();
  EXPECT_EQ(h.heap().Verify(), "");
  // A large object that does not reach the goal is marked like any other.
  GcHeap k;
  for (int i = 0; i <= 62336; i++) k.Malloc(60);
  k.Malloc(100000);  // 13 pages: heapLive 4,104,192, below the goal
  EXPECT_EQ(k.heap().ReadGc().cycles, 0u);
}

TEST(Collector, SweepFreesEmptySpansTinyBlocksAndLargeObjects) {
  GcHeap h;
  std::vector<void*> tiny, large, small;
  for (int i = 0; i < 1024; i++) tiny.push_back(h.Malloc(4));     // 4 per block: 256 blocks
  for (int i = 0; i < 8; i++) large.push_back(h.Malloc(100000));  // 13 pages each
  for (int i = 0; i < 256; i++) small.push_back(h.Malloc(1024));  // 8 per 8 KiB span
  const uint64_t inuse = h.heap().ReadTotals().inuse;
  EXPECT_EQ(inuse, 8192u + 8 * 13 * 8192 + 32 * 8192);
  for (int i = 0; i < 1024; i++) {
    if (i % 8 < 4) h.Drop(tiny[i], 4);  // every other block wholly garbage
  }
  for (int i = 0; i < 4; i++) h.Drop(large[i], 100000);
  for (int i = 0; i < 128; i++) h.Drop(small[i], 1024);  // the first 16 spans wholly
  HeapStats st = h.heap().ReadStats();
  EXPECT_EQ(st.garbage, 512u * 4 + 4 * 13 * 8192 + 128 * 1024);
  EXPECT_EQ(st.large.garbage_objects, 4u);
  h.ExpectIdentity();
  EXPECT_EQ(h.heap().Verify(), "");
  h.Collect();
  st = h.heap().ReadStats();
  EXPECT_EQ(st.garbage, 0u);
  EXPECT_EQ(st.tiny.live_blocks, 128u);
  EXPECT_EQ(st.large.live_objects, 4u);
  EXPECT_EQ(st.totals.inuse, 8192u + 4 * 13 * 8192 + 16 * 8192);
  EXPECT_EQ(h.heap().ReadGc().cycle_log.back().spans_swept, 1u + 4 + 16);
  h.ExpectIdentity();
  EXPECT_EQ(h.heap().Verify(), "");
}

TEST(Collector, GogcOffKeepsEverything) {
  GcHeap h(std::nullopt);
  std::vector<void*> objs;
  for (int i = 0; i < 200000; i++) objs.push_back(h.Malloc(48));
  for (void* p : objs) h.Drop(p, 48);
  for (int i = 0; i < 200000; i++) h.Malloc(48);
  EXPECT_EQ(h.heap().ReadGc().cycles, 0u);
  const HeapStats st = h.heap().ReadStats();
  EXPECT_EQ(st.garbage, 200000u * 48);
  EXPECT_EQ(st.requested, 200000u * 48);
  h.ExpectIdentity();
}

TEST(Collector, VerifyCatchesGarbageFreedBehindTheCollector) {
  GcHeap h;
  void* p = h.Malloc(100);
  h.Malloc(100);  // keeps the span in use once p's slot is free
  h.Drop(p, 100);
  EXPECT_EQ(h.heap().Verify(), "");
  h.heap().Free(h.heap().NewMCache(), p, 100);  // a slot reused while still garbage
  EXPECT_NE(h.heap().Verify().find("not an allocated slot"), std::string::npos);
}

TEST(Collector, VerifyCatchesAnObjectDroppedTwice) {
  GcHeap h;
  void* p = h.Malloc(100);
  h.Drop(p, 100);
  EXPECT_EQ(h.heap().Verify(), "");
  h.Drop(p, 100);
  EXPECT_NE(h.heap().Verify(), "");
}

}  // namespace
}  // namespace goalloc::alloc
