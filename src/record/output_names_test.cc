// The names a recording gives its files: where the pid goes in OUT, and raw log names.
#include "src/record/output_names.h"

#include <gtest/gtest.h>

namespace goalloc::record {
namespace {

TEST(TracePathForProcess, InsertsThePidBeforeTheEncodingSuffix) {
  EXPECT_EQ(TracePathForProcess("trace.gat.zst", {1234, 0}), "trace.1234.gat.zst");
  EXPECT_EQ(TracePathForProcess("dir/run.json", {7, 0}), "dir/run.7.json");
  EXPECT_EQ(TracePathForProcess("a.b.json.gz", {7, 0}), "a.b.7.json.gz");
  EXPECT_EQ(TracePathForProcess("x.mtrace", {7, 0}), "x.7.mtrace");
}

TEST(TracePathForProcess, AddsTheImageAfterExec) {
  EXPECT_EQ(TracePathForProcess("trace.gat.zst", {1234, 2}), "trace.1234-2.gat.zst");
}

TEST(TracePathForProcess, AppendsWithoutAnEncodingSuffix) {
  EXPECT_EQ(TracePathForProcess("out", {9, 0}), "out.9");
  EXPECT_EQ(TracePathForProcess("out.zst", {9, 0}), "out.zst.9");
  EXPECT_EQ(TracePathForProcess("dir/.json", {9, 0}), "dir/.json.9");
}

TEST(RawLogName, RoundTrips) {
  EXPECT_EQ(RawLogName({4321, 3}), "4321-3.raw");
  EXPECT_EQ(ParseRawLogName("4321-3.raw"), (ProcessImage{4321, 3}));
  EXPECT_EQ(ParseRawLogName(RawLogName({1, 0})), (ProcessImage{1, 0}));
}

TEST(RawLogName, RejectsOtherNames) {
  for (const char* name : {"", "4321.raw", "-3.raw", "4321-.raw", "4321-3.raw.tmp", "a-1.raw",
                           "4321-3.rawx", "12-3"}) {
    EXPECT_EQ(ParseRawLogName(name), std::nullopt) << name;
  }
}

TEST(RawLogFailureName, NamesTheLogAndTheError) {
  std::optional<RawLogFailure> f = ParseRawLogFailureName(RawLogName({4321, 1}) + ".failed-28");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->process, (ProcessImage{4321, 1}));
  EXPECT_EQ(f->error, 28);
  for (const char* name : {"4321-1.raw", "4321-1.raw.failed-", "4321-1.raw.failed-28x",
                           "x-1.raw.failed-28", "4321-1.failed-28"}) {
    EXPECT_EQ(ParseRawLogFailureName(name), std::nullopt) << name;
  }
}

}  // namespace
}  // namespace goalloc::record
