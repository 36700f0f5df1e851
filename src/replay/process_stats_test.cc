// The kernel's figures the replay relies on: RSS follows touched memory, and VmHWM can be
// reset so that decoding's peak does not count as the replay's.
#include "src/replay/process_stats.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstring>

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

TEST(ProcessStats, Clocks) {
  const double wall = WallSeconds(), cpu = CpuSeconds();
  volatile uint64_t x = 0;
  for (int i = 0; i < 20'000'000; ++i) x = x + uint64_t(i);
  EXPECT_GT(WallSeconds(), wall);
  EXPECT_GT(CpuSeconds(), cpu);
}

}  // namespace
}  // namespace goalloc::replay
