// Atomic report files: complete content, replaced in one step, no temporary left behind;
// devices and FIFOs written in place, never replaced.
#include "src/report/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace goalloc::report {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t EntriesIn(const fs::path& dir) {
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  return entries;
}

TEST(AtomicFile, WritesAndReplaces) {
  fs::path dir = fs::path(::testing::TempDir()) / "atomic_file_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path file = dir / "report.json";
  WriteFileAtomically(file.string(), "first");
  EXPECT_EQ(Slurp(file), "first");
  WriteFileAtomically(file.string(), std::string(100000, 'x'));
  EXPECT_EQ(Slurp(file), std::string(100000, 'x'));
  EXPECT_EQ(EntriesIn(dir), 1u);  // the temporary file was renamed, not left beside it
}

// `--json /dev/null` must not replace /dev/null with a file (as root, a rename would).
TEST(AtomicFile, WritesADeviceInPlace) {
  WriteFileAtomically("/dev/null", "discarded");
  struct stat st;
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(AtomicFile, WritesAFifoInPlace) {
  fs::path dir = fs::path(::testing::TempDir()) / "atomic_file_fifo";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path fifo = dir / "report.fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = Slurp(fifo); });
  WriteFileAtomically(fifo.string(), "through the pipe");
  reader.join();
  EXPECT_EQ(got, "through the pipe");
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(EntriesIn(dir), 1u);  // no temporary file beside it
}

// A symlink stays a link: its final target, in another directory, is what is replaced, and
// the temporary file lived beside the target (nothing is left in either directory).
TEST(AtomicFile, ReplacesTheTargetOfASymlinkNotTheLink) {
  const fs::path dir = fs::path(::testing::TempDir()) / "atomic_file_symlink";
  fs::remove_all(dir);
  fs::create_directories(dir / "links");
  fs::create_directories(dir / "targets");
  WriteFileAtomically((dir / "targets/report.json").string(), "old");
  fs::create_symlink("../targets/report.json", dir / "links/report.json");
  fs::create_symlink("../targets/new.json", dir / "links/dangling.json");
  WriteFileAtomically((dir / "links/report.json").string(), "new");
  WriteFileAtomically((dir / "links/dangling.json").string(), "created");
  EXPECT_TRUE(fs::is_symlink(dir / "links/report.json"));
  EXPECT_TRUE(fs::is_symlink(dir / "links/dangling.json"));
  EXPECT_EQ(Slurp(dir / "targets/report.json"), "new");
  EXPECT_EQ(Slurp(dir / "targets/new.json"), "created");
  EXPECT_EQ(EntriesIn(dir / "links"), 2u);
  EXPECT_EQ(EntriesIn(dir / "targets"), 2u);
}

TEST(AtomicFile, MissingDirectoryIsAnErrorNamingThePath) {
  try {
    WriteFileAtomically("/nonexistent-dir/report.json", "x");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/report.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace goalloc::report
