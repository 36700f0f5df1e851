// Sample points: evenly spaced, first and last included, the peak-live event exact, live
// bytes as a brute-force recount gives them; GC points by allocated bytes; per-thread lists
// by tid mod N.
#include "src/replay/sample_plan.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "src/replay/synthetic_traces.h"

namespace goalloc::replay {
namespace {

TEST(SamplePlan, EvenlySpacedWithPeakAndEnd) {
  const uint64_t seed = 7;
  auto events = MixedTrace(3, 1001, seed);
  auto t = PrepareEvents("mixed", events);
  const uint64_t n = t->events().size();
  auto points = PlanSamples(*t, 5);
  std::vector<uint64_t> timeline;
  int peaks = 0, ends = 0;
  for (const auto& p : points) {
    if (p.timeline) timeline.push_back(p.index);
    peaks += p.peak_live;
    ends += p.end;
    if (p.peak_live) EXPECT_EQ(p.index, t->peak_live_index());
    if (p.end) EXPECT_EQ(p.index, n - 1);
  }
  EXPECT_EQ(timeline, (std::vector<uint64_t>{0, (n - 1) / 4, (n - 1) / 2, 3 * (n - 1) / 4, n - 1}))
      << "seed " << seed;
  EXPECT_EQ(peaks, 1);
  EXPECT_EQ(ends, 1);
  for (size_t i = 1; i < points.size(); ++i) EXPECT_LT(points[i - 1].index, points[i].index);

  // Live after each point, recounted from the summary's own definition.
  auto peak = std::find_if(points.begin(), points.end(), [](auto& p) { return p.peak_live; });
  EXPECT_EQ(peak->live, t->summary().peak_live_bytes);
  EXPECT_EQ(points.back().live, t->summary().final_live_bytes);
}

TEST(SamplePlan, NoTimelineStillHasPeakAndEnd) {
  auto t = PrepareEvents("mixed", MixedTrace(2, 200, 3));
  auto points = PlanSamples(*t, 0);
  ASSERT_GE(points.size(), 1u);
  for (const auto& p : points) EXPECT_FALSE(p.timeline);
  EXPECT_TRUE(points.back().end);
  EXPECT_TRUE(PlanSamples(*PrepareEvents("empty", {}), 10).empty());
}

// Parallel GC mode's GC points: after exactly the events at which the bytes allocated so far
// reach the next multiple of the spacing (a brute-force recount), no flag set, the timeline,
// peak and end points unchanged, live bytes right at every point.
TEST(SamplePlan, GcPointsByAllocatedBytes) {
  auto t = PrepareEvents("mixed", MixedTrace(3, 2000, 13));
  const auto plain = PlanSamples(*t, 5);
  const uint64_t spacing = 64 << 10;
  const auto points = PlanSamples(*t, 5, spacing);
  std::vector<uint64_t> expected;  // events that cross a multiple, not already a point
  uint64_t allocated = 0, next = spacing;
  const uint64_t* size = t->begin_sizes().data();
  for (uint64_t i = 0; i < t->events().size(); ++i) {
    if (!BeginsObject(t->events()[i].op)) continue;
    allocated += *size++;
    if (allocated < next) continue;
    while (next <= allocated) next += spacing;
    const bool taken =
        std::any_of(plain.begin(), plain.end(), [&](const SamplePoint& p) { return p.index == i; });
    if (!taken) expected.push_back(i);
  }
  ASSERT_GT(expected.size(), 10u) << "the trace must allocate many spacings for this test";
  std::vector<uint64_t> gc;
  size_t flagged = 0;
  uint64_t live = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    const SamplePoint& p = points[i];
    if (i > 0) EXPECT_LT(points[i - 1].index, p.index);
    if (p.timeline || p.peak_live || p.end) {
      ASSERT_LT(flagged, plain.size());
      const SamplePoint& q = plain[flagged++];
      EXPECT_EQ(p.index, q.index);
      EXPECT_EQ(p.live, q.live);
      EXPECT_EQ(p.timeline, q.timeline);
    } else {
      gc.push_back(p.index);
    }
    live = p.live;
  }
  EXPECT_EQ(flagged, plain.size());
  EXPECT_EQ(gc, expected);
  EXPECT_EQ(live, t->summary().final_live_bytes);
  // The live bytes after a GC point, recounted.
  const uint64_t k = gc[gc.size() / 2];
  uint64_t recount = 0;
  const uint64_t* begin = t->begin_sizes().data();
  const uint64_t* end = t->end_sizes().data();
  for (uint64_t i = 0; i <= k; ++i) {
    if (BeginsObject(t->events()[i].op)) recount += *begin++;
    if (EndsObject(t->events()[i].op)) recount -= *end++;
  }
  auto at = std::find_if(points.begin(), points.end(), [&](auto& p) { return p.index == k; });
  EXPECT_EQ(at->live, recount);
}

TEST(SamplePlan, SplitByThreadKeepsOrderAndPausePositions) {
  auto t = PrepareEvents("mixed", MixedTrace(5, 500, 11));
  const auto points = PlanSamples(*t, 7);
  for (uint32_t threads : {1u, 2u, 3u}) {
    SCOPED_TRACE(fmt::format("{} threads", threads));
    auto work = SplitByThread(*t, threads, points);
    ASSERT_EQ(work.size(), threads);
    size_t total = 0;
    for (const ThreadEvents& w : work) total += w.events.size();
    EXPECT_EQ(total, t->events().size());
    // Replaying the lists by merging them on pause positions gives back the trace: each
    // thread's events in global order, and at point k exactly the events up to index k done.
    // The same for the threads' streams of begin and end sizes and realloc slots.
    std::vector<size_t> pos(threads, 0), size_pos(threads, 0), end_pos(threads, 0),
        realloc_pos(threads, 0);
    size_t begins = 0, ends = 0, reallocs = 0;
    for (size_t i = 0; i < t->events().size(); ++i) {
      const ReplayEvent& e = t->events()[i];
      const uint32_t r = t->tids()[i] % threads;
      ASSERT_LT(pos[r], work[r].events.size());
      const ReplayEvent& mine = work[r].events[pos[r]++];
      EXPECT_EQ(mine.slot, e.slot);
      EXPECT_EQ(mine.op, e.op);
      if (BeginsObject(e.op)) {
        ASSERT_LT(size_pos[r], work[r].begin_sizes.size());
        EXPECT_EQ(work[r].begin_sizes[size_pos[r]++], t->begin_sizes()[begins++]);
      }
      if (EndsObject(e.op)) {
        ASSERT_LT(end_pos[r], work[r].end_sizes.size());
        EXPECT_EQ(work[r].end_sizes[end_pos[r]++], t->end_sizes()[ends++]);
      }
      if (e.op == trace::Op::kRealloc) {
        ASSERT_LT(realloc_pos[r], work[r].realloc_slots.size());
        EXPECT_EQ(work[r].realloc_slots[realloc_pos[r]++], t->realloc_slots()[reallocs++]);
      }
      for (size_t p = 0; p < points.size(); ++p) {
        if (points[p].index != i) continue;
        for (uint32_t q = 0; q < threads; ++q) {
          EXPECT_EQ(work[q].pause_before[p], pos[q]) << "point " << p << ", thread " << q;
        }
      }
    }
    for (const ThreadEvents& w : work) EXPECT_EQ(w.pause_before.size(), points.size());
    EXPECT_EQ(begins, t->begin_sizes().size());
    EXPECT_EQ(ends, t->end_sizes().size());
    EXPECT_EQ(reallocs, t->realloc_slots().size());
    EXPECT_GT(reallocs, 0u) << "the trace must have reallocs for this test to mean anything";
    for (uint32_t r = 0; r < threads; ++r) {
      EXPECT_EQ(size_pos[r], work[r].begin_sizes.size());
      EXPECT_EQ(end_pos[r], work[r].end_sizes.size());
      EXPECT_EQ(realloc_pos[r], work[r].realloc_slots.size());
    }
  }
  // One thread replays the trace's own array: nothing is copied.
  EXPECT_EQ(SplitByThread(*t, 1, points)[0].events.data(), t->events().data());
}

}  // namespace
}  // namespace goalloc::replay
