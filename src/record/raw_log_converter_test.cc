// Converting raw logs: the merge of interleaved per-thread batches by sequence number, the
// cut at the first missing sequence number, times, and the rejection of corrupt records.
#include "src/record/raw_log_converter.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "src/record/raw_record.h"
#include "src/trace/trace_error.h"

namespace goalloc::record {
namespace {

using trace::Event;
using trace::Op;

class CollectingWriter : public trace::TraceWriter {
 public:
  void Write(const Event& e) override { events.push_back(e); }
  void Finish() override {}
  std::vector<Event> events;
};

RawRecord Rec(uint64_t seq, uint32_t tid, Op op, uint64_t id, uint64_t size, uint64_t t,
              uint64_t new_id = 0, uint8_t align_log2 = 0) {
  RawRecord r{};
  r.seq = seq;
  r.t = t;
  r.id = id;
  r.new_id = new_id;
  r.size = size;
  r.tid = tid;
  r.op = static_cast<uint8_t>(op);
  r.align_log2 = align_log2;
  return r;
}

std::string WriteRawLog(const std::vector<RawRecord>& records, const char* name) {
  std::string path = std::string(testing::TempDir()) + "/" + name;
  FILE* f = std::fopen(path.c_str(), "wb");
  std::fwrite(records.data(), sizeof(RawRecord), records.size(), f);
  std::fclose(f);
  return path;
}

Event Ev(Op op, uint32_t tid, uint64_t id, uint64_t size, uint64_t t, uint64_t new_id = 0,
         uint64_t align = 0) {
  Event e;
  e.op = op;
  e.tid = tid;
  e.id = id;
  e.size = size;
  e.t = t;
  e.new_id = new_id;
  e.align = align;
  return e;
}

TEST(ConvertRawLog, MergesThreadBatchesInSequenceOrder) {
  // Thread 1's batch was written before thread 0's, though thread 0's events came first.
  std::string path = WriteRawLog(
      {
          Rec(2, 1, Op::kFree, 0x100, 0, 1030),
          Rec(3, 1, Op::kAlignedAlloc, 0x200, 64, 1040, 0, 6),
          Rec(0, 0, Op::kMalloc, 0x100, 24, 1000),
          Rec(1, 0, Op::kRealloc, 0x300, 48, 1020, 0x400),
          Rec(4, 0, Op::kCalloc, 0x100, 400, 1050),
      },
      "merge.raw");
  CollectingWriter out;
  ConvertStats stats = ConvertRawLog(path, out);
  EXPECT_EQ(stats.events, 5u);
  EXPECT_EQ(stats.dropped, 0u);
  EXPECT_EQ(stats.threads, 2u);
  std::vector<Event> want = {
      Ev(Op::kMalloc, 0, 0x100, 24, 0),   Ev(Op::kRealloc, 0, 0x300, 48, 20, 0x400),
      Ev(Op::kFree, 1, 0x100, 0, 30),     Ev(Op::kAlignedAlloc, 1, 0x200, 64, 40, 0, 64),
      Ev(Op::kCalloc, 0, 0x100, 400, 50),
  };
  EXPECT_EQ(out.events, want);
}

TEST(ConvertRawLog, StopsAtTheFirstMissingSequenceNumber) {
  std::string path = WriteRawLog(
      {
          Rec(0, 0, Op::kMalloc, 0x100, 8, 10),
          Rec(1, 0, Op::kMalloc, 0x200, 8, 20),
          Rec(3, 0, Op::kFree, 0x100, 0, 40),  // 2 was lost with its thread's buffer
          Rec(4, 0, Op::kFree, 0x200, 0, 50),
      },
      "gap.raw");
  CollectingWriter out;
  ConvertStats stats = ConvertRawLog(path, out);
  EXPECT_EQ(stats.events, 2u);
  EXPECT_EQ(stats.dropped, 2u);
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[1].id, 0x200u);
}

TEST(ConvertRawLog, MakesTimesRelativeAndNonDecreasing) {
  // Thread 1 took sequence number 1 before thread 0's clock read of number 0 finished.
  std::string path = WriteRawLog(
      {
          Rec(0, 0, Op::kMalloc, 0x100, 8, 5000),
          Rec(1, 1, Op::kMalloc, 0x200, 8, 4990),
          Rec(2, 0, Op::kFree, 0x100, 0, 5100),
      },
      "time.raw");
  CollectingWriter out;
  ConvertRawLog(path, out);
  ASSERT_EQ(out.events.size(), 3u);
  EXPECT_EQ(out.events[0].t, 10u);
  EXPECT_EQ(out.events[1].t, 10u);
  EXPECT_EQ(out.events[2].t, 110u);
}

TEST(ConvertRawLog, MapsTicksToNanosecondsThroughTheClockReadings) {
  RawRecord start{}, end{};
  start.seq = end.seq = kClockSeq;
  start.op = end.op = kClockOp;
  start.t = 1000, start.id = 5000000;  // 1000 ticks at 5 ms
  end.t = 3000, end.id = 5001000;      // 2000 ticks later, 1000 ns later: 0.5 ns a tick
  std::string path = WriteRawLog(
      {
          start,
          Rec(0, 0, Op::kMalloc, 0x100, 8, 1200),
          Rec(1, 0, Op::kFree, 0x100, 0, 2200),
          end,
      },
      "clock.raw");
  CollectingWriter out;
  ConvertStats stats = ConvertRawLog(path, out);
  EXPECT_EQ(stats.events, 2u);
  EXPECT_EQ(stats.dropped, 0u);
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[0].t, 0u);
  EXPECT_EQ(out.events[1].t, 500u);
}

TEST(ConvertRawLog, EmptyLogHasNoEvents) {
  CollectingWriter out;
  ConvertStats stats = ConvertRawLog(WriteRawLog({}, "empty.raw"), out);
  EXPECT_EQ(stats.events, 0u);
  EXPECT_EQ(stats.threads, 0u);
}

TEST(ConvertRawLog, RejectsARecordNoRecorderWrites) {
  RawRecord bad = Rec(1, 0, Op::kMalloc, 0x100, 8, 10);
  bad.op = 9;
  std::string path = WriteRawLog({Rec(0, 0, Op::kMalloc, 0x200, 8, 5), bad}, "bad.raw");
  CollectingWriter out;
  try {
    ConvertRawLog(path, out);
    FAIL() << "no error";
  } catch (const trace::TraceError& e) {
    EXPECT_EQ(e.event_index(), 1u);
    EXPECT_NE(std::string(e.what()).find("byte 48"), std::string::npos) << e.what();
  }
}

TEST(ConvertRawLog, MissingFileIsAnError) {
  CollectingWriter out;
  EXPECT_THROW(ConvertRawLog(std::string(testing::TempDir()) + "/nonexistent.raw", out),
               std::runtime_error);
}

}  // namespace
}  // namespace goalloc::record
