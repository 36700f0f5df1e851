// The pre-flight memory check: the need computed from traces in memory (nothing of the size
// is ever allocated), and the parsing of /proc/meminfo and cgroup files.
#include "src/replay/memory_budget.h"

#include <gtest/gtest.h>

#include <vector>

#include "src/replay/prepared_trace.h"

namespace goalloc::replay {
namespace {

using trace::Event;
using trace::Op;

constexpr uint64_t kGiB = uint64_t{1} << 30;

TEST(MemoryBudget, NeedIsThePeakOfRoundedLiveObjects) {
  // 100 B (go: class 112), 40000 B (large: 5 pages), then both freed and a 24 B object.
  const std::vector<Event> events = {{.op = Op::kMalloc, .id = 1, .size = 100},
                                     {.op = Op::kMalloc, .id = 2, .size = 40000},
                                     {.op = Op::kFree, .id = 1},
                                     {.op = Op::kFree, .id = 2},
                                     {.op = Op::kMalloc, .id = 3, .size = 24}};
  auto t = PrepareEvents("mem", events);
  const MemoryNeed go = ReplayMemoryNeed(*t, "go");
  EXPECT_EQ(go.objects, 112u + 5 * 8192);
  EXPECT_EQ(go.peak_event, 1u);
  EXPECT_EQ(go.bytes, go.objects + kGoMinimum + t->slots() * sizeof(void*));
  const MemoryNeed glibc = ReplayMemoryNeed(*t, "glibc");
  EXPECT_EQ(glibc.objects, 112u + 40016);  // 16-byte granules with an 8-byte header
  const MemoryNeed jemalloc = ReplayMemoryNeed(*t, "jemalloc");
  EXPECT_EQ(jemalloc.objects, glibc.objects);
  EXPECT_GT(jemalloc.bytes, jemalloc.objects + kChildMinimum);  // plus the child's trace copy
}

TEST(MemoryBudget, GcModeCountsGarbageUntilSwept) {
  // 1000 objects of 1 MiB (large: 128 pages), each freed right away: 1 MiB live at most.
  std::vector<Event> events;
  for (uint64_t id = 1; id <= 1000; ++id) {
    events.push_back({.op = Op::kMalloc, .id = id, .size = 1 << 20});
    events.push_back({.op = Op::kFree, .id = id});
  }
  auto t = PrepareEvents("churn", events);
  EXPECT_EQ(ReplayMemoryNeed(*t, "go").objects, 1u << 20);
  alloc::GcConfig gc;
  gc.enabled = true;
  gc.gogc.reset();  // off: nothing is ever collected
  EXPECT_EQ(ReplayMemoryNeed(*t, "go", &gc).objects, 1000u << 20);
  gc.gogc = 100;  // 2² × 1 MiB + 2 × 4 MiB
  EXPECT_EQ(ReplayMemoryNeed(*t, "go", &gc).objects, 12u << 20);
  gc.memory_limit = 6 << 20;  // a limit above the live peak bounds it
  EXPECT_EQ(ReplayMemoryNeed(*t, "go", &gc).objects, 6u << 20);
  EXPECT_EQ(ReplayMemoryNeed(*t, "glibc", &gc).objects, (1u << 20) + 4096);  // go only
}

TEST(MemoryBudget, ReallocCountsTheOldAndTheNewObject) {
  // Doubling by realloc up to 2^40 bytes: at the last realloc 2^39 and 2^40 coexist.
  std::vector<Event> events = {{.op = Op::kMalloc, .id = 1, .size = 1}};
  for (uint64_t i = 1; i <= 40; ++i) {
    events.push_back({.op = Op::kRealloc, .id = i, .new_id = i + 1, .size = uint64_t{1} << i});
  }
  auto t = PrepareEvents("doubling.json", events);
  const MemoryNeed need = ReplayMemoryNeed(*t, "go");
  EXPECT_EQ(need.objects, (uint64_t{1} << 40) + (uint64_t{1} << 39));
  EXPECT_EQ(need.peak_event, 40u);
  const std::string err = CheckMemoryBudget(*t, "go", 1 << 30);
  EXPECT_NE(err.find("doubling.json: a replay on go needs about"), std::string::npos) << err;
  EXPECT_NE(err.find("peak at event 40 with 1649267441664 bytes (1.5 TiB)"), std::string::npos)
      << err;
  EXPECT_NE(err.find("allowed by --max-memory"), std::string::npos) << err;
  EXPECT_EQ(CheckMemoryBudget(*t, "go", 0), "");  // the check is off
  EXPECT_EQ(CheckMemoryBudget(*t, "go", 2048 * kGiB), "");
}

TEST(MemoryBudget, LargestSizesDoNotOverflow) {
  std::vector<Event> events;
  for (uint64_t id = 1; id <= 200'000; ++id) {
    events.push_back({.op = Op::kMalloc, .id = id, .size = (uint64_t{1} << 47) - 1});
  }
  auto t = PrepareEvents("mem", events);
  EXPECT_EQ(ReplayMemoryNeed(*t, "go").bytes, UINT64_MAX);
  EXPECT_NE(CheckMemoryBudget(*t, "go", std::nullopt), "");
}

TEST(MemoryBudget, ParsesMeminfoAndCgroupFiles) {
  EXPECT_EQ(ParseMemAvailable("MemTotal:       24000000 kB\nMemFree:  100 kB\n"
                              "MemAvailable:   22000000 kB\n"),
            22000000ull * 1024);
  EXPECT_EQ(ParseMemAvailable("MemTotal: 1 kB\n"), std::nullopt);
  EXPECT_EQ(CgroupRoom("max\n", "123\n"), std::nullopt);
  EXPECT_EQ(CgroupRoom("9223372036854771712\n", "5\n"), std::nullopt);  // v1: no limit
  EXPECT_EQ(CgroupRoom("1073741824\n", "73741824\n"), 1000000000u);
  EXPECT_EQ(CgroupRoom("100\n", "200\n"), 0u);
  EXPECT_TRUE(ReadAvailableMemory().has_value());  // tests run on Linux
}

}  // namespace
}  // namespace goalloc::replay
