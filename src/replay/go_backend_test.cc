// The go backend's calloc clearing: every byte ends zero, and pages the OS has not backed
// stay unbacked (as Go's needzero skips fresh memory), so calloc costs no resident memory
// that glibc's would not.
#include "src/replay/go_backend.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <vector>

namespace goalloc::replay {
namespace {

TEST(GoBackend, ClearObjectZeroesAndLeavesFreshPagesAlone) {
  constexpr uint64_t kPages = 256, kPage = 4096, kBytes = kPages * kPage;
  auto* p = static_cast<unsigned char*>(
      ::mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(p, MAP_FAILED);
  for (uint64_t page = 0; page < kPages; page += 3) p[page * kPage + 17] = 0xab;  // dirty
  const uint64_t from = 100, to = kBytes - 100;
  GoBackend::ClearObject(p + from, to - from);
  for (uint64_t i = from; i < to; ++i) ASSERT_EQ(p[i], 0) << i;
  std::vector<unsigned char> resident(kPages);
  ASSERT_EQ(::mincore(p, kBytes, resident.data()), 0);
  uint64_t backed = 0;
  for (unsigned char r : resident) backed += r & 1;
  // The dirty pages (every third) plus at most the two partial end pages; on a machine with
  // swap everything is cleared, and every page is backed.
  EXPECT_TRUE(backed <= kPages / 3 + 3 || backed == kPages) << backed;
  ::munmap(p, kBytes);
}

// Runs of resident pages are cleared whole (one memset per run): runs of four dirty pages
// between gaps of three, one of them across the 1,024-page window of a mincore call, and
// the object ending inside a run.
TEST(GoBackend, ClearObjectZeroesRunsOfResidentPages) {
  constexpr uint64_t kPages = 1100, kPage = 4096, kBytes = kPages * kPage;
  auto* p = static_cast<unsigned char*>(
      ::mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(p, MAP_FAILED);
  auto dirty = [](uint64_t page) { return page % 7 < 4 || (page >= 1020 && page < 1030); };
  for (uint64_t page = 0; page < kPages; ++page) {
    if (dirty(page)) {
      for (uint64_t i = 0; i < kPage; i += 512) p[page * kPage + i] = 0xcd;
    }
  }
  const uint64_t from = 5000, to = 1099 * kPage + 123;  // page 1099 is dirty (1099 % 7 == 0)
  GoBackend::ClearObject(p + from, to - from);
  for (uint64_t i = from; i < to; ++i) ASSERT_EQ(p[i], 0) << i;
  // Outside the object nothing is cleared, in the partial pages at both ends.
  EXPECT_EQ(p[kPage + 512], 0xcd);
  EXPECT_EQ(p[1099 * kPage + 512], 0xcd);
  ::munmap(p, kBytes);
}

}  // namespace
}  // namespace goalloc::replay
