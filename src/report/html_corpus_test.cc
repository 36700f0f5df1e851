// The HTML report of a corpus: the summary table first, one row per trace, then each trace's
// charts under anchors of their own; well formed and self-contained.
#include "src/report/html_corpus.h"

#include <gtest/gtest.h>

#include "src/report/html_test_runs.h"
#include "src/report/html_test_support.h"

namespace goalloc::report {
namespace {

TEST(HtmlCorpus, SummaryThenEveryTrace) {
  std::vector<CorpusTrace> traces;
  for (const char* path : {"a <1>.json", "b.json"}) {
    auto trace = TestTrace(path);
    traces.push_back({"fnv1a64:1", BuildCompare({"goalloc-replay", "9.9.9"}, trace,
                                                {TestGoRun(trace, "sim"), TestGlibcRun(trace)})});
  }
  CorpusReport corpus =
      BuildCorpus({"goalloc-replay", "9.9.9"}, std::move(traces), {{"c.json", "bad", 2}});
  std::string html = RenderCorpusHtml(corpus);
  EXPECT_EQ(TagBalanceError(html), "");
  EXPECT_EQ(ExternalReference(html), "");
  size_t summary = html.find("id=\"summary\"");
  ASSERT_NE(summary, std::string::npos);
  EXPECT_LT(summary, html.find("id=\"trace-1-footprint\""));
  for (const char* id : {"trace-1-footprint", "trace-1-fragmentation", "trace-2-footprint",
                         "trace-2-fragmentation"}) {
    EXPECT_EQ(CountOf(html, std::string("id=\"") + id + "\""), 1u) << id;
  }
  EXPECT_NE(html.find("a &lt;1&gt;.json: Footprint over time"), std::string::npos);
  EXPECT_NE(html.find("not replayed: bad"), std::string::npos);
  EXPECT_NE(html.find("id=\"failed-checks\""), std::string::npos);
  EXPECT_EQ(CountOf(html, "<svg "), 10u);  // per trace: footprints and the four measures
}

}  // namespace
}  // namespace goalloc::report
