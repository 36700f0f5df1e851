// The replay and compare commands as users run them: default subcommand, text and JSON
// outputs, atomic --json files, exit statuses of docs/cli.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "tests/report_e2e/e2e_util.h"

namespace goalloc::report_e2e {
namespace {

using nlohmann::json;

std::string SmallTrace() {
  json events = json::array();
  for (int i = 0; i < 200; ++i) {
    events.push_back({{"op", "malloc"}, {"tid", i % 2}, {"id", i}, {"size", 16 + i}});
  }
  for (int i = 0; i < 200; i += 3) events.push_back({{"op", "free"}, {"tid", 0}, {"id", i}});
  return WriteTrace("cli.json", events);
}

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

TEST(ReportCli, TraceAloneMeansReplayAndPrintsTheSummaryFirst) {
  ToolRun r = RunTool({SmallTrace(), "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(StartsWith(r.out, "  peak live  ")) << r.out;
  EXPECT_NE(r.out.find("\n  peak footprint  "), std::string::npos);
  EXPECT_NE(r.out.find("\n  frag_peak_to_peak  "), std::string::npos);
  EXPECT_NE(r.out.find("Checks  passed"), std::string::npos);
}

TEST(ReportCli, JsonToAFileAndTextToStdout) {
  const std::string file = TempPath("report.json");
  ToolRun r =
      RunTool({"replay", SmallTrace(), "--quiet", "--verify", "--timeline", "5", "--json", file});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(StartsWith(r.out, "  peak live"));
  json j = json::parse(ReadFile(file));
  EXPECT_EQ(j["replay"]["verified"], true);
  EXPECT_EQ(j["replay"]["verify_error"], nullptr);
  EXPECT_GE(j["timeline"].size(), 2u);
  EXPECT_LE(j["timeline"].size(), 10u);
}

TEST(ReportCli, JsonToStdoutIsOnlyJson) {
  ToolRun r =
      RunTool({"compare", SmallTrace(), "--quiet", "--allocators", "go,glibc", "--json", "-"});
  ASSERT_EQ(r.status, 0) << r.err;
  json j = json::parse(r.out);  // throws if anything but JSON is there
  ASSERT_EQ(j["compare"].size(), 3u);
  EXPECT_EQ(j["compare"][0]["mode"], "sim");
  EXPECT_EQ(j["compare"][1]["mode"], "parallel");
  EXPECT_EQ(j["compare"][2]["allocator"], "glibc");
  EXPECT_DOUBLE_EQ(j["compare"][2]["ratio_to_glibc"]["frag_peak_to_peak"].get<double>(), 1.0);
}

TEST(ReportCli, CompareTextIsOneSideBySideTable) {
  ToolRun r = RunTool({"compare", SmallTrace(), "--quiet", "--allocators", "go,glibc"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(StartsWith(r.out, "Compare  ")) << r.out;
  EXPECT_NE(r.out.find("go sim"), std::string::npos);
  EXPECT_NE(r.out.find("go parallel"), std::string::npos);
  EXPECT_NE(r.out.find("glibc parallel"), std::string::npos);
  EXPECT_NE(r.out.find("×"), std::string::npos);
}

TEST(ReportCli, UsageErrorsExitTwo) {
  const std::string trace = SmallTrace();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"replay", trace, "--allocator", "nope"},
        {"replay", trace, "--mode", "bogus"},
        {"replay", trace, "--threads", "0"},
        {"compare", trace, "--allocators", "go,nope"},
        {"replay", TempPath("missing.json")}}) {
    ToolRun r = RunTool(args);
    EXPECT_EQ(r.status, 2) << args.back() << ": " << r.err;
    EXPECT_FALSE(r.err.empty());
  }
  ToolRun r = RunTool({"replay", trace, "--allocator", "nope"});
  EXPECT_TRUE(StartsWith(r.err, "error: unknown allocator 'nope'")) << r.err;
}

// Parse errors and option checks (issue 17 §7): every usage error starts with "error:",
// left-over arguments are listed in command-line order, options may come before the trace.
TEST(ReportCli, CommandLineTable) {
  const std::string trace = SmallTrace();
  struct Case {
    std::vector<std::string> args;
    int status;
    std::string err_starts;
  };
  const Case cases[] = {
      {{"--quiet", trace}, 0, ""},
      {{"--quiet", "--timeline", "3", trace, "--mode", "sim"}, 0, ""},
      {{"replay", trace, "a", "b", "c"},
       2,
       "error: The following arguments were not expected: a b c"},
      {{"replay", "--bogus", trace, "x"},
       2,
       "error: The following arguments were not expected: --bogus x"},
      {{}, 2, "error: A subcommand is required"},
      {{"replay", trace, "--verify-every", "0"}, 2, "error: --verify-every: Value 0 not in range"},
      {{"compare", trace, "--allocators", ""}, 2, "error: --allocators: names no allocator"},
      {{"compare", trace, "--allocators", "glibc,glibc,go"},
       2,
       "error: --allocators: names glibc twice"},
      {{"compare", trace, "--allocators", "go,,glibc"},
       2,
       "error: --allocators: 'go,,glibc' has an empty name"},
  };
  for (const Case& c : cases) {
    std::string line;
    for (const std::string& a : c.args) line += " '" + a + "'";
    SCOPED_TRACE(line);
    ToolRun r = RunTool(c.args);
    EXPECT_EQ(r.status, c.status) << r.err;
    EXPECT_TRUE(StartsWith(r.err, c.err_starts)) << r.err;
    if (c.status == 0) EXPECT_NE(r.out.find("Checks  passed"), std::string::npos);
  }
}

// The text report fits 100 columns by default (tables split, long lines wrapped) and keeps
// every table whole with --wide; replay and compare alike.
TEST(ReportCli, TextFitsOneHundredColumnsUnlessWide) {
  const std::string trace = Runfile("traces/sample.json");
  struct Case {
    std::vector<std::string> args;
    bool wide;
  };
  const Case cases[] = {
      {{"replay", trace, "--quiet", "--mode", "sim"}, false},
      {{"replay", trace, "--quiet", "--mode", "sim", "--wide"}, true},
      {{"compare", trace, "--quiet", "--allocators", "go,glibc"}, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args.back());
    ToolRun r = RunTool(c.args);
    ASSERT_EQ(r.status, 0) << r.err;
    size_t widest = 0;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      if (line.find(trace) != std::string::npos) continue;  // one word, too long to break
      size_t width = 0;                                     // code points
      for (char ch : line) width += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
      widest = std::max(widest, width);
    }
    if (c.wide) {
      EXPECT_GT(widest, 100u);  // the size-class tables, whole
      EXPECT_NE(r.out.find("mallocs  frees  spans <25%"), std::string::npos);
    } else {
      EXPECT_LE(widest, 100u) << r.out;
    }
  }
}

// The timeline's first and last samples are the trace's first and last events, also when
// those are inconsistent (skipped): their state is the one before any replayed event, and
// after the last one.
TEST(ReportCli, TimelineHasTheFirstAndLastEventsEvenWhenSkipped) {
  const json malloc1 = {{"op", "malloc"}, {"id", 1}, {"size", 100}};
  const json malloc2 = {{"op", "malloc"}, {"id", 2}, {"size", 200}};
  const json free1 = {{"op", "free"}, {"id", 1}};
  const json bad_free = {{"op", "free"}, {"id", 77}};
  struct Case {
    std::string name;
    json events;
    uint64_t first_live, last_live;
  };
  const Case cases[] = {
      {"none_skipped", json::array({malloc1, malloc2, free1}), 100, 200},
      {"first_skipped", json::array({bad_free, malloc1, malloc2, free1}), 0, 200},
      {"last_skipped", json::array({malloc1, malloc2, free1, bad_free}), 100, 200},
      {"both_skipped", json::array({bad_free, bad_free, malloc1, free1, bad_free}), 0, 0},
  };
  for (const Case& c : cases) {
    const std::string trace = WriteTrace(c.name + ".json", c.events);
    for (const std::vector<std::string>& run : {std::vector<std::string>{"--mode", "sim"},
                                                {"--mode", "parallel"},
                                                {"--allocator", "glibc"}}) {
      SCOPED_TRACE(c.name + " " + run.back());
      std::vector<std::string> args = {"replay", trace, "--quiet"};
      args.insert(args.end(), run.begin(), run.end());
      json j = ReportOf(args);
      const json& timeline = j["timeline"];
      ASSERT_GE(timeline.size(), 2u);
      EXPECT_EQ(timeline.front()["event"], 0);
      EXPECT_EQ(timeline.front()["live"], c.first_live);
      EXPECT_EQ(timeline.back()["event"], c.events.size() - 1);
      EXPECT_EQ(timeline.back()["live"], c.last_live);
    }
  }
}

}  // namespace
}  // namespace goalloc::report_e2e
