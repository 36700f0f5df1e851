// Resolving output paths: symlinks followed to their final target (dangling ones to the file
// they would create), streams and devices recognised, unusable paths refused up front.
#include "src/trace/output_target.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace goalloc::trace {
namespace {

namespace fs = std::filesystem;
using Kind = OutputTarget::Kind;

// A fresh directory with symlinks resolved, as ResolveOutputTarget reports paths.
fs::path FreshDir(const std::string& name) {
  fs::path dir = fs::path(::testing::TempDir()) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return fs::canonical(dir);
}

std::string ErrorOf(const std::string& path) {
  try {
    ResolveOutputTarget(path);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(OutputTarget, FollowsEveryLinkToTheFinalFile) {
  const fs::path dir = FreshDir("output_target_links");
  fs::create_directories(dir / "sub");
  fs::create_directories(dir / "other");
  std::FILE* f = std::fopen((dir / "other/real.json").c_str(), "w");
  std::fclose(f);
  // link1 -> sub/link2 -> ../other/real.json (relative to sub/, where link2 lives)
  fs::create_symlink("sub/link2", dir / "link1");
  fs::create_symlink("../other/real.json", dir / "sub/link2");
  OutputTarget t = ResolveOutputTarget((dir / "link1").string());
  EXPECT_EQ(t.kind, Kind::kFile);
  EXPECT_EQ(t.path, (dir / "other/real.json").string());
  EXPECT_TRUE(t.exists);
}

TEST(OutputTarget, ADanglingLinkNamesTheFileItWouldCreate) {
  const fs::path dir = FreshDir("output_target_dangling");
  fs::create_directories(dir / "elsewhere");
  fs::create_symlink(dir / "elsewhere/new.json", dir / "link.json");
  OutputTarget t = ResolveOutputTarget((dir / "link.json").string());
  EXPECT_EQ(t.kind, Kind::kFile);
  EXPECT_EQ(t.path, (dir / "elsewhere/new.json").string());
  EXPECT_FALSE(t.exists);
}

TEST(OutputTarget, ARelativeNewFileIsMadeAbsolute) {
  const fs::path dir = FreshDir("output_target_relative");
  const fs::path old = fs::current_path();
  fs::current_path(dir);
  OutputTarget t = ResolveOutputTarget("report.json");
  fs::current_path(old);
  EXPECT_EQ(t.path, (dir / "report.json").string());
}

TEST(OutputTarget, StreamsAndDevices) {
  EXPECT_EQ(ResolveOutputTarget("-").kind, Kind::kStream);
  EXPECT_EQ(ResolveOutputTarget("-").stream_fd, STDOUT_FILENO);
  OutputTarget null = ResolveOutputTarget("/dev/null");
  EXPECT_EQ(null.kind, Kind::kInPlace);
  EXPECT_EQ(null.path, "/dev/null");
  EXPECT_FALSE(SameDestination(null, ResolveOutputTarget("/dev/null")));
}

// With stdout redirected to a file or a pipe, a path that leads there is stdout: written
// through it, neither replaced nor truncated.
TEST(OutputTarget, APathToWhereStdoutGoesIsStdout) {
  const fs::path dir = FreshDir("output_target_stdout");
  const int file = open((dir / "out.txt").c_str(), O_WRONLY | O_CREAT, 0644);
  int pipe_fds[2];
  ASSERT_GE(file, 0);
  ASSERT_EQ(pipe(pipe_fds), 0);
  fs::create_symlink("/proc/self/fd/1", dir / "stdout-link");
  const int saved = dup(STDOUT_FILENO);
  for (int redirect : {file, pipe_fds[1]}) {
    std::fflush(stdout);
    dup2(redirect, STDOUT_FILENO);
    const OutputTarget link = ResolveOutputTarget((dir / "stdout-link").string());
    const OutputTarget by_name = ResolveOutputTarget((dir / "out.txt").string());
    dup2(saved, STDOUT_FILENO);
    EXPECT_EQ(link.kind, Kind::kStream);
    EXPECT_EQ(link.stream_fd, STDOUT_FILENO);
    EXPECT_TRUE(SameDestination(link, ResolveOutputTarget("-")));
    EXPECT_EQ(by_name.kind, redirect == file ? Kind::kStream : Kind::kFile);
  }
  for (int fd : {saved, file, pipe_fds[0], pipe_fds[1]}) close(fd);
}

TEST(OutputTarget, SameDestinationComparesFilesNotSpellings) {
  const fs::path dir = FreshDir("output_target_same");
  std::FILE* f = std::fopen((dir / "a.json").c_str(), "w");
  std::fclose(f);
  fs::create_hard_link(dir / "a.json", dir / "hard.json");
  fs::create_symlink("a.json", dir / "soft.json");
  const OutputTarget a = ResolveOutputTarget((dir / "a.json").string());
  EXPECT_TRUE(SameDestination(a, ResolveOutputTarget((dir / "hard.json").string())));
  EXPECT_TRUE(SameDestination(a, ResolveOutputTarget((dir / "soft.json").string())));
  EXPECT_TRUE(SameDestination(ResolveOutputTarget((dir / "new.json").string()),
                              ResolveOutputTarget((dir / "./new.json").string())));
  EXPECT_FALSE(SameDestination(a, ResolveOutputTarget((dir / "new.json").string())));
}

TEST(OutputTarget, UnusablePathsAreRefusedNamingWhy) {
  const fs::path dir = FreshDir("output_target_bad");
  fs::create_symlink("loop2", dir / "loop1");
  fs::create_symlink("loop1", dir / "loop2");
  fs::create_symlink(dir / "missing/r.json", dir / "into-missing");
  struct Case {
    std::string path, says;
  } cases[] = {
      {"/nonexistent-dir/r.json", "no directory /nonexistent-dir"},
      {(dir / "into-missing").string(), "no directory " + (dir / "missing").string()},
      {dir.string(), "Is a directory"},
      {(dir / "..").string(), "Is a directory"},
      {(dir / "loop1").string(), "Too many levels of symbolic links"},
  };
  for (const Case& c : cases) {
    const std::string error = ErrorOf(c.path);
    EXPECT_NE(error.find(c.path), std::string::npos) << c.path << ": " << error;
    EXPECT_NE(error.find(c.says), std::string::npos) << c.path << ": " << error;
  }
}

}  // namespace
}  // namespace goalloc::trace
