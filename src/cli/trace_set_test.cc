// A corpus's traces: directories expanded recursively and sorted, documentation, build files
// and reports left out, content hashes of the bytes, and clear errors.
#include "src/cli/trace_set.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "src/cli/commands.h"

namespace goalloc::cli {
namespace {

namespace fs = std::filesystem;

class TraceSet : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "real");
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::string Error(const std::vector<std::string>& args) {
    try {
      ExpandTraces(args);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "no error";
  }
  fs::path dir_;
};

TEST_F(TraceSet, DirectoriesAreTheirTracesSorted) {
  Write("b.json", "{\"format\": \"goalloc-trace\"}");
  Write("a.gat", "GAT");
  Write("real/c.gat.zst", "zst");
  for (const char* skipped : {"README.md", "notes.txt", "BUILD", "rules.bzl"}) Write(skipped, "");
  Write("baseline.json", "{\n  \"schema\": \"goalloc-compare/1\",\n  \"summary\": []}");
  std::vector<TraceFile> files = ExpandTraces({dir_.string()});
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].path, (dir_ / "a.gat").string());
  EXPECT_EQ(files[1].path, (dir_ / "b.json").string());
  EXPECT_EQ(files[2].path, (dir_ / "real" / "c.gat.zst").string());
  EXPECT_EQ(files[0].bytes, 3u);
  // FNV-1a 64 of "GAT", as report::ContentHash computes it.
  EXPECT_EQ(files[0].content_hash.rfind("fnv1a64:", 0), 0u);
  EXPECT_NE(files[0].content_hash, files[2].content_hash);
}

TEST_F(TraceSet, FilesAsGiven) {
  const std::string b = Write("b.json", "x"), a = Write("a.json", "x");
  std::vector<TraceFile> files = ExpandTraces({b, a});
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].path, b);  // the order given
  EXPECT_EQ(files[0].content_hash, files[1].content_hash);
}

TEST_F(TraceSet, Errors) {
  const std::string a = Write("a.json", "x");
  EXPECT_EQ(Error({(dir_ / "none.json").string()}),
            (dir_ / "none.json").string() + ": no such file or directory");
  EXPECT_EQ(Error({(dir_ / "real").string()}),
            (dir_ / "real").string() + ": a directory with no trace");
  EXPECT_EQ(Error({"-"}), "compare of several traces cannot read one from stdin");
  EXPECT_EQ(Error({a, dir_.string()}), a + " is named twice");
  EXPECT_EQ(Error({a, (dir_ / "real" / ".." / "a.json").string()}),
            a + " and " + (dir_ / "real" / ".." / "a.json").string() + " are the same file");
}

}  // namespace
}  // namespace goalloc::cli
