// Decoding into a PreparedTrace: inconsistent events counted and skipped (or, strict, an
// error naming the event), renumbering, index mapping, the summary, the child transfer.
#include "src/replay/prepared_trace.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "src/replay/pointer_table.h"
#include "src/replay/replay.h"
#include "src/replay/replay_result_json.h"
#include "src/trace/trace_error.h"

namespace goalloc::replay {
namespace {

using trace::Event;
using trace::Op;

std::vector<Event> WithInconsistencies() {
  return {
      {.op = Op::kMalloc, .tid = 0, .id = 100, .size = 10},                  // 0
      {.op = Op::kFree, .tid = 1, .id = 555},                                // 1: free_unknown
      {.op = Op::kMalloc, .tid = 1, .id = 100, .size = 7},                   // 2: malloc_live_id
      {.op = Op::kCalloc, .tid = 1, .id = 200, .size = 30},                  // 3
      {.op = Op::kRealloc, .tid = 0, .id = 999, .new_id = 5, .size = 4},     // 4: realloc_unknown
      {.op = Op::kRealloc, .tid = 0, .id = 100, .new_id = 100, .size = 50},  // 5
      {.op = Op::kFree, .tid = 2, .id = 200},                                // 6
      {.op = Op::kAlignedAlloc, .tid = 0, .id = 300, .size = 64, .align = 64},  // 7
  };
}

TEST(PreparedTrace, SkipsInconsistentEventsAndRenumbers) {
  auto events = WithInconsistencies();
  auto t = PrepareEvents("mem", events);
  const TraceSummary& s = t->summary();
  EXPECT_EQ(s.events, 8u);  // every event read
  EXPECT_EQ(s.ops[size_t(Op::kMalloc)], 2u);
  EXPECT_EQ(s.ops[size_t(Op::kFree)], 2u);
  EXPECT_EQ(s.ops[size_t(Op::kRealloc)], 2u);
  EXPECT_EQ(s.threads, 3u);
  EXPECT_EQ(s.inconsistent.free_unknown, 1u);
  EXPECT_EQ(s.inconsistent.malloc_live_id, 1u);
  EXPECT_EQ(s.inconsistent.realloc_unknown, 1u);
  EXPECT_EQ(s.inconsistent.first_indices, (std::vector<uint64_t>{1, 2, 4}));

  auto ev = t->events();
  ASSERT_EQ(ev.size(), 5u);
  // Slots come in blocks of B = PointerTable::kSlotsPerBlock per thread: malloc 100 on tid 0
  // → 0; calloc 200 on tid 1 → B; realloc 100 (tid 0) ends 0 and begins its new object in 0
  // again (both objects are tid 0's alone); free 200 → ends B; aligned 300 (tid 0) → 1.
  constexpr uint32_t B = PointerTable::kSlotsPerBlock;
  EXPECT_EQ(ev[0].slot, 0u);
  EXPECT_EQ(ev[1].slot, B);
  EXPECT_EQ(ev[2].op, Op::kRealloc);
  EXPECT_EQ(ev[2].slot, 0u);
  EXPECT_TRUE(std::ranges::equal(t->realloc_slots(), std::vector<uint32_t>{0}));
  EXPECT_EQ(ev[3].op, Op::kFree);
  EXPECT_EQ(ev[3].slot, B);
  EXPECT_EQ(ev[4].slot, 1u);
  EXPECT_TRUE(std::ranges::equal(t->tids(), std::vector<uint32_t>{0, 1, 0, 2, 0}));
  EXPECT_EQ(ev[4].align(), 64u);
  EXPECT_EQ(t->slots(), 2 * B);
  // malloc 100, calloc 200, realloc's new 100, aligned 300.
  EXPECT_TRUE(std::ranges::equal(t->begin_sizes(), std::vector<uint64_t>{10, 30, 50, 64}));
  // realloc's old 100, free 200.
  EXPECT_TRUE(std::ranges::equal(t->end_sizes(), std::vector<uint64_t>{10, 30}));

  // Compact → original indices around the skipped 1, 2 and 4.
  EXPECT_EQ(t->OriginalIndex(0), 0u);
  EXPECT_EQ(t->OriginalIndex(1), 3u);
  EXPECT_EQ(t->OriginalIndex(2), 5u);
  EXPECT_EQ(t->OriginalIndex(3), 6u);
  EXPECT_EQ(t->OriginalIndex(4), 7u);

  // Live: 10, 40, 80 (peak at original 5 = compact 2), 50, 114 (new peak at 7 = compact 4).
  EXPECT_EQ(s.peak_live_bytes, 114u);
  EXPECT_EQ(s.peak_live_event, 7u);
  EXPECT_EQ(t->peak_live_index(), 4u);
  EXPECT_EQ(s.final_live_bytes, 114u);
  EXPECT_EQ(s.final_live_objects, 2u);
}

// A slot serves a thread's next object once the thread's previous object in it has ended,
// when both objects are that thread's alone; an object that another thread frees gets a
// slot of its own, and so does the object after it in that slot's place.
TEST(PreparedTrace, SlotsAreReusedOnlyWithinOneThread) {
  const std::vector<Event> events = {
      {.op = Op::kMalloc, .tid = 0, .id = 1, .size = 1},  // 0
      {.op = Op::kFree, .tid = 0, .id = 1},               // 0 is free again, for tid 0
      {.op = Op::kMalloc, .tid = 0, .id = 2, .size = 2},  // freed by tid 1: a new slot, 1
      {.op = Op::kMalloc, .tid = 0, .id = 3, .size = 3},  // tid 0's alone: 0 again
      {.op = Op::kFree, .tid = 1, .id = 2},               // 1, not reused
      {.op = Op::kMalloc, .tid = 1, .id = 4, .size = 4},  // tid 1's first block: B
      {.op = Op::kMalloc, .tid = 0, .id = 5, .size = 5},  // nothing free for tid 0: 2
      {.op = Op::kFree, .tid = 0, .id = 3},               // 0
      {.op = Op::kRealloc, .tid = 0, .id = 5, .new_id = 6, .size = 6},  // ends 2, begins in 2
  };
  auto t = PrepareEvents("mem", events);
  constexpr uint32_t B = PointerTable::kSlotsPerBlock;
  std::vector<uint32_t> slots;
  for (const ReplayEvent& e : t->events()) slots.push_back(e.slot);
  EXPECT_EQ(slots, (std::vector<uint32_t>{0, 0, 1, 0, 1, B, 2, 0, 2}));
  EXPECT_TRUE(std::ranges::equal(t->realloc_slots(), std::vector<uint32_t>{2}));
  EXPECT_EQ(t->slots(), 2 * B);
}

TEST(PreparedTrace, StrictNamesTheFileAndEvent) {
  auto events = WithInconsistencies();
  try {
    PrepareEvents("some.json", events, {.strict = true});
    FAIL() << "no error";
  } catch (const trace::TraceError& e) {
    EXPECT_EQ(e.file(), "some.json");
    EXPECT_EQ(e.event_index(), 1u);
    EXPECT_NE(std::string(e.what()).find("555"), std::string::npos) << e.what();
  }
}

TEST(PreparedTrace, TimesAreKeptWhenPresent) {
  std::vector<Event> events = {{.op = Op::kMalloc, .id = 1, .size = 1},
                               {.op = Op::kMalloc, .id = 2, .size = 1, .t = 500},
                               {.op = Op::kFree, .id = 1, .t = 900}};
  auto t = PrepareEvents("mem", events);
  EXPECT_TRUE(t->summary().has_time);
  EXPECT_EQ(t->TimeOf(0), trace::kNoTime);
  EXPECT_EQ(t->TimeOf(2), 900u);
}

TEST(PreparedTrace, TransfersThroughAFileDescriptor) {
  auto events = WithInconsistencies();
  events.push_back({.op = Op::kFree, .id = 300, .t = 77});
  auto t = PrepareEvents("mem", events);
  int fd = ::memfd_create("test", 0);
  ASSERT_GE(fd, 0);
  t->WriteTo(fd);
  ::lseek(fd, 0, SEEK_SET);
  auto back = PreparedTrace::ReadFrom(fd);
  ::close(fd);
  EXPECT_EQ(nlohmann::json(back->summary()), nlohmann::json(t->summary()));
  ASSERT_EQ(back->events().size(), t->events().size());
  EXPECT_TRUE(std::ranges::equal(back->begin_sizes(), t->begin_sizes()));
  EXPECT_TRUE(std::ranges::equal(back->end_sizes(), t->end_sizes()));
  for (size_t i = 0; i < t->events().size(); ++i) {
    EXPECT_EQ(back->events()[i].slot, t->events()[i].slot);
    EXPECT_EQ(back->events()[i].op, t->events()[i].op);
    EXPECT_EQ(back->events()[i].align_shift, t->events()[i].align_shift);
    EXPECT_EQ(back->OriginalIndex(i), t->OriginalIndex(i));
    EXPECT_EQ(back->TimeOf(i), t->TimeOf(i));
  }
  EXPECT_TRUE(std::ranges::equal(back->tids(), t->tids()));
  EXPECT_TRUE(std::ranges::equal(back->realloc_slots(), t->realloc_slots()));
  EXPECT_EQ(back->slots(), t->slots());
  EXPECT_EQ(back->peak_live_index(), t->peak_live_index());
}

TEST(PreparedTrace, DecodesAFile) {
  const std::string path = ::testing::TempDir() + "/prepared_trace_test.json";
  {
    std::ofstream f(path);
    f << R"({"format": "goalloc-trace", "version": 1, "events": [
      {"op": "malloc", "tid": 0, "id": 1, "size": 24},
      {"op": "free", "tid": 1, "id": 7},
      {"op": "free", "tid": 1, "id": 1}]})";
  }
  auto t = DecodeTrace(path, {});
  EXPECT_EQ(SummaryOf(*t).encoding, "json");
  EXPECT_EQ(SummaryOf(*t).events, 3u);
  EXPECT_EQ(SummaryOf(*t).inconsistent.free_unknown, 1u);
  EXPECT_EQ(t->events().size(), 2u);
  EXPECT_GE(DecodeSecondsOf(*t), 0.0);
  EXPECT_THROW(DecodeTrace(path, {.strict = true}), trace::TraceError);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace goalloc::replay
