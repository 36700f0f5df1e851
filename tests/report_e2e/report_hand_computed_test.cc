// Reports whose every figure is worked out by hand from Go's allocator design
// (../../shared/reference: size classes, 8 KiB pages, heap growth in whole 4 MiB chunks that
// count as released until a span is carved from them) and compared exactly. The only figure
// the design leaves open is the allocator's own metadata M, read from the report and then
// used in the hand-computed footprints (footprint = pages in spans + M).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/report_e2e/e2e_util.h"

namespace goalloc::report_e2e {
namespace {

using nlohmann::json;

constexpr uint64_t kPage = 8192;
constexpr uint64_t kChunk = 4 << 20;

// 1000 mallocs of 24 B noscan (ids 0..999, events 0..999), then the even ids freed
// (events 1000..1499). Class 3 holds 24 B objects, 341 per one-page span with 8 B of tail:
// objects 0..340 fill span 0, 341..681 span 1, 682..999 go to span 2 (318 of 341).
class TwentyFourBytes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    json events = json::array();
    for (int i = 0; i < 1000; ++i) events.push_back({{"op", "malloc"}, {"id", i}, {"size", 24}});
    for (int i = 0; i < 1000; i += 2) events.push_back({{"op", "free"}, {"id", i}});
    report_ = new json(
        ReportOf({"replay", WriteTrace("h24.json", events), "--mode", "sim", "--timeline", "50"}));
  }
  static void TearDownTestSuite() { delete report_; }
  static const json& R() { return *report_; }
  static uint64_t Metadata() { return R()["heap"]["at_peak_live"]["metadata"]; }
  // Objects live after event e, and class-3 spans in use then.
  static uint64_t LiveObjects(uint64_t e) { return e < 1000 ? e + 1 : 1000 - (e - 999); }
  static uint64_t Spans(uint64_t e) { return e < 1000 ? (e + 1 + 340) / 341 : 3; }

 private:
  static json* report_;
};
json* TwentyFourBytes::report_ = nullptr;

TEST_F(TwentyFourBytes, Live) {
  const json& live = R()["live"];
  EXPECT_EQ(live["peak_bytes"], 24000);
  EXPECT_EQ(live["peak_objects"], 1000);
  EXPECT_EQ(live["peak_event"], 999);
  EXPECT_EQ(live["final_bytes"], 12000);
  EXPECT_EQ(live["final_objects"], 500);
  EXPECT_EQ(live["peak_snapshot_event"], 999);
  EXPECT_EQ(live["peak_snapshot_exact"], true);
}

TEST_F(TwentyFourBytes, ByteAccountingAtPeakAndEnd) {
  for (const char* at : {"at_peak_live", "at_end"}) {
    SCOPED_TRACE(at);
    const json& h = R()["heap"][at];
    const bool peak = std::string(at) == "at_peak_live";
    const uint64_t objects = peak ? 1000 : 500;
    EXPECT_EQ(h["sys"], kChunk);                   // one 4 MiB chunk mapped
    EXPECT_EQ(h["released"], kChunk - 3 * kPage);  // all of it but the three spans
    EXPECT_EQ(h["inuse"], 3 * kPage);
    EXPECT_EQ(h["spans_in_use"], 3);
    EXPECT_EQ(h["idle"], 0);
    EXPECT_EQ(h["requested"], 24 * objects);
    EXPECT_EQ(h["rounding"], 0);  // 24 B is a class size
    EXPECT_EQ(h["tiny_waste"], 0);
    EXPECT_EQ(h["free_slots"], (1023 - objects) * 24);  // 552 at peak, 12,552 at end
    EXPECT_EQ(h["tail_waste"], 3 * 8);
    EXPECT_EQ(h["adds_up"], true);
    EXPECT_EQ(h["metadata"], Metadata());  // no metadata grows after the third span
    EXPECT_EQ(h["footprint"], 3 * kPage + Metadata());
  }
}

TEST_F(TwentyFourBytes, SizeClassAtPeakAndEnd) {
  for (const char* at : {"at_peak_live", "at_end"}) {
    SCOPED_TRACE(at);
    const bool peak = std::string(at) == "at_peak_live";
    ASSERT_EQ(R()["size_classes"][at].size(), 1u);
    const json& c = R()["size_classes"][at][0];
    EXPECT_EQ(c["class"], 3);
    EXPECT_EQ(c["noscan"], true);
    EXPECT_EQ(c["object_size"], 24);
    EXPECT_EQ(c["span_pages"], 1);
    EXPECT_EQ(c["span_slots"], 341);
    EXPECT_EQ(c["slots"], 1023);
    EXPECT_EQ(c["mallocs"], 1000);
    EXPECT_EQ(c["tail_waste"], 24);
    EXPECT_EQ(
        c["spans_mcache"].get<int>() + c["spans_partial"].get<int>() + c["spans_full"].get<int>(),
        3);
    if (peak) {
      EXPECT_EQ(c["objects_in_use"], 1000);
      EXPECT_EQ(c["frees"], 0);
      EXPECT_DOUBLE_EQ(c["occupancy"].get<double>(), 1000.0 / 1023);
      // Spans 0 and 1 full (uncached to the mcentral's full list), span 2 in the mcache.
      EXPECT_EQ(c["spans_mcache"], 1);
      EXPECT_EQ(c["spans_full"], 2);
      // 341/341, 341/341 → 100 %; 318/341 = 93.3 % → [75, 100).
      EXPECT_EQ(c["occupancy_histogram"], json::array({0, 0, 0, 1, 2}));
    } else {
      EXPECT_EQ(c["objects_in_use"], 500);
      EXPECT_EQ(c["frees"], 500);
      EXPECT_DOUBLE_EQ(c["occupancy"].get<double>(), 500.0 / 1023);
      EXPECT_EQ(c["free_slots"], 523 * 24);
      // Even ids freed: span 0 keeps 170 (49.9 %), span 1 keeps 171 (50.1 %), span 2 keeps
      // 159 (46.6 %).
      EXPECT_EQ(c["occupancy_histogram"], json::array({0, 2, 1, 0, 0}));
    }
  }
}

TEST_F(TwentyFourBytes, TimelineSamples) {
  const json& timeline = R()["timeline"];
  ASSERT_GE(timeline.size(), 10u);
  EXPECT_EQ(timeline.front()["event"], 0);
  EXPECT_EQ(timeline.back()["event"], 1499);
  for (const json& s : timeline) {
    const uint64_t e = s["event"];
    SCOPED_TRACE(e);
    EXPECT_EQ(s["live"], 24 * LiveObjects(e));
    EXPECT_EQ(s["inuse"], Spans(e) * kPage);
    EXPECT_EQ(s["spans_in_use"], Spans(e));
    EXPECT_EQ(s["footprint"], Spans(e) * kPage + s["metadata"].get<uint64_t>());
  }
}

TEST_F(TwentyFourBytes, FourFragmentationMeasures) {
  const json& f = R()["fragmentation"];
  const double footprint = double(3 * kPage + Metadata());
  EXPECT_DOUBLE_EQ(f["frag_at_peak_live"].get<double>(), footprint / 24000 - 1);
  // The footprint peaks when the third span is carved: event 682, 683 objects live.
  EXPECT_EQ(f["peak_footprint_event"], 682);
  EXPECT_EQ(f["live_at_peak_footprint"], 683 * 24);
  EXPECT_DOUBLE_EQ(f["frag_at_peak_footprint"].get<double>(), footprint / (683 * 24) - 1);
  EXPECT_EQ(f["max_live_bytes"], 24000);
  EXPECT_DOUBLE_EQ(f["frag_peak_to_peak"].get<double>(), footprint / 24000 - 1);
  // frag_mean from the hand-computed footprint and live of each sample (none has live 0).
  double sum = 0;
  for (const json& s : R()["timeline"]) {
    const uint64_t e = s["event"];
    sum += double(Spans(e) * kPage + s["metadata"].get<uint64_t>()) / double(24 * LiveObjects(e));
  }
  EXPECT_EQ(f["samples_zero_live"], 0);
  EXPECT_NEAR(f["frag_mean"].get<double>(), sum / double(R()["timeline"].size()) - 1, 1e-9);
  // Causes at peak live: 552 free-slot bytes, 24 tail bytes, the metadata.
  EXPECT_EQ(f["causes_at_peak_live"], json({{"garbage", 0},  // explicit-free mode
                                            {"rounding", 0},
                                            {"tiny_waste", 0},
                                            {"free_slots", 552},
                                            {"tail_waste", 24},
                                            {"idle", 0},
                                            {"metadata", Metadata()}}));
}

TEST_F(TwentyFourBytes, NoContentionInSimMode) {
  EXPECT_EQ(R()["lock_totals"]["contended"], 0);
  EXPECT_EQ(R()["lock_totals"]["contention_zero_by_construction"], true);
  EXPECT_EQ(R()["checks"]["passed"], true);
}

// Rounding, tiny waste and large objects: 10 × 100 B (class 9: 112 B, 73 per span, 16 B
// tail), 3 × 5 B tiny (one 16 B block of class 2, 15 B used), 1 × 40,000 B large (5 pages).
TEST(MixedSizes, EveryCauseByHand) {
  json events = json::array();
  for (int i = 0; i < 10; ++i) events.push_back({{"op", "malloc"}, {"id", i}, {"size", 100}});
  for (int i = 10; i < 13; ++i) events.push_back({{"op", "malloc"}, {"id", i}, {"size", 5}});
  events.push_back({{"op", "malloc"}, {"id", 13}, {"size", 40000}});
  json r = ReportOf({"replay", WriteTrace("mixed.json", events), "--mode", "sim"});
  const json& h = r["heap"]["at_end"];
  EXPECT_EQ(h["requested"], 1000 + 15 + 40000);
  EXPECT_EQ(h["rounding"], 10 * 12 + (5 * kPage - 40000));  // 120 + 960
  EXPECT_EQ(h["tiny_waste"], 1);
  EXPECT_EQ(h["free_slots"], 63 * 112 + 511 * 16);  // 7,056 + 8,176
  EXPECT_EQ(h["tail_waste"], 16);
  EXPECT_EQ(h["inuse"], 7 * kPage);  // 1 + 1 + 5 pages
  EXPECT_EQ(h["idle"], 0);
  EXPECT_EQ(h["sys"].get<uint64_t>() - h["released"].get<uint64_t>(), 7 * kPage);
  EXPECT_EQ(h["adds_up"], true);
  EXPECT_EQ(r["large"], json({{"allocations", 1},
                              {"frees", 0},
                              {"live_objects", 1},
                              {"live_bytes", 40000},
                              {"pages", 5},
                              {"rounding", 960},
                              {"garbage_objects", 0},  // explicit-free mode
                              {"garbage", 0}}));
  EXPECT_EQ(r["tiny"]["allocs"], 3);
  EXPECT_EQ(r["tiny"]["live_objects"], 3);
  EXPECT_EQ(r["tiny"]["live_blocks"], 1);
  const json& classes = r["size_classes"]["at_end"];
  ASSERT_EQ(classes.size(), 2u);
  EXPECT_EQ(classes[0]["class"], 2);
  EXPECT_EQ(classes[0]["objects_in_use"], 1);  // the tiny block counts once
  EXPECT_EQ(classes[0]["tiny_waste"], 1);
  EXPECT_EQ(classes[0]["free_slots"], 511 * 16);
  EXPECT_EQ(classes[1]["class"], 9);
  EXPECT_EQ(classes[1]["object_size"], 112);
  EXPECT_EQ(classes[1]["rounding"], 120);
  EXPECT_EQ(classes[1]["occupancy_histogram"], json::array({1, 0, 0, 0, 0}));  // 10/73
  const double footprint = double(7 * kPage + h["metadata"].get<uint64_t>());
  EXPECT_DOUBLE_EQ(r["fragmentation"]["frag_peak_to_peak"].get<double>(), footprint / 41015 - 1);
}

}  // namespace
}  // namespace goalloc::report_e2e
