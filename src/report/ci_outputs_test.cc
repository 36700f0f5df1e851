// The Markdown summary and the JUnit file: verdict and regressions first, failing traces
// first, one test case per trace × column, text from traces escaped.
#include "src/report/ci_outputs.h"

#include <gtest/gtest.h>

#include "src/report/test_results.h"

namespace goalloc::report {
namespace {

const ToolInfo kTool{"goalloc-replay", "test"};

CorpusReport TwoTraces() {
  replay::TraceSummary a = testing::SmallTrace(), b = testing::SmallTrace();
  a.path = "a.json";
  b.path = "b|<&>.json";
  auto compare = [](const replay::TraceSummary& t) {
    return BuildCompare(kTool, t, {testing::SmallGoRun(), testing::SmallGlibcRun()});
  };
  return BuildCorpus(kTool, {{"fnv1a64:1", compare(a)}, {"fnv1a64:2", compare(b)}},
                     {{"c.json", "c.json: event 3: bad\x01", 2}});
}

const Regression kRegression{"b|<&>.json", "go (sim)", "peak_footprint_bytes",
                             "1 B",        "2 B",      "+1.0 %"};

TEST(CiOutputs, MarkdownPutsFailuresFirst) {
  CorpusReport c = TwoTraces();
  std::string md = RenderMarkdownSummary(c, GateCases(c, {kRegression}), {kRegression}, "b.json");
  EXPECT_EQ(md.rfind("## goalloc-replay compare: ✗ 2 of 3 traces failed (1 regressions", 0), 0u)
      << md;
  size_t regressions = md.find("### Regressions against `b.json`");
  size_t traces = md.find("### Traces");
  ASSERT_NE(regressions, std::string::npos);
  ASSERT_LT(regressions, traces);
  // The '|' of a path is escaped; the failing rows come before the passing one.
  size_t c_row = md.find("| ✗ | c.json |"), b_row = md.find("| ✗ | b\\|<&>.json |"),
         a_row = md.find("| ✓ | a.json |");
  ASSERT_NE(c_row, std::string::npos);
  ASSERT_NE(b_row, std::string::npos);
  ASSERT_NE(a_row, std::string::npos);
  EXPECT_LT(b_row, a_row);
  EXPECT_LT(c_row, a_row);
  EXPECT_NE(md.find("| ✗ | c.json |  |  |  | not replayed: c.json: event 3: bad\x01 |"),
            std::string::npos);
}

TEST(CiOutputs, MarkdownOfAPass) {
  CorpusReport c = TwoTraces();
  c.failed_traces.clear();
  c.failed_checks.clear();
  EXPECT_EQ(RenderMarkdownSummary(c, GateCases(c, {}), {}, "b.json")
                .rfind("## goalloc-replay compare: ✓ 2 traces passed, no regression against "
                       "`b.json`\n",
                       0),
            0u);
}

// GC mode: the Markdown shows each collecting column's peak heap and cycles, and its JUnit
// case, named like the column, carries the GC regression.
TEST(CiOutputs, GcModeFiguresAndRegressions) {
  replay::ReplayResult go = testing::SmallGoRun();
  go.gc = replay::GcFigures{.model = true, .gogc = 100, .cycles = 7, .peak_heap_inuse = 3 << 20};
  CorpusReport c = BuildCorpus(
      kTool,
      {{"fnv1a64:1", BuildCompare(kTool, testing::SmallTrace(), {go, testing::SmallGlibcRun()})}},
      {});
  const std::string trace = testing::SmallTrace().path;
  const Regression cycles{trace, "go (sim, GOGC=100)", "gc.cycles", "5", "7 (+40.0 %)", "+5.0 %"};
  std::string md = RenderMarkdownSummary(c, GateCases(c, {cycles}), {cycles}, "b.json");
  EXPECT_NE(md.find("with a collector, its peak heap (`gc.peak_heap_inuse`) and `gc.cycles`"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| go (sim, GOGC=100) | glibc (parallel) |"), std::string::npos) << md;
  EXPECT_NE(md.find(" · heap 3.0 MiB · 7 cycles |"), std::string::npos) << md;
  EXPECT_NE(
      md.find("| " + trace + " | go (sim, GOGC=100) | gc.cycles | 5 | 7 (+40.0 %) | +5.0 % |"),
      std::string::npos)
      << md;
  std::string xml = RenderJUnit(GateCases(c, {cycles}));
  EXPECT_NE(xml.find("tests=\"2\" failures=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"go (sim, GOGC=100)\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"" + trace +
                     ": go (sim, GOGC=100): gc.cycles: baseline 5, now 7 (+40.0 %), threshold "
                     "+5.0 %\""),
            std::string::npos)
      << xml;
  // Without a collector, the Markdown says nothing of one.
  CorpusReport plain = TwoTraces();
  EXPECT_EQ(RenderMarkdownSummary(plain, GateCases(plain, {}), {}, "").find("collector"),
            std::string::npos);
}

TEST(CiOutputs, JUnitHasOneCasePerTraceAndColumn) {
  CorpusReport c = TwoTraces();
  std::string xml = RenderJUnit(GateCases(c, {kRegression}));
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 0), 0u);
  EXPECT_NE(xml.find("tests=\"5\" failures=\"2\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<testsuite name=\"b|&lt;&amp;&gt;.json\" tests=\"2\" failures=\"1\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"c.json\" name=\"replay\""), std::string::npos);
  EXPECT_NE(xml.find("not replayed: c.json: event 3: bad?"), std::string::npos)
      << "control characters are not XML";
  EXPECT_NE(xml.find("b|&lt;&amp;&gt;.json: go (sim): peak_footprint_bytes: baseline 1 B, now "
                     "2 B, threshold +1.0 %"),
            std::string::npos);
}

}  // namespace
}  // namespace goalloc::report
