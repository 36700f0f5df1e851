// The replay child calls the malloc family only for the trace's objects between the
// baseline reading and the end of the replay (issue #16): with a counting interposer
// preloaded before each installed system allocator, in both modes, the calls counted in the
// replay's window equal the trace's allocation and free events exactly, function by function
// (SystemBackend: aligned_alloc goes through posix_memalign; a realloc to 0 bytes frees the
// object and mallocs a new one of 0 bytes).
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "src/replay/allocators.h"
#include "src/replay/prepared_trace.h"
#include "src/replay/replay.h"
#include "src/replay/replay_child.h"

namespace goalloc::replay {
namespace {

constexpr const char* kBinary = "src/cli/goalloc-replay";
constexpr const char* kInterposer = "tests/clean_heap_e2e/libcounting_interposer.so";

using Counts = std::map<std::string, uint64_t>;

// What the replay must call for the trace's events.
Counts Expected(const PreparedTrace& trace) {
  Counts c = {{"malloc", 0},   {"calloc", 0},        {"realloc", 0},
              {"free", 0},     {"aligned_alloc", 0}, {"posix_memalign", 0},
              {"memalign", 0}, {"valloc", 0},        {"pvalloc", 0}};
  const auto begin_sizes = trace.begin_sizes();
  size_t begun = 0;
  for (const ReplayEvent& e : trace.events()) {
    const uint64_t size = BeginsObject(e.op) ? begin_sizes[begun++] : 0;
    switch (e.op) {
      case trace::Op::kMalloc:
        ++c["malloc"];
        break;
      case trace::Op::kCalloc:
        ++c["calloc"];
        break;
      case trace::Op::kAlignedAlloc:
        ++c["posix_memalign"];
        break;
      case trace::Op::kFree:
        ++c["free"];
        break;
      case trace::Op::kRealloc:
        if (size == 0) {
          ++c["free"];
          ++c["malloc"];
        } else {
          ++c["realloc"];
        }
        break;
    }
  }
  return c;
}

// The interposer's line: "name count name count ...".
Counts Parse(const std::string& line) {
  Counts c;
  std::istringstream in(line);
  std::string name;
  uint64_t n = 0;
  while (in >> name >> n) c[name] = n;
  return c;
}

TEST(CleanHeap, OnlyTheTracesObjectsComeFromTheAllocatorDuringTheReplay) {
  const std::string interposer = std::filesystem::absolute(kInterposer).string();
  const std::string counts_file =
      (std::filesystem::path(::getenv("TEST_TMPDIR")) / "counts.txt").string();
  for (const char* path : {"traces/sample.json", "traces/real/git-grep.gat.zst"}) {
    auto trace = DecodeTrace(path, {});
    const Counts expected = Expected(*trace);
    for (const Allocator allocator : InstalledAllocators()) {
      if (allocator.where() == Where::kInProcess) continue;
      for (const char* mode : {"sim", "parallel"}) {
        SCOPED_TRACE(fmt::format("{} on {} ({})", path, allocator.name(), mode));
        std::filesystem::remove(counts_file);
        ::setenv("GOALLOC_COUNT_FILE", counts_file.c_str(), 1);
        const ReplayResult r =
            ReplayInChild(*trace, {.allocator = allocator, .mode = mode, .timeline_samples = 100},
                          std::string(allocator.library()), kBinary, interposer);
        ::unsetenv("GOALLOC_COUNT_FILE");
        EXPECT_EQ(r.at_end.live, trace->summary().final_live_bytes);
        std::ifstream in(counts_file);
        std::string line;
        ASSERT_TRUE(std::getline(in, line)) << "the interposer wrote no counts";
        fmt::print("{} on {} ({}): {}\n", path, allocator.name(), mode, line);
        EXPECT_EQ(Parse(line), expected) << line;
        EXPECT_FALSE(std::getline(in, line)) << "more than one replay window: " << line;
      }
    }
  }
}

}  // namespace
}  // namespace goalloc::replay
