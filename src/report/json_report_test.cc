// The JSON rendering: the required layout of report.md, with the right types, for a go run,
// a glibc run and a comparison. (tests/report_e2e checks every field of docs/report.md
// against a real replay.)
#include "src/report/json_report.h"

#include <gtest/gtest.h>

#include "src/report/test_results.h"

namespace goalloc::report {
namespace {

const ToolInfo kTool{"goalloc-replay", "1.2.3"};

TEST(JsonReport, GoLayout) {
  Json j = ReportJson(BuildReport(kTool, testing::SmallTrace(), testing::SmallGoRun()));
  EXPECT_EQ(j["schema"], "goalloc-report/1");
  EXPECT_EQ(j["tool"]["version"], "1.2.3");
  EXPECT_EQ(j["trace"]["ops"]["malloc"], 1000);
  EXPECT_EQ(j["trace"]["ops"]["aligned_alloc"], 0);
  EXPECT_TRUE(j["trace"]["inconsistent"]["first_indices"].is_array());
  EXPECT_EQ(j["replay"]["mode"], "sim");
  EXPECT_TRUE(j["replay"]["verify_error"].is_null());
  EXPECT_EQ(j["live"]["peak_bytes"], 24000);
  EXPECT_EQ(j["live"]["peak_event"], 999);
  const Json& end = j["heap"]["at_end"];
  for (const char* key : {"sys", "released", "metadata", "inuse", "idle", "requested", "rounding",
                          "tiny_waste", "free_slots", "tail_waste"}) {
    EXPECT_TRUE(end[key].is_number_unsigned()) << key;
  }
  EXPECT_EQ(end["free_slots"], 12552);
  EXPECT_EQ(end["adds_up"], true);
  EXPECT_DOUBLE_EQ(j["fragmentation"]["frag_at_peak_live"].get<double>(), 4259840.0 / 24000 - 1);
  EXPECT_EQ(j["fragmentation"]["causes_at_peak_live"]["idle"], 4169728);
  const Json& c = j["size_classes"]["at_end"][0];
  EXPECT_EQ(c["class"], 3);
  EXPECT_EQ(c["noscan"], true);
  EXPECT_EQ(c["objects_in_use"], 500);
  EXPECT_EQ(c["slots"], 1023);
  EXPECT_DOUBLE_EQ(c["occupancy"].get<double>(), 500.0 / 1023);
  EXPECT_EQ(c["occupancy_histogram"], Json::array({0, 0, 3, 0, 0}));
  EXPECT_TRUE(j["large"].is_object());
  EXPECT_EQ(j["locks"].size(), 2u);
  EXPECT_EQ(j["lock_totals"]["contention_zero_by_construction"], true);
  EXPECT_EQ(j["timeline"].size(), 4u);
  EXPECT_TRUE(j["timeline"][0]["t"].is_null());
  EXPECT_EQ(j["timeline"][3]["idle"], 4169728);
  EXPECT_EQ(j["checks"]["passed"], true);
}

TEST(JsonReport, GlibcLayout) {
  Json j = ReportJson(BuildReport(kTool, testing::SmallTrace(), testing::SmallGlibcRun()));
  EXPECT_EQ(j["heap"]["at_end"]["rss"], 36864);
  EXPECT_EQ(j["heap"]["at_end"]["mallinfo"]["footprint"], 135168);
  EXPECT_FALSE(j["heap"]["at_end"].contains("sys"));
  EXPECT_FALSE(j.contains("size_classes"));
  EXPECT_FALSE(j.contains("locks"));
  EXPECT_FALSE(j["timeline"][1].contains("inuse"));
  EXPECT_FALSE(j["fragmentation"].contains("causes_at_peak_live"));
}

TEST(JsonReport, CompareLayout) {
  Json j = CompareJson(BuildCompare(kTool, testing::SmallTrace(),
                                    {testing::SmallGoRun(), testing::SmallGlibcRun()}));
  EXPECT_EQ(j["schema"], "goalloc-report/1");
  ASSERT_EQ(j["compare"].size(), 2u);
  EXPECT_EQ(j["compare"][0]["allocator"], "go");
  EXPECT_DOUBLE_EQ(j["compare"][0]["ratio_to_glibc"]["replay_seconds"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(j["compare"][1]["ratio_to_glibc"]["frag_mean"].get<double>(), 1.0);
  EXPECT_EQ(j["runs"][1]["replay"]["allocator"], "glibc");
  EXPECT_EQ(j["checks"]["passed"], true);
}

}  // namespace
}  // namespace goalloc::report
