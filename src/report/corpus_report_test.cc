// The corpus report: the summary table from the compare reports, its JSON read back exactly
// (a baseline is such a file), clear errors for a malformed one, and the content hash.
#include "src/report/corpus_report.h"

#include <gtest/gtest.h>

#include "src/report/test_results.h"

namespace goalloc::report {
namespace {

const ToolInfo kTool{"goalloc-replay", "test"};

CorpusReport SmallCorpus() {
  CompareReport c =
      BuildCompare(kTool, testing::SmallTrace(), {testing::SmallGoRun(), testing::SmallGlibcRun()});
  return BuildCorpus(kTool, {{"fnv1a64:0123456789abcdef", std::move(c)}}, {});
}

TEST(CorpusReport, SummaryHasOneRowPerTraceAndTheCompareFigures) {
  std::vector<TraceSummaryRow> rows = SummaryOf(SmallCorpus());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].content_hash, "fnv1a64:0123456789abcdef");
  ASSERT_EQ(rows[0].columns.size(), 2u);
  const ColumnSummary& go = rows[0].columns[0];
  EXPECT_EQ(go.Name(), "go (sim)");
  EXPECT_TRUE(go.deterministic);
  EXPECT_FALSE(rows[0].columns[1].deterministic);  // glibc (parallel)
  // test_results.h: go's footprint is 4 MiB + 64 KiB, glibc's 36,864 B.
  EXPECT_EQ(go.peak_footprint_bytes, (4u << 20) + (64u << 10));
  EXPECT_DOUBLE_EQ(*go.peak_footprint_ratio, double((4 << 20) + (64 << 10)) / 36864);
  EXPECT_DOUBLE_EQ(*go.replay_seconds_ratio, 0.5);
  // Class 3, noscan: 3 spans of 341 slots at the peak.
  EXPECT_EQ(go.slots_at_peak.at("3n"), 1023u);
  EXPECT_TRUE(rows[0].columns[1].slots_at_peak.empty());
}

// The small go run in GC mode: GOGC=100 and a memory limit, 3 cycles, a 24 KiB peak heap.
CorpusReport GcCorpus() {
  replay::ReplayResult go = testing::SmallGoRun();
  go.gc = replay::GcFigures{.model = true,
                            .gogc = 100,
                            .memory_limit_bytes = 64 << 20,
                            .cycles = 3,
                            .peak_heap_inuse = 3 * 8192};
  CompareReport c = BuildCompare(kTool, testing::SmallTrace(), {go, testing::SmallGlibcRun()});
  return BuildCorpus(kTool, {{"fnv1a64:0123456789abcdef", std::move(c)}}, {});
}

TEST(CorpusReport, JsonReadsBackExactly) {
  CorpusReport corpus = SmallCorpus();
  Json json = Json::parse(CorpusJson(corpus).dump());
  EXPECT_EQ(json["schema"], "goalloc-compare/1");
  EXPECT_TRUE(json["summary"][0]["columns"][0]["gc"].is_null());
  EXPECT_EQ(ParseSummary(json, "test"), SummaryOf(corpus));
  // A baseline written before the summary had `gc`: its columns had no collector.
  json["summary"][0]["columns"][0].erase("gc");
  EXPECT_EQ(ParseSummary(json, "test"), SummaryOf(corpus));
}

TEST(CorpusReport, GcModeColumnsCarryTheCollector) {
  CorpusReport corpus = GcCorpus();
  std::vector<TraceSummaryRow> rows = SummaryOf(corpus);
  const ColumnSummary& go = rows[0].columns[0];
  EXPECT_EQ(go.Name(), "go (sim, GOGC=100, limit 64.0 MiB)");
  EXPECT_TRUE(go.deterministic);
  ASSERT_TRUE(go.gc);
  EXPECT_EQ(go.gc->cycles, 3u);
  EXPECT_EQ(go.gc->peak_heap_inuse, 24576u);
  EXPECT_FALSE(rows[0].columns[1].gc);
  Json json = Json::parse(CorpusJson(corpus).dump());
  EXPECT_EQ(json["summary"][0]["columns"][0]["gc"],
            Json::parse(R"({"gogc": 100, "memory_limit_bytes": 67108864, "peak_heap_inuse": 24576,
                            "cycles": 3})"));
  EXPECT_EQ(ParseSummary(json, "test"), rows);
  // GOGC off: null.
  json["summary"][0]["columns"][0]["gc"]["gogc"] = nullptr;
  EXPECT_EQ(ParseSummary(json, "test")[0].columns[0].Name(), "go (sim, GOGC=off, limit 64.0 MiB)");
}

std::string ParseError(const Json& json) {
  try {
    ParseSummary(json, "--baseline b.json");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

TEST(CorpusReport, MalformedBaselinesNameWhatIsWrong) {
  const Json good = CorpusJson(SmallCorpus());
  EXPECT_EQ(ParseError(Json::array()), "--baseline b.json: the file is not a JSON object");
  Json j = good;
  j["schema"] = "goalloc-report/1";
  EXPECT_NE(ParseError(j).find("schema is \"goalloc-report/1\", not \"goalloc-compare/1\""),
            std::string::npos);
  j = good;
  j["summary"][0]["columns"][0].erase("peak_footprint_bytes");
  EXPECT_EQ(ParseError(j),
            "--baseline b.json: summary[0].columns[0].peak_footprint_bytes is missing");
  j = good;
  j["summary"][0]["columns"][1]["slots_at_peak"]["3n"] = -1;
  EXPECT_EQ(ParseError(j),
            "--baseline b.json: summary[0].columns[1].slots_at_peak.3n should be an integer ≥ 0, "
            "is -1");
  j = good;
  j["summary"][0]["events"] = "many";
  EXPECT_EQ(ParseError(j),
            "--baseline b.json: summary[0].events should be an integer ≥ 0, is \"many\"");
  j = CorpusJson(GcCorpus());
  j["summary"][0]["columns"][0]["gc"].erase("cycles");
  EXPECT_EQ(ParseError(j), "--baseline b.json: summary[0].columns[0].gc.cycles is missing");
  j["summary"][0]["columns"][0]["gc"] = 100;
  EXPECT_EQ(ParseError(j),
            "--baseline b.json: summary[0].columns[0].gc should be an object, is 100");
  j = good;
  j["summary"].push_back(j["summary"][0]);
  EXPECT_NE(ParseError(j).find("summary[1].trace"), std::string::npos);
}

TEST(CorpusReport, ContentHashIsFnv1a64InPieces) {
  ContentHash empty;
  EXPECT_EQ(empty.Text(), "fnv1a64:cbf29ce484222325");  // FNV-1a's published test vectors
  ContentHash a;
  a.Update("a");
  EXPECT_EQ(a.Text(), "fnv1a64:af63dc4c8601ec8c");
  ContentHash whole, pieces;
  whole.Update("foobar");
  pieces.Update("foo");
  pieces.Update("bar");
  EXPECT_EQ(whole.Text(), pieces.Text());
  EXPECT_EQ(whole.Text(), "fnv1a64:85944171f73967e8");
}

TEST(CorpusReport, FailedTracesAreFailedChecks) {
  CorpusReport c = BuildCorpus(kTool, {}, {{"t.json", "bad event", 2}});
  ASSERT_EQ(c.failed_checks.size(), 1u);
  EXPECT_EQ(c.failed_checks[0], "t.json: not replayed: bad event");
}

}  // namespace
}  // namespace goalloc::report
