// Touch and the checks of --verify that read what it wrote (touch_pattern.h): every page of an
// object gets a byte, the checks accept exactly what Touch wrote, and they notice a change
// to any written byte.
#include "src/replay/touch_pattern.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

namespace goalloc::replay {
namespace {

constexpr uint64_t kSizes[] = {1,
                               2,
                               63,
                               64,
                               4095,
                               4096,
                               4097,
                               8191,
                               8192,
                               8193,
                               12 * 1024,
                               64 * 4096 - 1,
                               64 * 4096,
                               65 * 4096 + 70,
                               300 * 1024 + 5,
                               1 << 20};

// The offsets Touch wrote: the bytes that differ from a zeroed buffer.
std::vector<uint64_t> Written(const std::vector<uint8_t>& mem) {
  std::vector<uint64_t> out;
  for (uint64_t i = 0; i < mem.size(); ++i) {
    if (mem[i] != 0) out.push_back(i);
  }
  return out;
}

TEST(Touch, WritesEveryPageAndBothEnds) {
  for (uint64_t size : kSizes) {
    SCOPED_TRACE(fmt::format("size {}", size));
    std::vector<uint8_t> mem(size, 0);
    Touch(mem.data(), size, 7);
    const std::vector<uint64_t> written = Written(mem);
    ASSERT_FALSE(written.empty());
    EXPECT_EQ(written.front(), 0u);
    EXPECT_EQ(written.back(), size - 1);
    std::vector<bool> page_written((size + kTouchStride - 1) / kTouchStride, false);
    for (uint64_t off : written) page_written[off / kTouchStride] = true;
    for (uint64_t page = 0; page < page_written.size(); ++page) {
      EXPECT_TRUE(page_written[page]) << "page " << page;
    }
    // One byte per page, plus the last; the bytes of pages 1..63 (but the last byte) each
    // on a different line of their page.
    EXPECT_LE(written.size(), page_written.size() + 1);
    std::set<uint64_t> lines;
    uint64_t staggered = 0;
    for (uint64_t off : written) {
      if (off / kTouchStride == 0 || off / kTouchStride >= 64 || off == size - 1) continue;
      lines.insert(off % kTouchStride / 64);
      ++staggered;
    }
    EXPECT_EQ(lines.size(), staggered);
  }
}

TEST(Touch, LastTouchedPageIsTheLastOffsetBeforeTheLastByte) {
  // Every size around the first 70 page boundaries and their staggered offsets.
  for (uint64_t page = 0; page < 70; ++page) {
    for (int64_t delta = -3; delta <= 3; ++delta) {
      for (uint64_t base : {page * kTouchStride, TouchOffset(page)}) {
        if (int64_t(base) + delta < 1) continue;
        const uint64_t size = base + delta;
        uint64_t expected = 0;
        for (uint64_t p = 1; TouchOffset(p) < size - 1; ++p) expected = p;
        EXPECT_EQ(LastTouchedPage(size), expected) << "size " << size;
      }
    }
  }
}

TEST(Touch, HoldsPatternAcceptsItAndNoticesAnyChange) {
  for (uint64_t size : kSizes) {
    SCOPED_TRACE(fmt::format("size {}", size));
    std::vector<uint8_t> mem(size, 0);
    Touch(mem.data(), size, 12345);
    EXPECT_TRUE(HoldsPattern(mem.data(), size, size, 12345));
    EXPECT_FALSE(HoldsPattern(mem.data(), size, size, 54321)) << "another slot's pattern";
    for (uint64_t off : Written(mem)) {
      std::vector<uint8_t> changed = mem;
      changed[off] ^= 0xff;
      EXPECT_FALSE(HoldsPattern(changed.data(), size, size, 12345)) << "byte " << off;
      // A prefix check (realloc to a smaller size) looks only at the bytes before `limit`.
      const uint64_t limit = off;  // the changed byte lies just past the prefix
      EXPECT_TRUE(HoldsPattern(changed.data(), size, limit, 12345)) << "limit " << limit;
    }
  }
}

TEST(Touch, ReadsZeroSeesTouchedBytes) {
  for (uint64_t size : kSizes) {
    SCOPED_TRACE(fmt::format("size {}", size));
    std::vector<uint8_t> mem(size, 0);
    EXPECT_TRUE(ReadsZero(mem.data(), size));
    Touch(mem.data(), size, 99);
    for (uint64_t off : Written(mem)) {
      std::vector<uint8_t> one(size, 0);
      one[off] = mem[off];
      EXPECT_FALSE(ReadsZero(one.data(), size)) << "byte " << off;
    }
  }
}

}  // namespace
}  // namespace goalloc::replay
