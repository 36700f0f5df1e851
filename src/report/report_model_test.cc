// The report model: derived figures, sorting, and the checks that fail a replay.
#include "src/report/report_model.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "src/report/test_results.h"

namespace goalloc::report {
namespace {

Report Build(replay::ReplayResult run) {
  return BuildReport({"goalloc-replay", "test"}, testing::SmallTrace(), std::move(run));
}

TEST(ReportModel, ConsistentGoRunPassesEveryCheck) {
  Report r = Build(testing::SmallGoRun());
  EXPECT_TRUE(r.failed_checks.empty()) << r.failed_checks.front();
  ASSERT_TRUE(r.at_end.accounting && r.at_peak_live.accounting);
  EXPECT_TRUE(r.at_end.accounting->adds_up());
  EXPECT_EQ(r.at_peak_live.accounting->free_slots, 552u);
  EXPECT_EQ(r.at_end.accounting->free_slots, 12552u);
  EXPECT_EQ(r.at_end.accounting->idle, (4u << 20) - 3 * 8192);
  // footprint − live, by cause, at peak: 552 + 24 + 4,169,728 + 65,536.
  EXPECT_EQ(r.at_peak_live.accounting->overhead(), 552u + 24 + 4169728 + 65536);
  EXPECT_TRUE(r.contention_zero_by_construction);
}

TEST(ReportModel, AccountingThatDoesNotAddUpIsAFailedCheck) {
  replay::ReplayResult run = testing::SmallGoRun();
  run.at_end.go->free_slots += 8;
  Report r = Build(run);
  ASSERT_EQ(r.failed_checks.size(), 1u);
  EXPECT_NE(r.failed_checks[0].find("does not add up at the end"), std::string::npos);
  EXPECT_NE(r.failed_checks[0].find("difference -8 B"), std::string::npos);
}

TEST(ReportModel, LiveBytesAndVerifyAreChecked) {
  replay::ReplayResult run = testing::SmallGoRun();
  run.verified = true;
  run.verify_error = "span 3: allocCount 4 but 5 bits set";
  run.at_peak_live.live = 23976;
  run.at_peak_live.go->requested = 23976;
  run.at_peak_live.go->free_slots += 24;
  Report r = Build(run);
  ASSERT_EQ(r.failed_checks.size(), 2u);
  EXPECT_EQ(r.failed_checks[0], "verify: span 3: allocCount 4 but 5 bits set");
  EXPECT_NE(r.failed_checks[1].find("differ from the trace's peak"), std::string::npos);
  // A snapshot at the nearest sample point is not expected to see the exact peak.
  run.verify_error.clear();
  run.at_peak_live.exact = false;
  EXPECT_TRUE(Build(run).failed_checks.empty());
}

TEST(ReportModel, FootprintBelowLiveIsAFailedCheckAndNotAFigure) {
  replay::ReplayResult run = testing::SmallGlibcRun();
  EXPECT_TRUE(Build(run).failed_checks.empty());
  // As a baseline that already held reused memory shows it: 20,480 B for 24,000 B live.
  run.at_peak_live.footprint = run.at_end.footprint = run.peak_footprint = 20480;
  for (replay::Sample& s : run.timeline) s.footprint = std::min<uint64_t>(s.footprint, 20480);
  Report r = Build(run);
  ASSERT_EQ(r.failed_checks.size(), 4u);
  EXPECT_EQ(r.failed_checks[0],
            "impossible footprint at peak live: 20480 B is below the 24000 B live");
  for (int i : {1, 2, 3}) {
    EXPECT_EQ(r.failed_checks[i].find("impossible fragmentation: frag_"), 0u);
    EXPECT_NE(r.failed_checks[i].find(" is -14.7 %, below zero"), std::string::npos);
  }
  // Withheld from the report; frag_mean (20,480/24,000 and 20,480/12,000) stays positive.
  EXPECT_FALSE(r.fragmentation.frag_at_peak_live || r.fragmentation.frag_at_peak_footprint ||
               r.fragmentation.frag_peak_to_peak);
  ASSERT_TRUE(r.fragmentation.frag_mean);
  EXPECT_NEAR(*r.fragmentation.frag_mean, 0.28, 0.001);
}

TEST(ReportModel, SortsClassesAndLocks) {
  replay::ReplayResult run = testing::SmallGoRun();
  alloc::SpanClassStats scan = run.at_end.go->span_classes[0];
  scan.noscan = false;
  alloc::SpanClassStats idle_class = scan;
  idle_class.size_class = 1;
  idle_class.mallocs = idle_class.frees = idle_class.slots = 0;
  alloc::SpanClassStats small = scan;
  small.size_class = 2;
  run.at_end.go->span_classes = {run.at_end.go->span_classes[0], scan, idle_class, small};
  run.locks = {{"mheap", 10, 1, 100, 100},
               {"mcentral[3n]", 10, 5, 900, 400},
               {"mcentral[2s]", 1, 0, 0, 0},
               {"mcentral[2n]", 4, 0, 0, 0}};
  Report r = Build(run);
  ASSERT_EQ(r.at_end.size_classes.size(), 3u);  // class 1 had no activity
  EXPECT_EQ(r.at_end.size_classes[0].size_class, 2);
  EXPECT_EQ(r.at_end.size_classes[1].size_class, 3);
  EXPECT_FALSE(r.at_end.size_classes[1].noscan);  // scan before noscan
  EXPECT_TRUE(r.at_end.size_classes[2].noscan);
  EXPECT_EQ(r.locks[0].name, "mcentral[3n]");
  EXPECT_EQ(r.locks[1].name, "mheap");
  EXPECT_EQ(r.locks[2].name, "mcentral[2n]");  // no wait: the busier first
  EXPECT_EQ(r.locks[3].name, "mcentral[2s]");
  EXPECT_EQ(r.lock_totals.acquisitions, 25u);
  EXPECT_EQ(r.lock_totals.contended, 6u);
  EXPECT_EQ(r.lock_totals.wait_ns_total, 1000u);
  EXPECT_EQ(r.lock_totals.wait_ns_max, 400u);
  EXPECT_DOUBLE_EQ(ContentionRate(6, 21), 6.0 / 21);
}

// The allocator-reported footprint: the library's footprint figure (mallinfo2: mapped, as it
// counts nothing resident) less what was allocated at the baseline; below the live bytes it
// is a failed check too.
TEST(ReportModel, AllocatorFootprintIsNetOfTheReplayersObjects) {
  replay::ReplayResult run = testing::SmallGlibcRun();
  Report r = Build(run);
  EXPECT_EQ(r.fragmentation.footprint_source, "rss");
  EXPECT_EQ(r.at_peak_live.allocator_footprint, 135168u - 4096u);
  EXPECT_EQ(r.at_end.allocator_footprint, 135168u - 4096u);
  EXPECT_TRUE(r.failed_checks.empty());

  run.allocator_stats_baseline->allocated = 120000;  // 15,168 B left for 24,000 B live
  r = Build(run);
  ASSERT_EQ(r.failed_checks.size(), 1u);
  EXPECT_EQ(r.failed_checks[0],
            "impossible allocator footprint at peak live: 15168 B is below the 24000 B live");
}

TEST(ReportModel, SystemAllocatorHasNoAccounting) {
  Report r = Build(testing::SmallGlibcRun());
  EXPECT_FALSE(r.is_go);
  EXPECT_FALSE(r.at_end.accounting);
  EXPECT_TRUE(r.failed_checks.empty());
  EXPECT_FALSE(r.contention_zero_by_construction);
}

}  // namespace
}  // namespace goalloc::report
