// The HTML report of one replay: which charts appear for which run, that the page is well
// formed and self-contained, and that the figures and hover texts come from the model.
#include "src/report/html_report.h"

#include <gtest/gtest.h>

#include "src/report/html_test_runs.h"
#include "src/report/html_test_support.h"
#include "src/report/units.h"

namespace goalloc::report {
namespace {

const ToolInfo kTool{"goalloc-replay", "9.9.9"};

std::string Page(const replay::ReplayResult& run) {
  auto trace = TestTrace("traces/a<b>&c.json");
  return RenderHtml(BuildReport(kTool, trace, run));
}

std::string GoPage(const std::string& mode) { return Page(TestGoRun(TestTrace("x"), mode)); }

TEST(HtmlReport, ParallelGoRunHasEveryChart) {
  std::string html = GoPage("parallel");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_EQ(TagBalanceError(html), "");
  EXPECT_EQ(ExternalReference(html), "");
  EXPECT_EQ(CountOf(html, "<svg "), 5u);
  for (const char* chart :
       {"timeline", "accounting", "span-classes-noscan", "span-classes-scan", "locks"}) {
    EXPECT_EQ(CountOf(html, std::string("data-chart=\"") + chart + "\""), 1u) << chart;
  }
  EXPECT_EQ(CountOf(html, "id=\"failed-checks\""), 0u);
  EXPECT_EQ(CountOf(html, "<figure"), 5u);
  // Every figure has the table of its numbers.
  for (size_t at = html.find("<figure"); at != std::string::npos;
       at = html.find("<figure", at + 1)) {
    std::string figure = html.substr(at, html.find("</figure>", at) - at);
    EXPECT_EQ(CountOf(figure, "<table>"), 1u) << figure.substr(0, 60);
  }
}

TEST(HtmlReport, TraceNamesAreEscaped) {
  std::string html = Page(TestGoRun(TestTrace("traces/a<b>&c.json"), "parallel"));
  EXPECT_NE(html.find("traces/a&lt;b&gt;&amp;c.json"), std::string::npos);
  EXPECT_EQ(html.find("a<b>"), std::string::npos);
}

TEST(HtmlReport, HeadlineFiguresAndMarkersComeFromTheModel) {
  auto trace = TestTrace("t.json");
  Report r = BuildReport(kTool, trace, TestGoRun(trace, "parallel"));
  std::string html = RenderHtml(r);
  std::string peak_live = FormatBytes(r.fragmentation.max_live_bytes);
  EXPECT_NE(html.find("<div class=\"value\">" + peak_live + "</div>"), std::string::npos);
  EXPECT_NE(html.find(">peak live " + FormatBytes(r.fragmentation.live_at_peak_live) + "</text>"),
            std::string::npos);
  EXPECT_NE(
      html.find(">peak footprint " + FormatBytes(r.fragmentation.peak_footprint_bytes) + "</text>"),
      std::string::npos);
  EXPECT_NE(html.find("<div class=\"value\">" + FormatPercent(r.fragmentation.frag_peak_to_peak)),
            std::string::npos);
  // The timeline's table has one row per sample.
  size_t timeline = html.find("data-chart=\"timeline\"");
  size_t next = html.find("</figure>", timeline);
  EXPECT_EQ(CountOf(html.substr(timeline, next - timeline), "<tr>"), r.run.timeline.size() + 1);
}

TEST(HtmlReport, SpanClassBarsCarryCountsOnHover) {
  std::string html = GoPage("parallel");
  // Class 3 at peak live: 8,000 objects (40 × 600 / 3) in 25 spans of 341 slots.
  EXPECT_NE(html.find("<title>class 3 (24 B, noscan) at peak live: 8,000 of 8,525 slots in use "
                      "(93.8 %)\nspans: 1 in mcaches, 1 partial, 23 full (341 slots each)</title>"),
            std::string::npos);
  // The scan class (5) is on the scan chart only.
  size_t scan = html.find("data-chart=\"span-classes-scan\"");
  ASSERT_NE(scan, std::string::npos);
  EXPECT_GT(html.find("class 5 (48 B, scan)"), scan);
  EXPECT_EQ(html.find("(24 B, noscan)", scan), std::string::npos);
}

TEST(HtmlReport, LocksAreSortedByWaitAndIdleLocksOnlyInTheTable) {
  std::string html = GoPage("parallel");
  size_t locks = html.find("data-chart=\"locks\"");
  ASSERT_NE(locks, std::string::npos);
  size_t mheap = html.find(">mheap</text>", locks),
         mcentral = html.find(">mcentral[5s]</text>", locks);
  ASSERT_NE(mheap, std::string::npos);
  ASSERT_NE(mcentral, std::string::npos);
  EXPECT_LT(mheap, mcentral);                                              // the longest wait first
  EXPECT_EQ(html.find(">mcentral[3n]</text>", locks), std::string::npos);  // never waited
  EXPECT_NE(html.find("<td>mcentral[3n]</td>", locks), std::string::npos);
}

TEST(HtmlReport, SimModeSaysContentionIsZeroByConstructionAndDrawsNoLockChart) {
  std::string html = GoPage("sim");
  EXPECT_EQ(TagBalanceError(html), "");
  EXPECT_EQ(CountOf(html, "<svg "), 4u);
  EXPECT_EQ(html.find("data-chart=\"locks\""), std::string::npos);
  EXPECT_NE(html.find("zero by construction"), std::string::npos);
}

TEST(HtmlReport, SystemAllocatorHasTimelineAndItsOwnFigures) {
  auto trace = TestTrace("t.json");
  std::string html = RenderHtml(BuildReport(kTool, trace, TestGlibcRun(trace)));
  EXPECT_EQ(TagBalanceError(html), "");
  EXPECT_EQ(ExternalReference(html), "");
  EXPECT_EQ(CountOf(html, "<svg "), 1u);
  EXPECT_EQ(CountOf(html, "data-chart=\"timeline\""), 1u);
  EXPECT_EQ(CountOf(html, "<polygon"), 0u);  // no inuse/idle/released layers
  EXPECT_NE(html.find("arena (mallinfo2)"), std::string::npos);
  EXPECT_EQ(html.find("Byte accounting"), std::string::npos);
}

TEST(HtmlReport, FailedChecksAreShownFirst) {
  auto trace = TestTrace("t.json");
  replay::ReplayResult run = TestGoRun(trace, "sim");
  run.at_end.go->tail_waste += 8;  // the accounting no longer adds up
  std::string html = RenderHtml(BuildReport(kTool, trace, run));
  size_t alert = html.find("id=\"failed-checks\"");
  ASSERT_NE(alert, std::string::npos);
  EXPECT_LT(alert, html.find("class=\"cards\""));
  EXPECT_NE(html.find("does not add up", alert), std::string::npos);
  EXPECT_NE(html.find(">NO</td>"), std::string::npos);
}

}  // namespace
}  // namespace goalloc::report
