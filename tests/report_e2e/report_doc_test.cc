// The JSON report has exactly the fields docs/report.md documents, with the documented
// types: every documented field (for the backend) is present, and every field present is
// documented. Checked on a go replay, a glibc replay and a comparison of a trace that uses
// every operation, tiny, small, scan and large objects, two threads, time and an
// inconsistent event, so that no array the doc describes is empty.
#include <gtest/gtest.h>

#include "tests/report_e2e/e2e_util.h"

namespace goalloc::report_e2e {
namespace {

using nlohmann::json;

std::string EveryKindTrace() {
  json events = json::array();
  uint64_t t = 0;
  auto add = [&](json e) {
    e["t"] = t += 1000;
    events.push_back(std::move(e));
  };
  for (int i = 0; i < 50; ++i) {
    add({{"op", "malloc"}, {"tid", i % 2}, {"id", 100 + i}, {"size", 5}});    // tiny
    add({{"op", "malloc"}, {"tid", i % 2}, {"id", 200 + i}, {"size", 100}});  // small
    add({{"op", "calloc"}, {"tid", i % 2}, {"id", 300 + i}, {"size", 700}, {"scan", true}});
  }
  add({{"op", "malloc"}, {"tid", 0}, {"id", 1}, {"size", 100000}});  // large
  add({{"op", "aligned_alloc"}, {"tid", 1}, {"id", 2}, {"size", 64}, {"align", 4096}});
  add({{"op", "realloc"}, {"tid", 0}, {"id", 200}, {"new_id", 3}, {"size", 5000}});
  add({{"op", "free"}, {"tid", 0}, {"id", 999999}});  // inconsistent: never allocated
  for (int i = 0; i < 50; i += 2) {
    add({{"op", "free"}, {"tid", 1 - i % 2}, {"id", 100 + i}});  // cross-thread
    add({{"op", "free"}, {"tid", i % 2}, {"id", 300 + i}});
  }
  return WriteTrace("every_kind.json", events);
}

// `allocator` "go-gc": the go allocator in GC mode.
bool Applies(const Field& f, const std::string& allocator) {
  if (f.backends == "all") return true;
  if (f.backends == "go") return allocator == "go" || allocator == "go-gc";
  if (f.backends == "system") {
    return allocator != "go" && allocator != "go-runtime" && allocator != "go-gc";
  }
  if (f.backends == "go-runtime") return allocator == "go-runtime";
  if (f.backends == "gc") return allocator == "go-runtime" || allocator == "go-gc";
  if (f.backends == "go-gc") return allocator == "go-gc";
  if (f.backends == "glibc") return allocator == "glibc";
  ADD_FAILURE() << "unknown backends column: " << f.backends << " (" << f.path << ")";
  return false;
}

// Checks `report` against `fields`: each applicable documented field is present with its
// type; each field present (outside `skip` subtrees) is documented.
void CheckAgainstDoc(json report, const std::vector<Field>& fields, const std::string& allocator,
                     const std::string& what, const std::vector<std::string>& skip = {}) {
  for (const Field& f : fields) {
    if (!Applies(f, allocator)) continue;
    int found = 0;
    ForEachMatch(report, f.path, [&](json& node) {
      ++found;
      EXPECT_TRUE(HasType(node, f.type))
          << what << ": " << f.path << " should be " << f.type << ", is " << node.dump();
    });
    EXPECT_GT(found, 0) << what << ": documented field " << f.path << " is missing";
  }
  for (const auto& [path, node] : FieldsOf(report)) {
    bool skipped = false;
    for (const std::string& s : skip)
      skipped |= path.rfind(s + ".", 0) == 0 || path.rfind(s + "[]", 0) == 0;
    if (skipped) continue;
    bool documented = false;
    for (const Field& f : fields) documented |= Applies(f, allocator) && PathMatches(f.path, path);
    EXPECT_TRUE(documented) << what << ": field " << path << " is not documented for " << allocator;
  }
}

TEST(ReportDoc, TablesAreThere) {
  EXPECT_GT(DocFields("Replay report fields").size(), 150u);
  EXPECT_GT(DocFields("Compare report fields").size(), 25u);
  EXPECT_GT(DocFields("Corpus report fields").size(), 25u);
}

TEST(ReportDoc, GoReplayMatchesTheDoc) {
  const std::string trace = EveryKindTrace();
  for (const char* mode : {"sim", "parallel"}) {
    json report = ReportOf({"replay", trace, "--mode", mode, "--timeline", "20"});
    EXPECT_EQ(report["schema"], "goalloc-report/1");
    CheckAgainstDoc(report, DocFields("Replay report fields"), "go", std::string("go ") + mode);
  }
}

TEST(ReportDoc, GlibcReplayMatchesTheDoc) {
  json report = ReportOf({"replay", EveryKindTrace(), "--allocator", "glibc"});
  CheckAgainstDoc(report, DocFields("Replay report fields"), "glibc", "glibc");
}

// Enough allocation (8 MiB in 64 KiB objects beside small ones, half of them dropped) for
// collections at GOGC=10, so that the gc section's cycle log has entries.
std::string CollectingTrace() {
  json events = json::array();
  for (int i = 0; i < 128; ++i) {
    events.push_back({{"op", "malloc"}, {"tid", i % 2}, {"id", 2 * i}, {"size", 65536}});
    events.push_back({{"op", "malloc"}, {"tid", i % 2}, {"id", 2 * i + 1}, {"size", 100}});
    if (i % 2) events.push_back({{"op", "free"}, {"tid", i % 2}, {"id", 2 * i}});
  }
  return WriteTrace("collecting.json", events);
}

TEST(ReportDoc, GoRuntimeReplayMatchesTheDoc) {
  for (const char* mode : {"sim", "parallel"}) {
    json report = ReportOf({"replay", CollectingTrace(), "--allocator", "go-runtime", "--mode",
                            mode, "--gogc", "10", "--timeline", "200"});
    CheckAgainstDoc(report, DocFields("Replay report fields"), "go-runtime",
                    std::string("go-runtime ") + mode);
  }
}

TEST(ReportDoc, GoGcModeReplayMatchesTheDoc) {
  json report = ReportOf({"replay", CollectingTrace(), "--gogc", "10", "--timeline", "200"});
  EXPECT_EQ(report["replay"]["mode"], "sim");
  EXPECT_GT(report["gc"]["cycle_log"].size(), 0u);
  CheckAgainstDoc(report, DocFields("Replay report fields"), "go-gc", "go in GC mode");
}

TEST(ReportDoc, CompareMatchesTheDoc) {
  json report = ReportOf({"compare", EveryKindTrace(), "--allocators", "go,glibc"});
  CheckAgainstDoc(report, DocFields("Compare report fields"), "all", "compare", {"trace", "runs"});
  std::vector<Field> trace_fields;
  for (const Field& f : DocFields("Replay report fields")) {
    if (f.path.rfind("trace.", 0) == 0)
      trace_fields.push_back({f.path.substr(6), f.type, f.backends, f.varies});
  }
  CheckAgainstDoc(report["trace"], trace_fields, "go", "compare trace");
  ASSERT_EQ(report["runs"].size(), 3u);  // go sim, go parallel, glibc parallel
  for (const json& run : report["runs"]) {
    CheckAgainstDoc(run, DocFields("Replay report fields"), run["replay"]["allocator"],
                    "compare run " + run["replay"]["allocator"].get<std::string>());
  }
}

// A corpus of two traces and one that cannot be read, so that `not_replayed` has an entry
// (the command exits 2, having written the report).
TEST(ReportDoc, CorpusMatchesTheDoc) {
  const std::string bad = WriteTrace("bad.json", {{{"op", "free"}}});
  const std::string json_path = TempPath("corpus.json");
  ToolRun r = RunTool({"compare", EveryKindTrace(), Runfile("traces/sample.json"), bad,
                       "--allocators", "go,glibc", "--quiet", "--json", json_path});
  EXPECT_EQ(r.status, 2) << r.err;
  json report = json::parse(ReadFile(json_path));
  EXPECT_EQ(report["schema"], "goalloc-compare/1");
  CheckAgainstDoc(report, DocFields("Corpus report fields"), "all", "corpus", {"traces[].report"});
  ASSERT_EQ(report["traces"].size(), 2u);
  EXPECT_EQ(report["traces"][0]["report"]["schema"], "goalloc-report/1");
  ASSERT_EQ(report["not_replayed"].size(), 1u);
  EXPECT_EQ(report["not_replayed"][0]["trace"], bad);
}

// In GC mode, the summary's go columns carry their collector's figures.
TEST(ReportDoc, GcModeCorpusMatchesTheDoc) {
  json report = ReportOf(
      {"compare", CollectingTrace(), EveryKindTrace(), "--allocators", "go,glibc", "--gogc", "10"});
  EXPECT_TRUE(report["summary"][0]["columns"][0]["gc"].is_object());
  std::vector<Field> summary_fields;
  for (const Field& f : DocFields("Corpus report fields")) {
    if (f.path.rfind("summary", 0) == 0) summary_fields.push_back(f);
  }
  CheckAgainstDoc({{"summary", report["summary"]}}, summary_fields, "go-gc",
                  "corpus summary in GC mode");
}

}  // namespace
}  // namespace goalloc::report_e2e
