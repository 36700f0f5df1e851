// ConsistentEvents: the one policy for inconsistent events (warn about the first kWarned and
// sum up the rest, or with --strict fail on the first), its wording, and the events it hands
// on, skipped ones included.
#include "src/trace/consistent_events.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "src/trace/trace_error.h"

namespace goalloc::trace {
namespace {

// A malloc, then `frees` frees of ids that are not live.
std::vector<Event> FreesOfUnknownIds(int frees) {
  std::vector<Event> events = {{.op = Op::kMalloc, .id = 1, .size = 8}};
  for (int i = 0; i < frees; ++i) events.push_back({.op = Op::kFree, .id = uint64_t(100 + i)});
  return events;
}

TEST(ConsistentEvents, WarnsAboutTheFirstFewAndSumsUpTheRest) {
  int erased = 0;
  ConsistentEvents events("t.json", {.before_warning = [&] { ++erased; }});
  testing::internal::CaptureStderr();
  for (const Event& e : FreesOfUnknownIds(7)) events.Apply(e);
  events.Finish();
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err,
            "warning: t.json: event 1: free of id 100, which is not live; skipped\n"
            "warning: t.json: event 2: free of id 101, which is not live; skipped\n"
            "warning: t.json: event 3: free of id 102, which is not live; skipped\n"
            "warning: t.json: event 4: free of id 103, which is not live; skipped\n"
            "warning: t.json: event 5: free of id 104, which is not live; skipped\n"
            "warning: t.json: inconsistent events: 7 skipped: free_unknown 7, realloc_unknown 0, "
            "malloc_live_id 0; first at events 1, 2, 3, 4, 5, 6, 7\n");
  EXPECT_EQ(erased, 6);  // once before each warning
  EXPECT_EQ(events.events(), 8u);
  EXPECT_EQ(events.live().live_bytes(), 8u);
}

TEST(ConsistentEvents, NoSummaryUpToTheWarnedOnes) {
  ConsistentEvents events("t.json", {});
  testing::internal::CaptureStderr();
  for (const Event& e : FreesOfUnknownIds(int(ConsistentEvents::kWarned))) events.Apply(e);
  events.Finish();
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.find("inconsistent events"), std::string::npos) << err;
}

TEST(ConsistentEvents, StrictFailsOnTheFirstNamingFileAndEvent) {
  ConsistentEvents events("t.json", {.strict = true});
  const std::vector<Event> trace = FreesOfUnknownIds(2);
  EXPECT_TRUE(events.Apply(trace[0]).consistent);
  try {
    events.Apply(trace[1]);
    FAIL() << "no error";
  } catch (const TraceError& e) {
    EXPECT_EQ(e.file(), "t.json");
    EXPECT_EQ(e.event_index(), 1u);
    EXPECT_STREQ(e.what(), "t.json: event 1: free of id 100, which is not live (--strict)");
  }
}

}  // namespace
}  // namespace goalloc::trace
