// The HTML report of a comparison: one footprint line per run, the four measures side by
// side, the table with ratios to glibc; well formed and self-contained.
#include "src/report/html_compare.h"

#include <gtest/gtest.h>

#include "src/report/html_test_runs.h"
#include "src/report/html_test_support.h"
#include "src/report/units.h"

namespace goalloc::report {
namespace {

TEST(HtmlCompare, FootprintOfEveryRunAndTheFourMeasures) {
  auto trace = TestTrace("cmp <1>.json");
  CompareReport c =
      BuildCompare({"goalloc-replay", "9.9.9"}, trace,
                   {TestGoRun(trace, "sim"), TestGoRun(trace, "parallel"), TestGlibcRun(trace)});
  std::string html = RenderCompareHtml(c);
  EXPECT_EQ(TagBalanceError(html), "");
  EXPECT_EQ(ExternalReference(html), "");
  EXPECT_EQ(CountOf(html, "<svg "), 6u);  // footprints, heap in use, and one per measure
  EXPECT_EQ(CountOf(html, "data-chart=\"compare-footprint\""), 1u);
  EXPECT_EQ(CountOf(html, "data-chart=\"compare-fragmentation\""), 1u);
  // HeapInuse of the two go runs (glibc has none) beside the live bytes.
  EXPECT_EQ(CountOf(html, "data-chart=\"compare-heap-inuse\""), 1u);
  const std::string inuse = html.substr(html.find("data-chart=\"compare-heap-inuse\""));
  EXPECT_EQ(CountOf(inuse.substr(0, inuse.find("</svg>")), "<polyline"), 3u);
  EXPECT_EQ(CountOf(html, "<polyline"), 7u);  // footprints: three runs and the live bytes
  for (const char* run : {"go (sim)", "go (parallel)", "glibc (parallel)"}) {
    EXPECT_NE(html.find(std::string(">") + run + "</text>"), std::string::npos) << run;
  }
  EXPECT_NE(html.find("cmp &lt;1&gt;.json"), std::string::npos);
  // Four measures × three runs, each bar with its hover text.
  size_t frag = html.find("data-chart=\"compare-fragmentation\"");
  const size_t after_frag = html.find("data-chart=\"compare-heap-inuse\"");
  EXPECT_EQ(CountOf(html.substr(frag, after_frag - frag), "<title>"), 12u);
  // Ratios to glibc in the table, none on glibc's own column.
  const CompareRow& go = c.rows[0];
  EXPECT_NE(
      html.find(FormatPercent(go.frag_peak_to_peak) + "  " + FormatRatio(go.ratio_to_glibc.back())),
      std::string::npos);
  EXPECT_EQ(CountOf(html, "id=\"failed-checks\""), 0u);
}

TEST(HtmlCompare, HeapInUseOnlyWithTwoGoStyleHeaps) {
  auto trace = TestTrace("one-go.json");
  const std::string html = RenderCompareHtml(BuildCompare(
      {"goalloc-replay", "9.9.9"}, trace, {TestGoRun(trace, "sim"), TestGlibcRun(trace)}));
  EXPECT_EQ(CountOf(html, "data-chart=\"compare-heap-inuse\""), 0u);
  EXPECT_EQ(CountOf(html, "data-chart=\"compare-footprint\""), 1u);
}

TEST(HtmlCompare, DisagreeingRunsAreReported) {
  auto trace = TestTrace("t.json");
  replay::ReplayResult glibc = TestGlibcRun(trace);
  glibc.at_end.live += 1;
  CompareReport c =
      BuildCompare({"goalloc-replay", "9.9.9"}, trace, {TestGoRun(trace, "sim"), glibc});
  std::string html = RenderCompareHtml(c);
  EXPECT_NE(html.find("id=\"failed-checks\""), std::string::npos);
  EXPECT_NE(html.find("disagree"), std::string::npos);
}

}  // namespace
}  // namespace goalloc::report
