// The kernel's figures the replay relies on: RSS follows touched memory, VmHWM can be reset
// so that decoding's peak does not count as the replay's, and a thread's CPU clock counts
// that thread alone.
#include "src/replay/process_stats.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstring>
#include <thread>

namespace goalloc::replay {
namespace {

constexpr uint64_t kBytes = 64 << 20;

TEST(ProcessStats, PeakResidentResets) {
  const uint64_t before = ResidentBytes();
  void* p = ::mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  std::memset(p, 1, kBytes);
  EXPECT_GE(ResidentBytes(), before + kBytes * 9 / 10);
  ::munmap(p, kBytes);
  EXPECT_GE(PeakResidentBytes(), before + kBytes * 9 / 10);
  ASSERT_TRUE(ResetPeakResident());
  EXPECT_LT(PeakResidentBytes(), ResidentBytes() + kBytes / 2);
}

// Spins for about `seconds` of the calling thread's CPU time.
void Work(double seconds) {
  const double end = ThreadCpuSeconds() + seconds;
  volatile uint64_t x = 0;
  while (ThreadCpuSeconds() < end) {
    for (int i = 0; i < 100'000; ++i) x = x + uint64_t(i);
  }
}

TEST(ProcessStats, Clocks) {
  const double wall = WallSeconds(), cpu = ThreadCpuSeconds();
  Work(0.02);
  EXPECT_GT(WallSeconds(), wall + 0.019);
  EXPECT_GT(ThreadCpuSeconds(), cpu + 0.019);
}

// A thread's CPU clock counts that thread only: the replay threads' own times must not
// include the progress display's, nor each other's.
TEST(ProcessStats, ThreadCpuCountsTheCallingThreadOnly) {
  const double cpu = ThreadCpuSeconds();
  std::thread other([] { Work(0.1); });
  other.join();  // blocked meanwhile
  EXPECT_LT(ThreadCpuSeconds() - cpu, 0.05);
}

}  // namespace
}  // namespace goalloc::replay
