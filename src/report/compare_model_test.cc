// The comparison: rows, ratios to glibc, and the cross-run live-bytes check.
#include "src/report/compare_model.h"

#include <gtest/gtest.h>

#include "src/report/test_results.h"

namespace goalloc::report {
namespace {

const ToolInfo kTool{"goalloc-replay", "test"};

std::optional<double> RatioOf(const CompareRow& row, const std::string& key) {
  for (size_t i = 0; i < kCompareFigures.size(); ++i) {
    if (kCompareFigures[i].key == key) return row.ratio_to_glibc[i];
  }
  ADD_FAILURE() << key;
  return std::nullopt;
}

TEST(CompareModel, RatiosToGlibc) {
  replay::ReplayResult go = testing::SmallGoRun();
  go.peak_rss_bytes = 81920;
  CompareReport c = BuildCompare(kTool, testing::SmallTrace(), {go, testing::SmallGlibcRun()});
  EXPECT_TRUE(c.failed_checks.empty());
  ASSERT_EQ(c.rows.size(), 2u);
  ASSERT_EQ(c.glibc_row, 1u);
  const CompareRow& row = c.rows[0];
  EXPECT_DOUBLE_EQ(*RatioOf(row, "replay_seconds"), 0.001 / 0.002);
  EXPECT_DOUBLE_EQ(*RatioOf(row, "events_per_second"), 2.0);
  EXPECT_DOUBLE_EQ(*RatioOf(row, "peak_rss_bytes"), 2.0);
  const double go_fp = (4 << 20) + (64 << 10), glibc_fp = 36864;
  EXPECT_DOUBLE_EQ(*RatioOf(row, "peak_footprint_bytes"), go_fp / glibc_fp);
  // (1 + frag) / (1 + glibc's frag): at the same live bytes, the ratio of footprints.
  EXPECT_DOUBLE_EQ(*RatioOf(row, "frag_at_peak_live"), go_fp / glibc_fp);
  EXPECT_DOUBLE_EQ(*RatioOf(row, "frag_peak_to_peak"), go_fp / glibc_fp);
  // glibc's peak footprint was at event 999 (24,000 B live), go's at event 1 (24 B live).
  EXPECT_DOUBLE_EQ(*RatioOf(row, "frag_at_peak_footprint"), (go_fp / 24) / (glibc_fp / 24000));
  EXPECT_DOUBLE_EQ(*RatioOf(c.rows[1], "frag_mean"), 1.0);
  // go reports no allocator footprint; glibc's is mallinfo2's arena less the 4,096 B the
  // replayer held at the baseline.
  EXPECT_FALSE(row.allocator_footprint_at_peak_live);
  EXPECT_FALSE(RatioOf(row, "allocator_footprint_at_peak_live"));
  EXPECT_EQ(c.rows[1].allocator_footprint_at_peak_live, 135168u - 4096u);
}

TEST(CompareModel, NoGlibcNoRatios) {
  CompareReport c = BuildCompare(kTool, testing::SmallTrace(), {testing::SmallGoRun()});
  EXPECT_FALSE(c.glibc_row);
  for (const auto& ratio : c.rows[0].ratio_to_glibc) EXPECT_FALSE(ratio);
}

TEST(CompareModel, BackendsDisagreeingOnLiveBytesFail) {
  replay::ReplayResult glibc = testing::SmallGlibcRun();
  glibc.at_end.live = 11976;
  CompareReport c = BuildCompare(kTool, testing::SmallTrace(), {testing::SmallGoRun(), glibc});
  ASSERT_EQ(c.failed_checks.size(), 2u);
  EXPECT_EQ(c.failed_checks[0].rfind("glibc (parallel): live bytes at the end of the replay", 0),
            0u);
  EXPECT_EQ(c.failed_checks[1],
            "live bytes at the end disagree: go (sim) 12000 B, glibc (parallel) 11976 B");
}

}  // namespace
}  // namespace goalloc::report
