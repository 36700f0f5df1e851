// `--size-classes FILE` as a user runs it: Go's own table read from a file replays exactly as
// the built-in one; a tuned table changes the rounding; a malformed one is exit 2 naming the
// line.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/report_e2e/e2e_util.h"

namespace goalloc::report_e2e {
namespace {

using nlohmann::json;

std::string WriteText(const std::string& name, const std::string& text) {
  const std::string path = TempPath(name);
  std::ofstream(path) << text;
  return path;
}

json WithoutVaryingFields(json report) {
  for (const Field& f : DocFields("Replay report fields")) {
    if (f.varies) ForEachMatch(report, f.path, [](json& node) { node = nullptr; });
  }
  report["replay"]["size_classes"] = nullptr;
  return report;
}

TEST(SizeClassesE2e, GoTableFromAFileReplaysAsTheBuiltIn) {
  ToolRun table = RunTool({"sizeclasses"});
  ASSERT_EQ(table.status, 0) << table.err;
  const std::string file = WriteText("go.tsv", table.out);
  const std::string trace = Runfile("traces/sample.json");
  json builtin = ReportOf({"replay", trace, "--mode", "sim", "--timeline", "50"});
  json from_file =
      ReportOf({"replay", trace, "--mode", "sim", "--timeline", "50", "--size-classes", file});
  EXPECT_EQ(builtin["replay"]["size_classes"], "go");
  EXPECT_EQ(from_file["replay"]["size_classes"].get<std::string>().rfind(file + " (fnv1a64 ", 0),
            0u);
  EXPECT_EQ(WithoutVaryingFields(builtin).dump(1), WithoutVaryingFields(from_file).dump(1));
  // The text and HTML reports name the table too.
  ToolRun text = RunTool({"replay", trace, "--mode", "sim", "--size-classes", file, "--quiet"});
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_NE(text.out.find("  classes  " + file), std::string::npos) << text.out;  // then wrapped
  ToolRun html =
      RunTool({"replay", trace, "--mode", "sim", "--size-classes", file, "--quiet", "--html", "-"});
  ASSERT_EQ(html.status, 0) << html.err;
  EXPECT_NE(html.out.find("size classes</td><td>" + file + " (fnv1a64 "), std::string::npos);
}

TEST(SizeClassesE2e, ATableOfItsOwnRoundsToItsClasses) {
  json events = json::array();
  for (int i = 0; i < 10; ++i) {
    events.push_back({{"op", "malloc"}, {"tid", 0}, {"id", i}, {"size", 100}});
  }
  const std::string trace = WriteTrace("hundreds.json", events);
  const std::string file = WriteText("t.tsv", "class bytes\n1 8\n2 16\n3 112\n");
  json r = ReportOf({"replay", trace, "--mode", "sim", "--size-classes", file});
  EXPECT_EQ(r["heap"]["at_peak_live"]["rounding"], 10 * 12);
  json go = ReportOf({"replay", trace, "--mode", "sim"});
  EXPECT_EQ(go["heap"]["at_peak_live"]["rounding"], 10 * 12);  // Go's 112 B class too
}

TEST(SizeClassesE2e, MalformedTablesAreExit2NamingTheLine) {
  const std::string trace = Runfile("traces/sample.json");
  struct Case {
    std::string text, message;
  };
  for (const Case& c : std::vector<Case>{
           {"1 8\n2 16\n3 48\n4 32\n", ":4: 32 B is not larger than the class before it"},
           {"1 8\n2 16\n3 40\n", ":3: 40 B is not a multiple of 16"},
           {"1 8\n2 16\n3 64 0\n", ":3: 0 pages per span"},
           {"1 8\n2 16\n3 40960\n", ":3: 40960 B is over the largest, 32768 B"},
           {"", ":1: no size classes"},
           {std::string("\x7f"
                        "ELF\x02\x01\x01\0\0\0",
                        10),
            ":1: binary data"}}) {
    const std::string file = WriteText("bad.tsv", c.text);
    for (const char* command : {"replay", "compare"}) {
      ToolRun run = RunTool({command, trace, "--size-classes", file, "--allocators", "go"});
      if (std::string(command) == "replay") {
        run = RunTool({command, trace, "--size-classes", file});
      }
      EXPECT_EQ(run.status, 2) << command << " " << c.message;
      EXPECT_NE(run.err.find("error: " + file + c.message), std::string::npos)
          << command << ": " << run.err;
    }
  }
  std::string many = "1 8\n2 16\n";
  for (int c = 3; c <= 128; ++c) many += std::to_string(c) + " " + std::to_string(16 * c) + "\n";
  ToolRun run = RunTool({"replay", trace, "--size-classes", WriteText("many.tsv", many)});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find(":128: 128 classes: at most 127"), std::string::npos) << run.err;
  run = RunTool({"replay", trace, "--allocator", "glibc", "--size-classes", "x.tsv"});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("--size-classes applies to the go allocator"), std::string::npos);
}

TEST(SizeClassesE2e, CompareTakesATablePerGoColumn) {
  ToolRun table = RunTool({"sizeclasses"});
  ASSERT_EQ(table.status, 0) << table.err;
  const std::string file = WriteText("go-compare.tsv", table.out);
  const std::string trace = Runfile("traces/sample.json");
  json c = ReportOf(
      {"compare", trace, "--mode", "sim", "--allocators", "go,go@" + file, "--timeline", "20"});
  const json& rows = c["compare"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["allocator"], "go");
  EXPECT_EQ(rows[0]["size_classes"], "go");
  EXPECT_EQ(rows[1]["allocator"], "go@" + file);
  EXPECT_EQ(rows[1]["size_classes"].get<std::string>().rfind(file + " (fnv1a64 ", 0), 0u);
  EXPECT_EQ(rows[0]["peak_footprint_bytes"], rows[1]["peak_footprint_bytes"]);
  EXPECT_EQ(rows[0]["frag_peak_to_peak"], rows[1]["frag_peak_to_peak"]);
  for (const std::string& list :
       {"go,glibc@" + file, std::string("go@"), "go,go@" + TempPath("no.tsv")}) {
    ToolRun run = RunTool({"compare", trace, "--allocators", list});
    EXPECT_EQ(run.status, 2) << list << ": " << run.err;
    EXPECT_EQ(run.err.rfind("error: ", 0), 0u) << run.err;
  }
}

TEST(SizeClassesE2e, TuneClassesWritesATableThatReplays) {
  const std::string trace = Runfile("traces/sample.json");
  const std::string file = TempPath("tuned.tsv");
  ToolRun run = RunTool({"tune-classes", trace, "-o", file, "--classes", "20"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("Checks  passed"), std::string::npos) << run.out;
  const std::string text = ReadFile(file);
  EXPECT_EQ(text.rfind("# goalloc-replay tune-classes: objective peak", 0), 0u) << text;
  EXPECT_NE(text.find("# trace " + trace + " (weight 1)"), std::string::npos) << text;
  ToolRun table = RunTool({"sizeclasses", "--size-classes", file, "--json"});
  ASSERT_EQ(table.status, 0) << table.err;
  const json classes = json::parse(table.out)["classes"];
  EXPECT_LE(classes.size(), 20u);
  EXPECT_EQ(classes[0]["object_size"], 8);
  EXPECT_EQ(classes[1]["object_size"], 16);
  json r = ReportOf({"replay", trace, "--mode", "sim", "--size-classes", file});
  EXPECT_NE(r["replay"]["size_classes"].get<std::string>().find(file), std::string::npos);
  ToolRun compare = RunTool({"sizeclasses", "--compare", file});
  ASSERT_EQ(compare.status, 0) << compare.err;
  EXPECT_NE(compare.out.find("# left: Go's table; right: " + file), std::string::npos);
}

TEST(SizeClassesE2e, TuneClassesObjectivePagesAndWeights) {
  const std::string trace = Runfile("traces/sample.json");
  const std::string file = TempPath("alloc.tsv");
  ToolRun run = RunTool({"tune-classes", trace, "-o", file, "--objective", "alloc", "--pages",
                         "go-rule", "--weights", "2"});
  ASSERT_EQ(run.status, 0) << run.err;
  const std::string text = ReadFile(file);
  EXPECT_NE(text.find("objective alloc (every allocation)"), std::string::npos) << text;
  EXPECT_NE(text.find("pages go-rule"), std::string::npos) << text;
  EXPECT_NE(text.find("(weight 2)"), std::string::npos) << text;
  EXPECT_NE(run.out.find("Predicted waste (every allocation at once"), std::string::npos);
}

TEST(SizeClassesE2e, TuneClassesRefusesBadOptions) {
  const std::string trace = Runfile("traces/sample.json");
  const std::string file = TempPath("never.tsv");
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"tune-classes", trace, "-o", file, "--classes", "2"},
           {"tune-classes", trace, "-o", file, "--classes", "128"},
           {"tune-classes", trace, "-o", file, "--weights", "1,2"},
           {"tune-classes", trace, "-o", file, "--weights", "0"},
           {"tune-classes", trace, "-o", file, "--objective", "mean"},
           {"tune-classes", trace, "-o", trace},
           {"tune-classes", TempPath("missing.json"), "-o", file}}) {
    ToolRun run = RunTool(args);
    EXPECT_EQ(run.status, 2) << args.back() << ": " << run.err;
    EXPECT_EQ(run.err.rfind("error: ", 0), 0u) << run.err;
  }
  EXPECT_FALSE(std::ifstream(file).good());
}

}  // namespace
}  // namespace goalloc::report_e2e
