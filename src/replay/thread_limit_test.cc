// The cap on parallel mode's OS threads, from given machine limits.
#include "src/replay/thread_limit.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace goalloc::replay {
namespace {

TEST(ThreadLimit, CapIsTheLowestBound) {
  EXPECT_EQ(ParallelThreadCap({}), kMaxParallelThreads);
  EXPECT_EQ(ParallelThreadCap({.max_map_count = 65530}), kMaxParallelThreads);
  EXPECT_EQ(ParallelThreadCap({.max_map_count = 2000}), 500u);
  EXPECT_EQ(ParallelThreadCap({.max_map_count = 65530, .threads_max = 800, .nproc = 1000}), 200u);
  EXPECT_EQ(ParallelThreadCap({.nproc = 1}), 1u);  // never 0
  EXPECT_EQ(DescribeThreadCap({.max_map_count = 2000, .nproc = 900}),
            "the lowest of 1024, vm.max_map_count / 4 = 500, RLIMIT_NPROC / 2 = 450");
}

TEST(ThreadLimit, ReplayThreads) {
  const ThreadLimits limits{.max_map_count = 400};  // cap 100
  EXPECT_EQ(ReplayThreads(0, 0, true, limits), 1u);
  EXPECT_EQ(ReplayThreads(0, 7, true, limits), 7u);
  EXPECT_EQ(ReplayThreads(3, 7, true, limits), 3u);
  EXPECT_EQ(ReplayThreads(100, 7, true, limits), 100u);
  EXPECT_EQ(ReplayThreads(0, 40000, true, limits), 100u);     // the trace's count is capped
  EXPECT_EQ(ReplayThreads(0, 40000, false, limits), 40000u);  // sim: one OS thread
  EXPECT_EQ(ReplayThreads(40000, 7, false, limits), 40000u);
  try {
    ReplayThreads(101, 7, true, limits);
    FAIL() << "an explicit request over the cap was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "--threads 101 needs 101 OS threads in parallel mode, and this machine allows 100 "
              "(the lowest of 1024, vm.max_map_count / 4 = 100): pass --threads 100 or fewer, "
              "or --mode sim");
  }
}

}  // namespace
}  // namespace goalloc::replay
