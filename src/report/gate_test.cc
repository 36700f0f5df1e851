// The CI gate: thresholds, trace sets, and which changes are regressions (with the exact
// line the user sees).
#include "src/report/gate.h"

#include <gtest/gtest.h>

namespace goalloc::report {
namespace {

TraceSummaryRow Row() {
  TraceSummaryRow row{"traces/a.json", "fnv1a64:1", 1000, 1 << 20, {}};
  ColumnSummary go;
  go.allocator = "go";
  go.mode = "sim";
  go.threads = 1;
  go.deterministic = true;
  go.peak_footprint_bytes = 2'000'000;
  go.frag_peak_to_peak = 0.10;
  go.frag_at_peak_live = 0.08;
  go.replay_seconds = 0.1;
  go.replay_seconds_ratio = 0.5;
  go.slots_at_peak = {{"5n", 1000}};
  ColumnSummary glibc;
  glibc.allocator = "glibc";
  glibc.mode = "sim";
  glibc.threads = 1;
  glibc.peak_footprint_bytes = 3'000'000;
  glibc.replay_seconds = 0.2;
  row.columns = {go, glibc};
  return row;
}

std::vector<std::string> Lines(const TraceSummaryRow& now, bool timing = false,
                               const Thresholds& t = {}) {
  std::vector<std::string> out;
  for (const Regression& r : FindRegressions({Row()}, {now}, t, timing, "b.json")) {
    out.push_back(r.Line());
  }
  return out;
}

// Row() with go in GC mode: GOGC=100, 20 cycles, a 1.5 MB peak heap.
TraceSummaryRow GcRow() {
  TraceSummaryRow row = Row();
  row.columns[0].gc = GcSummary{100, std::nullopt, 1'500'000, 20};
  return row;
}

std::vector<std::string> GcLines(const TraceSummaryRow& now, const Thresholds& t = {}) {
  std::vector<std::string> out;
  for (const Regression& r : FindRegressions({GcRow()}, {now}, t, false, "b.json")) {
    out.push_back(r.Line());
  }
  return out;
}

std::string Mismatch(const TraceSummaryRow& base, const TraceSummaryRow& now) {
  try {
    FindRegressions({base}, {now}, {}, false, "b.json");
  } catch (const BaselineMismatch& e) {
    return e.what();
  }
  return "no mismatch";
}

TEST(Thresholds, DefaultsAndSpec) {
  Thresholds d = ParseThresholds("");
  EXPECT_DOUBLE_EQ(d.footprint, 0.01);
  EXPECT_DOUBLE_EQ(d.frag, 0.005);
  EXPECT_DOUBLE_EQ(d.slots, 0.05);
  EXPECT_DOUBLE_EQ(d.gc_peak, 0.01);
  EXPECT_DOUBLE_EQ(d.cycles, 0.05);
  EXPECT_DOUBLE_EQ(d.timing, 0.25);
  Thresholds t = ParseThresholds("footprint=2.5%,frag=1pp,cycles=10%,gc_peak=0%");
  EXPECT_DOUBLE_EQ(t.footprint, 0.025);
  EXPECT_DOUBLE_EQ(t.frag, 0.01);
  EXPECT_DOUBLE_EQ(t.slots, 0.05);
  EXPECT_DOUBLE_EQ(t.cycles, 0.10);
  EXPECT_DOUBLE_EQ(t.gc_peak, 0);
  for (const char* bad : {"footprint=1", "frag=1%", "size=1%", "footprint", "timing=-1%",
                          "footprint=1%,", "slots=x%", "cycles=1", "gc_peak=1pp"}) {
    EXPECT_THROW(ParseThresholds(bad), std::invalid_argument) << bad;
  }
  try {
    ParseThresholds("heap=1%");
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "'heap=1%': expected FIGURE=LIMIT, FIGURE one of footprint, frag, slots, gc_peak, "
              "cycles, timing");
  }
}

TEST(Gate, UnchangedPasses) { EXPECT_TRUE(Lines(Row(), true).empty()); }

TEST(Gate, FootprintPastItsThresholdRegresses) {
  TraceSummaryRow now = Row();
  now.columns[0].peak_footprint_bytes = 2'020'000;  // +1.0 %: at the threshold
  EXPECT_TRUE(Lines(now).empty());
  now.columns[0].peak_footprint_bytes = 2'030'000;
  EXPECT_EQ(Lines(now), std::vector<std::string>{
                            "traces/a.json: go (sim): peak_footprint_bytes: baseline 2,000,000 B, "
                            "now 2,030,000 B (+1.5 %), threshold +1.0 %"});
  now.columns[0].peak_footprint_bytes = 1'000'000;  // an improvement never fails
  EXPECT_TRUE(Lines(now).empty());
}

TEST(Gate, FragInPercentagePoints) {
  TraceSummaryRow now = Row();
  now.columns[0].frag_at_peak_live = 0.084;
  EXPECT_TRUE(Lines(now).empty());
  now.columns[0].frag_at_peak_live = 0.086;
  EXPECT_EQ(Lines(now), std::vector<std::string>{
                            "traces/a.json: go (sim): frag_at_peak_live: baseline 8.0 %, now "
                            "8.6 % (+0.60 pp), threshold +0.50 pp"});
}

TEST(Gate, SlotsPerSpanClass) {
  TraceSummaryRow now = Row();
  now.columns[0].slots_at_peak = {{"5n", 1050}, {"7s", 12}};
  EXPECT_EQ(Lines(now),
            std::vector<std::string>{"traces/a.json: go (sim): slots_at_peak[7s]: baseline 0, "
                                     "now 12, threshold +5.0 %"});
}

TEST(Gate, MemoryOfNonDeterministicColumnsIsNotCompared) {
  TraceSummaryRow now = Row();
  now.columns[1].peak_footprint_bytes = 9'000'000;
  EXPECT_TRUE(Lines(now).empty());
}

TEST(Gate, TimingOnlyWhenAskedAndLongEnough) {
  TraceSummaryRow now = Row();
  now.columns[0].replay_seconds_ratio = 0.7;  // +40 %
  EXPECT_TRUE(Lines(now).empty());
  EXPECT_EQ(Lines(now, true),
            std::vector<std::string>{"traces/a.json: go (sim): replay_seconds / glibc's: baseline "
                                     "×0.50, now ×0.70 (+40.0 %), threshold +25.0 %"});
  now.columns[1].replay_seconds = 0.01;  // glibc's replay too short to time
  EXPECT_TRUE(Lines(now, true).empty());
}

TEST(Gate, OtherColumnsAreAMismatch) {
  TraceSummaryRow now = Row();
  now.columns[1].mode = "parallel";
  EXPECT_THROW(Lines(now), BaselineMismatch);
  now = Row();
  now.columns[0].threads = 4;  // another number of Ps
  try {
    Lines(now);
    ADD_FAILURE() << "no mismatch";
  } catch (const BaselineMismatch& e) {
    EXPECT_EQ(std::string(e.what()),
              "traces/a.json: this run's columns (go (sim) on 4 threads, glibc (sim) on 1 thread) "
              "are not those of baseline b.json (go (sim) on 1 thread, glibc (sim) on 1 thread): "
              "compare with the same --allocators, --mode and --threads, or write a new baseline");
  }
}

TEST(Gate, GcModeComparesPeakHeapAndCycles) {
  EXPECT_TRUE(GcLines(GcRow()).empty());
  TraceSummaryRow now = GcRow();
  now.columns[0].gc->peak_heap_inuse = 1'515'000;  // +1.0 %: at the threshold
  now.columns[0].gc->cycles = 21;                  // +5.0 %: at the threshold
  EXPECT_TRUE(GcLines(now).empty());
  now.columns[0].gc->peak_heap_inuse = 1'530'000;
  now.columns[0].gc->cycles = 22;
  EXPECT_EQ(GcLines(now),
            (std::vector<std::string>{
                "traces/a.json: go (sim, GOGC=100): gc.peak_heap_inuse: baseline 1,500,000 B, "
                "now 1,530,000 B (+2.0 %), threshold +1.0 %",
                "traces/a.json: go (sim, GOGC=100): gc.cycles: baseline 20, now 22 (+10.0 %), "
                "threshold +5.0 %"}));
  EXPECT_TRUE(GcLines(now, ParseThresholds("gc_peak=2%,cycles=10%")).empty());
  // Fewer cycles or a smaller heap never fail.
  now.columns[0].gc->peak_heap_inuse = 1'000'000;
  now.columns[0].gc->cycles = 2;
  EXPECT_TRUE(GcLines(now).empty());
}

TEST(Gate, CollectorsOfNonDeterministicColumnsAreNotCompared) {
  TraceSummaryRow base = GcRow(), now = GcRow();
  base.columns[0].deterministic = now.columns[0].deterministic = false;  // go-runtime-like
  now.columns[0].gc->cycles = 40;
  EXPECT_TRUE(FindRegressions({base}, {now}, {}, false, "b.json").empty());
}

TEST(Gate, AnotherCollectorIsAMismatch) {
  // A baseline without GC mode against a GC run, and the other way round.
  EXPECT_EQ(Mismatch(Row(), GcRow()),
            "traces/a.json: go (sim): this run's collector (GOGC=100) is not that of baseline "
            "b.json (none: frees as the trace says): compare with the same --gogc and "
            "--memory-limit, or write a new baseline");
  EXPECT_EQ(Mismatch(GcRow(), Row()),
            "traces/a.json: go (sim): this run's collector (none: frees as the trace says) is "
            "not that of baseline b.json (GOGC=100): compare with the same --gogc and "
            "--memory-limit, or write a new baseline");
  // Another GOGC, another memory limit (exact: the column's name rounds it).
  TraceSummaryRow now = GcRow();
  now.columns[0].gc->gogc = std::nullopt;
  EXPECT_NE(Mismatch(GcRow(), now)
                .find("this run's collector (GOGC=off) is not that of "
                      "baseline b.json (GOGC=100)"),
            std::string::npos);
  TraceSummaryRow base = GcRow();
  base.columns[0].gc->memory_limit_bytes = 64 << 20;
  now = GcRow();
  now.columns[0].gc->memory_limit_bytes = (64 << 20) + 1;
  EXPECT_NE(Mismatch(base, now).find("(GOGC=100, memory limit 67,108,865 B) is not that of "
                                     "baseline b.json (GOGC=100, memory limit 67,108,864 B)"),
            std::string::npos);
  // The same settings with other figures are compared, not refused.
  now = GcRow();
  now.columns[0].gc->cycles = 1;
  EXPECT_EQ(Mismatch(GcRow(), now), "no mismatch");
}

TEST(Gate, TraceSets) {
  std::vector<TraceSummaryRow> baseline = {Row(), Row()};
  baseline[1].trace = "traces/b.json";
  EXPECT_NO_THROW(CheckTraceSet(
      baseline, {{"traces/a.json", "fnv1a64:1"}, {"traces/b.json", "fnv1a64:1"}}, false, "b.json"));
  // A trace not in the baseline, one that changed, one of the baseline's not replayed.
  EXPECT_THROW(CheckTraceSet(baseline, {{"traces/c.json", "fnv1a64:1"}}, true, "b.json"),
               BaselineMismatch);
  EXPECT_THROW(CheckTraceSet(baseline, {{"traces/a.json", "fnv1a64:2"}}, true, "b.json"),
               BaselineMismatch);
  EXPECT_THROW(CheckTraceSet(baseline, {{"traces/a.json", "fnv1a64:1"}}, false, "b.json"),
               BaselineMismatch);
  EXPECT_NO_THROW(CheckTraceSet(baseline, {{"traces/a.json", "fnv1a64:1"}}, true, "b.json"));
}

}  // namespace
}  // namespace goalloc::report
