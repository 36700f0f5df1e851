// The CI gate end to end: a baseline written then compared passes; a planted regression (the
// baseline's footprint edited smaller) fails with exactly the line documented in docs/ci.md
// and fails its JUnit case; mismatched and malformed baselines are errors (exit 2), never a
// pass; a directory stands for its traces. Traces are written by the test, replayed on go
// and glibc in sim mode.
#include <fmt/core.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "src/report/units.h"
#include "tests/report_e2e/e2e_util.h"

namespace goalloc::report_e2e {
namespace {

using nlohmann::json;

// A trace of `n` rounds of small objects of sizes 16..16+step·k, half of them freed: a few
// span classes at the peak, all deterministic.
std::string Trace(const std::string& name, int n, int step) {
  json events = json::array();
  for (int i = 0; i < n; ++i) {
    events.push_back({{"op", "malloc"}, {"id", i + 1}, {"size", 16 + step * (i % 40)}});
    if (i % 2) events.push_back({{"op", "free"}, {"id", i}});
  }
  return WriteTrace(name, events);
}

ToolRun Compare(std::vector<std::string> args) {
  args.insert(args.begin(), "compare");
  args.insert(args.end(), {"--allocators", "go,glibc", "--mode", "sim", "--quiet"});
  return RunTool(args);
}

void Validate(const std::string& junit) {
  const std::string command =
      fmt::format("xmllint --noout --schema {} {} 2>&1", Runfile("tests/ci_e2e/junit.xsd"), junit);
  EXPECT_EQ(std::system(command.c_str()), 0) << command << "\n" << ReadFile(junit);
}

class CiGate : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = Trace("a.json", 3000, 8);
    b_ = Trace("b.json", 2000, 24);
    baseline_ = TempPath("baseline.json");
    ToolRun r = Compare({a_, b_, "--write-baseline", baseline_});
    ASSERT_EQ(r.status, 0) << r.err;
  }
  json Baseline() { return json::parse(ReadFile(baseline_)); }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = TempPath(name);
    std::ofstream(path) << text;
    return path;
  }
  // Compares with `baseline` and expects exit 2 with `message` in the error, and no report.
  void ExpectRefused(const std::vector<std::string>& traces, const std::string& baseline,
                     const std::string& message) {
    std::vector<std::string> args = traces;
    args.insert(args.end(), {"--baseline", baseline});
    ToolRun r = Compare(args);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "") << "no report after a refused baseline";
  }
  std::string a_, b_, baseline_;
};

TEST_F(CiGate, BaselineHasOnlyTheSummary) {
  json b = Baseline();
  EXPECT_EQ(b["schema"], "goalloc-compare/1");
  EXPECT_FALSE(b.contains("traces"));
  ASSERT_EQ(b["summary"].size(), 2u);
  EXPECT_EQ(b["summary"][0]["trace"], a_);
  EXPECT_EQ(b["summary"][0]["columns"][0]["allocator"], "go");
  EXPECT_TRUE(b["summary"][0]["columns"][0]["deterministic"]);
  EXPECT_FALSE(b["summary"][0]["columns"][0]["slots_at_peak"].empty());
}

TEST_F(CiGate, UnchangedPasses) {
  const std::string md = TempPath("pass.md"), xml = TempPath("pass.xml");
  ToolRun r = Compare({a_, b_, "--baseline", baseline_, "--summary", md, "--junit", xml});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(fmt::format("Gate  against {} (footprint +1 %, frag +0.5 pp, slots +5 %): "
                                   "no regression",
                                   baseline_)),
            std::string::npos)
      << r.out;
  EXPECT_EQ(
      ReadFile(md).rfind(
          fmt::format("## goalloc-replay compare: ✓ 2 traces passed, no regression against `{}`\n",
                      baseline_),
          0),
      0u)
      << ReadFile(md);
  EXPECT_NE(ReadFile(xml).find("tests=\"4\" failures=\"0\""), std::string::npos);
  Validate(xml);
  // Summary table first, then each trace's compare report.
  size_t summary = r.out.find("Corpus  2 traces"), first = r.out.find("Compare  " + a_);
  ASSERT_NE(summary, std::string::npos);
  EXPECT_LT(summary, first);
}

TEST_F(CiGate, PlantedRegressionFailsWithTheExactLine) {
  json b = Baseline();
  json& go = b["summary"][0]["columns"][0];
  const uint64_t now = go["peak_footprint_bytes"];
  const auto planted = uint64_t(std::llround(double(now) / 1.02));  // now is 2 % larger
  go["peak_footprint_bytes"] = planted;
  const std::string edited = Write("planted.json", b.dump());
  const std::string md = TempPath("fail.md"), xml = TempPath("fail.xml");
  ToolRun r = Compare({a_, b_, "--baseline", edited, "--summary", md, "--junit", xml});
  EXPECT_EQ(r.status, 1);
  const std::string line = fmt::format(
      "{}: go (sim): peak_footprint_bytes: baseline {} B, now {} B (+2.0 %), "
      "threshold +1.0 %",
      a_, report::FormatCount(planted), report::FormatCount(now));
  EXPECT_NE(r.err.find("error: regression: " + line + "\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 regression(s) against baseline " + edited), std::string::npos);
  EXPECT_NE(r.out.find("1 REGRESSION\n  " + line), std::string::npos) << r.out;
  // The other trace and column pass; the Markdown lists the regression first.
  std::string summary = ReadFile(md);
  EXPECT_EQ(summary.rfind("## goalloc-replay compare: ✗ 1 of 2 traces failed", 0), 0u) << summary;
  EXPECT_LT(summary.find("### Regressions"), summary.find("### Traces"));
  EXPECT_LT(summary.find("| ✗ | " + a_), summary.find("| ✓ | " + b_));
  std::string junit = ReadFile(xml);
  EXPECT_NE(junit.find("tests=\"4\" failures=\"1\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("<failure message=\"" + line + "\""), std::string::npos) << junit;
  Validate(xml);
  // A looser threshold lets it pass.
  EXPECT_EQ(Compare({a_, b_, "--baseline", edited, "--max-regression", "footprint=3%"}).status, 0);
}

// A real regression, not an edited baseline: the go heap with a size-class table that rounds
// every object over 16 B up to 32 KiB, against the baseline of Go's table.
TEST_F(CiGate, WastefulSizeClassesFailTheGate) {
  const std::string table = Write("wasteful.tsv", "class bytes/obj\n1 8\n2 16\n3 32768\n");
  ToolRun r = Compare({a_, b_, "--baseline", baseline_, "--size-classes", table});
  EXPECT_EQ(r.status, 1) << r.err;
  for (const std::string& trace : {a_, b_}) {
    EXPECT_NE(r.err.find("error: regression: " + trace + ": go (sim): peak_footprint_bytes: "),
              std::string::npos)
        << r.err;
  }
  EXPECT_EQ(Compare({a_, b_, "--baseline", baseline_}).status, 0);  // Go's table passes
}

TEST_F(CiGate, WriteBaselineThenComparePasses) {
  json b = Baseline();
  b["summary"][1]["columns"][0]["frag_peak_to_peak"] = 0.0;  // b.json "regressed"
  const std::string old = Write("old.json", b.dump()), fresh = TempPath("fresh.json");
  EXPECT_EQ(Compare({a_, b_, "--baseline", old, "--write-baseline", fresh}).status, 1);
  EXPECT_EQ(Compare({a_, b_, "--baseline", fresh}).status, 0);
}

TEST_F(CiGate, MismatchedBaselinesAreRefused) {
  const std::string c = Trace("c.json", 100, 8);
  ExpectRefused({a_, c}, baseline_, "has no trace " + c);
  ExpectRefused({a_}, baseline_, "has trace " + b_ + ", which this run does not replay");
  EXPECT_EQ(Compare({a_, "--baseline", baseline_, "--baseline-partial"}).status, 0);
  // Other columns: go alone.
  ToolRun r = RunTool({"compare", a_, b_, "--allocators", "go", "--mode", "sim", "--quiet",
                       "--baseline", baseline_});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("this run's columns (go (sim) on 1 thread) are not those of baseline"),
            std::string::npos)
      << r.err;
  // A trace whose content changed since (same path).
  Trace("b.json", 2000, 32);
  ExpectRefused({a_, b_}, baseline_, "trace " + b_ + " changed since baseline " + baseline_);
}

TEST_F(CiGate, MalformedBaselinesAreRefused) {
  ExpectRefused({a_, b_}, TempPath("none.json"), "cannot be read");
  ExpectRefused({a_, b_}, Write("truncated.json", ReadFile(baseline_).substr(0, 200)),
                "not a JSON document");
  // Another schema: the one-trace compare report.
  const std::string single = TempPath("single.json");
  ASSERT_EQ(Compare({a_, "--json", single}).status, 0);
  ExpectRefused({a_, b_}, single, "schema is \"goalloc-report/1\", not \"goalloc-compare/1\"");
  json b = Baseline();
  b["schema"] = "goalloc-compare/2";
  ExpectRefused({a_, b_}, Write("v2.json", b.dump()), "schema is \"goalloc-compare/2\"");
  b = Baseline();
  b["summary"][1]["columns"][0].erase("frag_peak_to_peak");
  ExpectRefused({a_, b_}, Write("missing.json", b.dump()),
                "summary[1].columns[0].frag_peak_to_peak is missing");
}

TEST_F(CiGate, ADirectoryIsItsTraces) {
  namespace fs = std::filesystem;
  const fs::path dir = TempPath("corpus");
  fs::create_directories(dir / "sub");
  fs::copy_file(a_, dir / "sub" / "a.json");
  fs::copy_file(b_, dir / "b.json");
  fs::copy_file(baseline_, dir / "baseline.json");  // a report, not a trace
  std::ofstream(dir / "README.md") << "# notes\n";
  const std::string out = TempPath("dir.json"), html = TempPath("dir.html");
  ToolRun r = Compare({dir.string(), "-j", "2", "--json", out, "--html", html});
  ASSERT_EQ(r.status, 0) << r.err;
  // The HTML page: the summary table, then both traces' sections.
  const std::string page = ReadFile(html);
  EXPECT_LT(page.find("id=\"summary\""), page.find("id=\"trace-2-fragmentation\""));
  json report = json::parse(ReadFile(out));
  ASSERT_EQ(report["summary"].size(), 2u);
  EXPECT_EQ(report["summary"][0]["trace"], (dir / "b.json").string());
  EXPECT_EQ(report["summary"][1]["trace"], (dir / "sub" / "a.json").string());
  EXPECT_EQ(report["summary"][1]["content_hash"], Baseline()["summary"][0]["content_hash"]);
}

}  // namespace
}  // namespace goalloc::report_e2e
