// The CI gate end to end: a baseline written then compared passes; a planted regression (the
// baseline's footprint edited smaller) fails with exactly the line documented in docs/ci.md
// and fails its JUnit case; mismatched and malformed baselines are errors (exit 2), never a
// pass; a directory stands for its traces; in GC mode, the peak heap and cycles are gated
// and another collector is a mismatch. Traces are written by the test, replayed on go and
// glibc in sim mode.
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

// GC mode (--gogc 10: a heap minimum of 400 KiB, so both traces collect): its own baseline,
// whose go columns carry the collector's figures.
class CiGateGc : public CiGate {
 protected:
  void SetUp() override {
    CiGate::SetUp();
    gc_baseline_ = TempPath("baseline-gc.json");
    ToolRun r = Compare({a_, b_, "--gogc", "10", "--write-baseline", gc_baseline_});
    ASSERT_EQ(r.status, 0) << r.err;
  }
  ToolRun CompareGc(std::vector<std::string> args) {
    args.insert(args.end(), {"--gogc", "10"});
    return Compare(args);
  }
  std::string gc_baseline_;
};

TEST_F(CiGateGc, WriteBaselineThenComparePasses) {
  json b = json::parse(ReadFile(gc_baseline_));
  const json& gc = b["summary"][0]["columns"][0]["gc"];
  EXPECT_EQ(gc["gogc"], 10);
  EXPECT_TRUE(gc["memory_limit_bytes"].is_null());
  EXPECT_GT(gc["cycles"].get<uint64_t>(), 0u);
  EXPECT_GT(gc["peak_heap_inuse"].get<uint64_t>(), 0u);
  EXPECT_TRUE(b["summary"][0]["columns"][1]["gc"].is_null());  // glibc
  const std::string md = TempPath("gc-pass.md"), xml = TempPath("gc-pass.xml");
  ToolRun r = CompareGc({a_, b_, "--baseline", gc_baseline_, "--summary", md, "--junit", xml});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(fmt::format("Gate  against {} (footprint +1 %, frag +0.5 pp, slots +5 %, "
                                   "gc_peak +1 %, cycles +5 %): no regression",
                                   gc_baseline_)),
            std::string::npos)
      << r.out;
  EXPECT_NE(ReadFile(md).find(fmt::format(" · {} cycles |", gc["cycles"].get<uint64_t>())),
            std::string::npos)
      << ReadFile(md);
  EXPECT_NE(ReadFile(xml).find("name=\"go (sim, GOGC=10)\""), std::string::npos);
  Validate(xml);
}

TEST_F(CiGateGc, PlantedRegressionFailsWithTheExactLines) {
  json b = json::parse(ReadFile(gc_baseline_));
  json& gc = b["summary"][1]["columns"][0]["gc"];
  const uint64_t heap = gc["peak_heap_inuse"], cycles = gc["cycles"];
  const auto planted = uint64_t(std::llround(double(heap) / 1.02));  // now is 2 % larger
  gc["peak_heap_inuse"] = planted;
  gc["cycles"] = 0;  // the collector ran where it did not
  const std::string edited = Write("gc-planted.json", b.dump());
  const std::string xml = TempPath("gc-fail.xml");
  ToolRun r = CompareGc({a_, b_, "--baseline", edited, "--junit", xml});
  EXPECT_EQ(r.status, 1) << r.err;
  const std::string heap_line = fmt::format(
      "{}: go (sim, GOGC=10): gc.peak_heap_inuse: baseline {} B, now {} B (+2.0 %), threshold "
      "+1.0 %",
      b_, report::FormatCount(planted), report::FormatCount(heap));
  const std::string cycles_line = fmt::format(
      "{}: go (sim, GOGC=10): gc.cycles: baseline 0, now {}, threshold +5.0 %", b_, cycles);
  EXPECT_NE(r.err.find("error: regression: " + heap_line + "\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("error: regression: " + cycles_line + "\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 regression(s) against baseline " + edited), std::string::npos);
  std::string junit = ReadFile(xml);
  EXPECT_NE(junit.find("tests=\"4\" failures=\"1\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("<failure message=\"" + heap_line + "\""), std::string::npos) << junit;
  Validate(xml);
  EXPECT_EQ(CompareGc({a_, b_, "--baseline", edited, "--max-regression", "gc_peak=3%"}).status,
            1);  // the cycles still regress
}

// A real regression: the wasteful size classes of WastefulSizeClassesFailTheGate make the
// collected heap bigger too.
TEST_F(CiGateGc, WastefulSizeClassesGrowTheCollectedHeap) {
  const std::string table = Write("wasteful.tsv", "class bytes/obj\n1 8\n2 16\n3 32768\n");
  ToolRun r = CompareGc({a_, b_, "--baseline", gc_baseline_, "--size-classes", table});
  EXPECT_EQ(r.status, 1) << r.err;
  for (const std::string& trace : {a_, b_}) {
    EXPECT_NE(
        r.err.find("error: regression: " + trace + ": go (sim, GOGC=10): gc.peak_heap_inuse: "),
        std::string::npos)
        << r.err;
  }
}

TEST_F(CiGateGc, AnotherCollectorIsRefused) {
  // GC run against the explicit-free baseline, and the other way round; another GOGC.
  ExpectRefused({a_, b_, "--gogc", "10"}, baseline_,
                a_ + ": go (sim): this run's collector (GOGC=10) is not that of baseline " +
                    baseline_ + " (none: frees as the trace says)");
  ExpectRefused({a_, b_}, gc_baseline_,
                "this run's collector (none: frees as the trace says) is not that of baseline " +
                    gc_baseline_ + " (GOGC=10)");
  ExpectRefused({a_, b_, "--gogc", "20"}, gc_baseline_,
                "this run's collector (GOGC=20) is not that of baseline " + gc_baseline_ +
                    " (GOGC=10): compare with the same --gogc and --memory-limit");
  ExpectRefused({a_, b_, "--gogc", "10", "--memory-limit", "64MiB"}, gc_baseline_,
                "(GOGC=10, memory limit 67,108,864 B) is not that of baseline");
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
