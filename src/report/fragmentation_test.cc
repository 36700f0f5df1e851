// The four Johnstone & Wilson measures on hand-made samples (see test_results.h).
#include "src/report/fragmentation.h"

#include <gtest/gtest.h>

#include "src/report/test_results.h"

namespace goalloc::report {
namespace {

constexpr double kFootprint = (4 << 20) + (64 << 10);  // 4,259,840 B

TEST(Fragmentation, FourMeasures) {
  Fragmentation f = ComputeFragmentation(testing::SmallTrace(), testing::SmallGoRun());
  EXPECT_EQ(f.samples, 4u);
  EXPECT_EQ(f.samples_zero_live, 1u);  // event 0: nothing live, excluded from the mean
  ASSERT_TRUE(f.frag_mean && f.frag_at_peak_live && f.frag_at_peak_footprint &&
              f.frag_peak_to_peak);
  EXPECT_DOUBLE_EQ(*f.frag_mean,
                   (kFootprint / 24 + kFootprint / 24000 + kFootprint / 12000) / 3 - 1);
  EXPECT_DOUBLE_EQ(*f.frag_at_peak_live, kFootprint / 24000 - 1);
  // The footprint reached its peak at event 1, with 24 B live.
  EXPECT_EQ(f.peak_footprint_event, 1u);
  EXPECT_EQ(f.live_at_peak_footprint, 24u);
  EXPECT_DOUBLE_EQ(*f.frag_at_peak_footprint, kFootprint / 24 - 1);
  EXPECT_EQ(f.max_live_bytes, 24000u);
  EXPECT_DOUBLE_EQ(*f.frag_peak_to_peak, kFootprint / 24000 - 1);
}

TEST(Fragmentation, SamplesRaiseThePeakFootprintTheReplayMissed) {
  replay::ReplayResult run = testing::SmallGoRun();
  run.peak_footprint = 0;  // e.g. a backend that only samples
  run.timeline[2].footprint = 5000000;
  Fragmentation f = ComputeFragmentation(testing::SmallTrace(), run);
  EXPECT_EQ(f.peak_footprint_bytes, 5000000u);
  EXPECT_EQ(f.peak_footprint_event, 999u);
  EXPECT_DOUBLE_EQ(*f.frag_at_peak_footprint, 5000000.0 / 24000 - 1);
}

TEST(Fragmentation, NothingLiveLeavesMeasuresUndefined) {
  replay::TraceSummary trace;
  replay::ReplayResult run;
  run.timeline.resize(3);
  Fragmentation f = ComputeFragmentation(trace, run);
  EXPECT_EQ(f.samples_zero_live, 3u);
  EXPECT_FALSE(f.frag_mean);
  EXPECT_FALSE(f.frag_at_peak_live);
  EXPECT_FALSE(f.frag_at_peak_footprint);
  EXPECT_FALSE(f.frag_peak_to_peak);
}

}  // namespace
}  // namespace goalloc::report
