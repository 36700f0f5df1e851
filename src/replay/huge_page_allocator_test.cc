// The replay's array allocators: big buffers huge-page aligned, small ones page aligned,
// both usable as ordinary vectors, and none of them from malloc (which the replay child
// leaves to the trace's objects).
#include "src/replay/huge_page_allocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>

namespace goalloc::replay {
namespace {

TEST(HugePageAllocator, BigBuffersAreHugePageAlignedAndUsable) {
  HugeVector<uint64_t> v(3 * kHugePage / sizeof(uint64_t) + 5);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePage, 0u);
  std::iota(v.begin(), v.end(), 0);
  v.push_back(7);  // grows into a new mapping; contents move with it
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePage, 0u);
  EXPECT_EQ(v[12345], 12345u);
  EXPECT_EQ(v.back(), 7u);
}

TEST(HugePageAllocator, SmallBuffersArePageAligned) {
  for (size_t n : {1, 3, 100, 10000}) {
    HugeVector<char> v(n, 'x');
    EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % 4096, 0u) << n;
    EXPECT_EQ(v[n - 1], 'x');
  }
}

// Every size on pages of its own (glibc's malloc never returns a page-aligned small block:
// its chunk header comes first).
TEST(PageAllocator, EverySizeIsMappedOnWholePages) {
  for (size_t n : {size_t{1}, size_t{1000}, kHugePage / sizeof(uint32_t) + 1}) {
    PageVector<uint32_t> v(n);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % 4096, 0u) << n;
    std::iota(v.begin(), v.end(), 0u);
    v.push_back(9);  // grows into a new mapping; contents move with it
    EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % 4096, 0u) << n;
    EXPECT_EQ(v[n - 1], n - 1);
    EXPECT_EQ(v.back(), 9u);
  }
}

}  // namespace
}  // namespace goalloc::replay
