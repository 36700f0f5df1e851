// The go-runtime event file, read back byte by byte: header, one record per event with its
// op, slots, sizes, replay thread and flags (cross-thread ends, samples, the peak-live
// event), and the span classes for --seal; and Go 1.19's classes and the final-GC prediction.
#include "src/replay/go_runtime_events.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "src/replay/go_runtime_classes.h"

namespace goalloc::replay {
namespace {

using trace::Event;
using trace::Op;

template <class T>
T Le(const std::string& b, size_t off) {
  T v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) v |= T(uint8_t(b[off + i])) << (8 * i);
  return v;
}

std::string WriteAll(const PreparedTrace& t, uint32_t threads, uint32_t timeline) {
  const int fd = ::memfd_create("test", MFD_CLOEXEC);
  const HugeVector<SamplePoint> points = PlanSamples(t, timeline);
  WriteGoRuntimeEvents(fd, t, threads, points);
  std::string out(size_t(::lseek(fd, 0, SEEK_END)), '\0');
  EXPECT_EQ(::pread(fd, out.data(), out.size(), 0), ssize_t(out.size()));
  ::close(fd);
  return out;
}

TEST(GoRuntimeEvents, RecordsAsDocumented) {
  const std::vector<Event> events = {
      {.op = Op::kMalloc, .tid = 0, .id = 1, .size = 24},
      {.op = Op::kCalloc, .scan = true, .tid = 1, .id = 2, .size = 400},
      {.op = Op::kRealloc, .tid = 0, .id = 1, .new_id = 3, .size = 4000},
      {.op = Op::kFree, .tid = 0, .id = 2},  // began on thread 1: cross-thread
      {.op = Op::kAlignedAlloc, .tid = 1, .id = 4, .size = 5, .align = 64},
  };
  const auto t = PrepareEvents("t", events);
  const std::string b = WriteAll(*t, 2, 1);
  ASSERT_EQ(b.substr(0, 8), "GAREVT01");
  EXPECT_EQ(Le<uint32_t>(b, 8), 32u);
  EXPECT_EQ(Le<uint32_t>(b, 12), 2u);
  ASSERT_EQ(Le<uint64_t>(b, 16), 5u);
  EXPECT_EQ(Le<uint64_t>(b, 24), t->slots());
  const uint64_t seal = Le<uint64_t>(b, 32);
  ASSERT_EQ(b.size(), 64 + 5 * 32 + seal * 8);
  auto rec = [&](int i, size_t off) { return 64 + size_t(i) * 32 + off; };
  const std::vector<uint8_t> ops = {0, 1, 2, 3, 4};
  const std::vector<uint32_t> threads = {0, 1, 0, 0, 1};
  const std::vector<uint64_t> sizes = {24, 400, 4000, 400, 5};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(uint8_t(b[rec(i, 0)]), ops[size_t(i)]) << i;
    EXPECT_EQ(Le<uint32_t>(b, rec(i, 4)), threads[size_t(i)]) << i;
    EXPECT_EQ(Le<uint64_t>(b, rec(i, 16)), sizes[size_t(i)]) << i;
  }
  auto flags = [&](int i) { return uint8_t(b[rec(i, 1)]); };
  EXPECT_EQ(flags(1) & kGoRuntimeScan, kGoRuntimeScan);
  EXPECT_EQ(flags(3) & kGoRuntimeCross, kGoRuntimeCross);  // freed on 0, begun on 1
  EXPECT_EQ(flags(2) & kGoRuntimeCross, 0);                // realloc on the thread that began
  EXPECT_EQ(Le<uint64_t>(b, rec(2, 24)), 24u);             // realloc's old size
  EXPECT_EQ(Le<uint32_t>(b, rec(2, 8)), Le<uint32_t>(b, rec(0, 8)));  // ends malloc's object
  EXPECT_EQ(flags(2) & kGoRuntimePeakLive, kGoRuntimePeakLive);       // 4000 + 400 live
  EXPECT_EQ(flags(4) & kGoRuntimeSample, kGoRuntimeSample);           // the end
  // Seal classes, in (class, scan) order: 24 noscan (class 3), 16 (the tiny blocks), 416
  // scan, 4096 noscan.
  std::vector<std::pair<uint32_t, uint32_t>> classes;
  for (uint64_t i = 0; i < seal; ++i) {
    const size_t off = 64 + 5 * 32 + size_t(i) * 8;
    classes.emplace_back(Le<uint32_t>(b, off), Le<uint32_t>(b, off + 4));
  }
  EXPECT_EQ(classes,
            (std::vector<std::pair<uint32_t, uint32_t>>{{16, 0}, {24, 0}, {416, 1}, {4096, 0}}));
}

TEST(GoRuntimeEvents, SimRunsEverythingOnThreadZero) {
  const std::vector<Event> events = {{.op = Op::kMalloc, .tid = 5, .id = 1, .size = 8},
                                     {.op = Op::kFree, .tid = 6, .id = 1}};
  const std::string b = WriteAll(*PrepareEvents("t", events), 1, 10);
  EXPECT_EQ(Le<uint32_t>(b, 64 + 4), 0u);
  EXPECT_EQ(Le<uint32_t>(b, 64 + 32 + 4), 0u);
  EXPECT_EQ(uint8_t(b[64 + 32 + 1]) & kGoRuntimeCross, 0);
}

TEST(Go119Classes, AsGo119AllocatesThem) {
  struct Case {
    uint64_t size;
    bool scan;
    Go119Object::Kind kind;
    uint64_t bytes;
  };
  const std::vector<Case> cases = {
      {0, false, Go119Object::kZero, 0},
      {1, false, Go119Object::kTiny, 0},
      {15, false, Go119Object::kTiny, 0},
      {16, false, Go119Object::kSmall, 16},
      {8, true, Go119Object::kSmall, 8},
      {700, true, Go119Object::kSmall, 704},       // no header
      {32768, false, Go119Object::kSmall, 32768},  // 1.19's limit is 32768, not 32760
      {32769, false, Go119Object::kLarge, 40960},
      {100000, true, Go119Object::kLarge, 106496},
  };
  for (const Case& c : cases) {
    const Go119Object o = ClassifyGo119(c.size, c.scan);
    EXPECT_EQ(o.kind, c.kind) << c.size;
    EXPECT_EQ(o.bytes, c.bytes) << c.size;
  }
}

TEST(Go119Classes, PredictionCountsLiveObjectsAndTinyBlocks) {
  const std::vector<Event> events = {
      {.op = Op::kMalloc, .id = 1, .size = 100},                // 112
      {.op = Op::kMalloc, .id = 2, .size = 5},                  // tiny
      {.op = Op::kMalloc, .id = 3, .size = 50000},              // 7 pages
      {.op = Op::kRealloc, .id = 1, .new_id = 4, .size = 600},  // 640
      {.op = Op::kFree, .id = 3},
  };
  EXPECT_EQ(PredictedLiveHeapAlloc(*PrepareEvents("t", events), 1), 640u + 16u);
}

}  // namespace
}  // namespace goalloc::replay
