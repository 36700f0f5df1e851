// LiveObjects: the exact semantics of live_objects.h (dense serials, realloc ending one object
// and beginning another, inconsistent events changing nothing, first indices, the peak), and
// the id table against a reference map under heavy id reuse (fixed, printed seed).
#include "src/trace/live_objects.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace goalloc::trace {
namespace {

Event Malloc(uint64_t id, uint64_t size, uint32_t tid = 0) {
  return {.op = Op::kMalloc, .tid = tid, .id = id, .size = size};
}
Event Free(uint64_t id, uint32_t tid = 0) { return {.op = Op::kFree, .tid = tid, .id = id}; }
Event Realloc(uint64_t id, uint64_t new_id, uint64_t size) {
  return {.op = Op::kRealloc, .id = id, .new_id = new_id, .size = size};
}

TEST(LiveObjects, SerialsSizesAndThreads) {
  LiveObjects live;
  auto a = live.Apply(Malloc(10, 100, 1), 0);
  EXPECT_TRUE(a.consistent && a.begun_valid && !a.ended_valid);
  EXPECT_EQ(a.begun.serial, 0u);
  EXPECT_EQ(a.begun.tid, 1u);
  a = live.Apply(Malloc(20, 50, 2), 1);
  EXPECT_EQ(a.begun.serial, 1u);
  a = live.Apply(Realloc(10, 30, 300), 2);
  EXPECT_TRUE(a.ended_valid && a.begun_valid);
  EXPECT_EQ(a.ended.serial, 0u);
  EXPECT_EQ(a.ended.size, 100u);
  EXPECT_EQ(a.ended.tid, 1u);
  EXPECT_EQ(a.begun.serial, 2u);
  EXPECT_EQ(live.live_bytes(), 350u);
  a = live.Apply(Realloc(30, 30, 10), 3);  // in place: still a new serial
  EXPECT_EQ(a.ended.serial, 2u);
  EXPECT_EQ(a.begun.serial, 3u);
  EXPECT_EQ(live.live_bytes(), 60u);
  EXPECT_EQ(live.live_objects(), 2u);
  a = live.Apply(Free(20, 3), 4);
  EXPECT_TRUE(a.ended_valid && !a.begun_valid);
  EXPECT_EQ(a.ended.tid, 2u);
  EXPECT_EQ(live.serials(), 4u);
  EXPECT_EQ(live.peak_bytes(), 350u);
  EXPECT_EQ(live.peak_event(), 2u);
  EXPECT_EQ(live.peak_objects(), 2u);
}

TEST(LiveObjects, PeakIsTheFirstEventReachingIt) {
  LiveObjects live;
  live.Apply(Malloc(1, 10), 0);
  live.Apply(Free(1), 1);
  live.Apply(Malloc(2, 4), 2);
  live.Apply(Malloc(3, 6), 3);  // 10 again: not a new peak
  EXPECT_EQ(live.peak_bytes(), 10u);
  EXPECT_EQ(live.peak_event(), 0u);
  EXPECT_EQ(live.peak_objects(), 1u);
}

TEST(LiveObjects, InconsistentEventsChangeNothingAndAreCounted) {
  LiveObjects live;
  live.Apply(Malloc(1, 8), 0);
  live.Apply(Malloc(2, 8), 1);
  struct {
    Event e;
    Inconsistency kind;
  } bad[] = {{Free(9), Inconsistency::kFreeUnknown},
             {Malloc(1, 64), Inconsistency::kMallocLiveId},
             {Realloc(9, 10, 4), Inconsistency::kReallocUnknown},
             {Realloc(1, 2, 4), Inconsistency::kMallocLiveId}};
  uint64_t index = 2;
  for (int round = 0; round < 4; ++round) {
    for (const auto& b : bad) {
      auto a = live.Apply(b.e, index++);
      EXPECT_FALSE(a.consistent);
      EXPECT_EQ(a.kind, b.kind);
      EXPECT_FALSE(a.begun_valid || a.ended_valid);
    }
  }
  EXPECT_EQ(live.live_bytes(), 16u);
  EXPECT_EQ(live.live_objects(), 2u);
  EXPECT_EQ(live.serials(), 2u);
  const InconsistencyCounts& c = live.inconsistent();
  EXPECT_EQ(c.free_unknown, 4u);
  EXPECT_EQ(c.realloc_unknown, 4u);
  EXPECT_EQ(c.malloc_live_id, 8u);
  EXPECT_EQ(c.first_indices, (std::vector<uint64_t>{2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
  EXPECT_EQ(DescribeInconsistency(Inconsistency::kMallocLiveId, Realloc(1, 2, 4)),
            "realloc to new_id 2, which is already live");
}

TEST(IdTable, MatchesAReferenceMapUnderHeavyReuse) {
  constexpr uint32_t kSeed = 7;
  std::printf("seed %u\n", kSeed);
  std::mt19937_64 rng(kSeed);
  IdTable table;
  std::map<uint64_t, uint64_t> ref;
  for (int i = 0; i < 300000; ++i) {
    // Few distinct ids, clustered like addresses, plus hash-colliding multiples.
    uint64_t id = rng() % 3 ? (rng() % 5000) * 16 : (rng() % 64) << 58;
    if (rng() % 2) {
      LiveObject* o = table.Insert(id);
      EXPECT_EQ(o == nullptr, ref.count(id) == 1);
      if (o) o->size = ref[id] = rng() % 1000;
    } else {
      LiveObject old;
      bool erased = table.Erase(id, &old);
      ASSERT_EQ(erased, ref.count(id) == 1);
      if (erased) {
        EXPECT_EQ(old.size, ref[id]);
        ref.erase(id);
      }
    }
    if (i % 50000 == 0) {
      for (auto [k, v] : ref) ASSERT_EQ(table.Find(k)->size, v);
    }
  }
  EXPECT_EQ(table.size(), ref.size());
}

}  // namespace
}  // namespace goalloc::trace
