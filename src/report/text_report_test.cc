// The text rendering: the three-line summary first, the sections, the notes it must carry.
#include "src/report/text_report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "src/report/test_results.h"
#include "src/report/text_table.h"

namespace goalloc::report {
namespace {

const ToolInfo kTool{"goalloc-replay", "test"};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The text with every run of spaces made one, to check a table row's cells in order.
std::string Squeezed(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' || out.empty() || out.back() != ' ') out += c;
  }
  return out;
}

TEST(TextReport, SummaryFirstThenSections) {
  std::string text = RenderText(BuildReport(kTool, testing::SmallTrace(), testing::SmallGoRun()));
  std::vector<std::string> lines = Lines(text);
  ASSERT_GT(lines.size(), 4u);
  EXPECT_EQ(lines[0], "  peak live          23.4 KiB (24,000 B) at event 999");
  EXPECT_EQ(lines[1], "  peak footprint     4.1 MiB (4,259,840 B) at event 1");
  EXPECT_EQ(lines[2], "  frag_peak_to_peak  17649.3 % (peak footprint / peak live − 1)");
  EXPECT_EQ(lines[3], "");
  EXPECT_TRUE(Contains(text, "at peak live: adds up exactly; at end: adds up exactly"));
  EXPECT_TRUE(Contains(text, "contention is zero by construction"));
  EXPECT_TRUE(Contains(text, "taken at exactly event 999"));
  EXPECT_TRUE(Contains(text, "(3 with live = 0 excluded)") ||
              Contains(text, "mean over 3 samples (1 with live = 0 excluded)"));
  EXPECT_TRUE(Contains(text, "Checks  passed"));
  // By default every line fits kTextWidth: the size-class table is split in two, each part
  // repeating the class and kind.
  for (const std::string& line : lines) EXPECT_LE(DisplayWidth(line), kTextWidth) << line;
  EXPECT_TRUE(Contains(Squeezed(text), "\n 3 noscan 24 1 341 1 2 0 500 1,023 48.9 % 1,000\n"))
      << text;
  EXPECT_TRUE(Contains(Squeezed(text), "\n 3 noscan 500 0 0 3 0 0\n")) << text;
  // --wide: the size-class row at end whole: class 3 noscan, 24 B, 500 of 1,023 slots = 48.9 %.
  std::string wide =
      RenderText(BuildReport(kTool, testing::SmallTrace(), testing::SmallGoRun()), kWideText);
  EXPECT_TRUE(
      Contains(Squeezed(wide), "\n 3 noscan 24 1 341 1 2 0 500 1,023 48.9 % 1,000 500 0 0 3 0 0\n"))
      << wide;
}

TEST(TextReport, FailedChecksAndNearestSample) {
  replay::ReplayResult run = testing::SmallGoRun();
  run.at_peak_live.exact = false;
  run.at_end.go->totals.idle += 8192;
  std::string text = RenderText(BuildReport(kTool, testing::SmallTrace(), run));
  EXPECT_TRUE(Contains(text, "the nearest sample point, event 999"));
  EXPECT_TRUE(Contains(text, "at end: DOES NOT ADD UP"));
  EXPECT_TRUE(Contains(text, "Checks  FAILED\n  byte accounting does not add up at the end"));
}

TEST(TextReport, TimelineShowsAtMostTwentyRowsFirstAndLastIncluded) {
  replay::ReplayResult run = testing::SmallGoRun();
  run.timeline.resize(50, run.timeline.back());
  for (size_t i = 0; i < run.timeline.size(); ++i) run.timeline[i].event = 1000 + i;
  std::string text = RenderText(BuildReport(kTool, testing::SmallTrace(), run));
  EXPECT_TRUE(Contains(text, "Timeline  (20 of 50 samples; all of them in --json)"));
  EXPECT_TRUE(Contains(text, "\n  1,000  "));
  EXPECT_TRUE(Contains(text, "\n  1,049  "));
}

TEST(TextReport, CompareSideBySide) {
  std::string text = RenderCompareText(BuildCompare(
      kTool, testing::SmallTrace(), {testing::SmallGoRun(), testing::SmallGlibcRun()}));
  std::vector<std::string> lines = Lines(text);
  ASSERT_GT(lines.size(), 3u);
  EXPECT_TRUE(Contains(lines[1], "go sim") && Contains(lines[1], "glibc parallel"));
  EXPECT_TRUE(Contains(Squeezed(text), "\n replay time 1.0 ms ×0.50 2.0 ms\n")) << text;
  EXPECT_TRUE(Contains(text, "×: ratio to glibc"));
  EXPECT_TRUE(Contains(text, "Checks  passed"));
  // go has no allocator footprint; glibc's is 135,168 − 4,096 B.
  EXPECT_TRUE(Contains(Squeezed(text), "\n allocator footprint at peak live — 128.0 KiB\n"))
      << text;
}

// A system allocator's heap section: both footprints, the library's figures, and which
// footprint the fragmentation measures use.
TEST(TextReport, SystemHeapShowsBothFootprints) {
  std::string text =
      RenderText(BuildReport(kTool, testing::SmallTrace(), testing::SmallGlibcRun()));
  const std::string squeezed = Squeezed(text);
  EXPECT_TRUE(Contains(squeezed, "\n footprint (RSS − baseline) 36.0 KiB 36.0 KiB\n")) << text;
  EXPECT_TRUE(Contains(squeezed, "\n allocator footprint 128.0 KiB 128.0 KiB\n")) << text;
  EXPECT_TRUE(Contains(squeezed, "\n mallinfo2 mapped 132.0 KiB 132.0 KiB\n")) << text;
  EXPECT_TRUE(Contains(squeezed, "\n mallinfo2 resident — —\n")) << text;
  EXPECT_TRUE(Contains(text, "fragmentation below uses the RSS footprint")) << text;
}

}  // namespace
}  // namespace goalloc::report
