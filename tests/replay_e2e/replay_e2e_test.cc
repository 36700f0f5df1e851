// Every trace in traces/ replays on every installed allocator in both modes with --verify:
// the checks pass, and the live bytes the replay holds at the end (and at peak live) agree
// exactly across allocators and with the trace; on `go` the allocator's own requested-byte
// count agrees too; the footprint is never below the live bytes, by RSS and, on the system
// allocators, by the allocator's own figures, which are consistent. The system allocators run
// through the built goalloc-replay binary's replay-child subcommand, as in real use. Traces over
// kMaxEvents events are skipped (and named) to keep the test quick: ten replays each, with checks,
// on two shared cores (scripts/compare-glibc replays every trace on go and glibc).
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "src/replay/allocators.h"
#include "src/replay/prepared_trace.h"
#include "src/replay/replay.h"
#include "src/replay/replay_child.h"
#include "src/report/report_model.h"

namespace goalloc::replay {
namespace {

constexpr uint64_t kMaxEvents = 500'000;
constexpr const char* kBinary = "src/cli/goalloc-replay";

ReplayResult ReplayOn(const PreparedTrace& trace, const ReplayOptions& options) {
  if (options.allocator.where() == Where::kInProcess) return Replay(trace, options);
  return ReplayInChild(trace, options, std::string(options.allocator.library()), kBinary);
}

// A system allocator's own figures (allocator_stats.h): every installed one offers some; at
// both snapshots its allocated bytes hold the replay's live bytes beside the replayer's own
// objects of the baseline reading (glibc: beside nothing, as mallinfo2 counts the chunks in
// its per-thread cache as in use, and at the baseline those are freed chunks the replay may
// reuse), its footprint figure holds its allocated bytes, and the allocator-reported
// footprint of the report is at least the live bytes.
void CheckAllocatorStats(const ReplayResult& r, const TraceSummary& summary) {
  EXPECT_NE(r.allocator_stats_source, "");
  ASSERT_TRUE(r.allocator_stats_baseline.has_value());
  const uint64_t own =
      r.allocator == "glibc" ? 0 : r.allocator_stats_baseline->allocated.value_or(0);
  for (const Snapshot* s : {&r.at_peak_live, &r.at_end}) {
    ASSERT_TRUE(s->system->allocator.has_value());
    const AllocatorStats& a = *s->system->allocator;
    ASSERT_TRUE(a.footprint().has_value());
    if (a.allocated) {
      EXPECT_GE(*a.allocated, own + s->live);
      EXPECT_GE(*a.footprint(), *a.allocated);
    }
    if (a.mapped && a.resident) EXPECT_GE(*a.mapped, *a.resident);
  }
  const report::Report report = report::BuildReport({}, summary, r);
  for (const report::SnapshotReport* s : {&report.at_peak_live, &report.at_end}) {
    ASSERT_TRUE(s->allocator_footprint.has_value());
    EXPECT_GE(*s->allocator_footprint, s->live);
  }
  EXPECT_EQ(report.failed_checks, std::vector<std::string>{});
}

TEST(ReplayEndToEnd, EveryTraceOnEveryAllocatorInBothModes) {
  std::vector<std::filesystem::path> traces;
  for (const auto& entry : std::filesystem::recursive_directory_iterator("traces")) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && ext != ".md" && ext != ".txt") {  // not the folder's notes
      traces.push_back(entry.path());
    }
  }
  std::sort(traces.begin(), traces.end());
  ASSERT_FALSE(traces.empty());
  const std::vector<std::string> allocators = InstalledAllocators();
  fmt::print("allocators: {}\n", fmt::join(allocators, " "));
  for (const auto& path : traces) {
    auto trace = DecodeTrace(path.string(), {});
    const TraceSummary& s = trace->summary();
    if (s.events > kMaxEvents) {
      fmt::print("skipped {}: {} events (limit {})\n", path.string(), s.events, kMaxEvents);
      continue;
    }
    fmt::print("{}: {} events, {} threads\n", path.string(), s.events, s.threads);
    for (const std::string& allocator : allocators) {
      for (const char* mode : {"sim", "parallel"}) {
        SCOPED_TRACE(fmt::format("{} on {} ({})", path.string(), allocator, mode));
        ReplayResult r = ReplayOn(*trace, {.allocator = allocator,
                                           .mode = mode,
                                           .timeline_samples = 100,
                                           .verify = true,
                                           .verify_every = 200'000});
        EXPECT_EQ(r.allocator, allocator);
        EXPECT_EQ(r.mode, mode);
        EXPECT_TRUE(r.verified);
        EXPECT_EQ(r.verify_error, "");
        EXPECT_EQ(r.events_replayed, trace->events().size());
        EXPECT_EQ(r.at_end.live, s.final_live_bytes);
        EXPECT_EQ(r.at_peak_live.live, s.peak_live_bytes);
        EXPECT_EQ(r.at_peak_live.event, s.peak_live_event);
        // Every live object is touched: no footprint can be smaller.
        EXPECT_GE(r.at_peak_live.footprint, r.at_peak_live.live);
        EXPECT_GE(r.at_end.footprint, r.at_end.live);
        if (allocator == "go") {
          ASSERT_TRUE(r.at_end.go.has_value());
          EXPECT_EQ(r.at_end.go->requested, s.final_live_bytes);
          EXPECT_EQ(r.at_peak_live.go->requested, s.peak_live_bytes);
        } else {
          ASSERT_TRUE(r.at_end.system.has_value());
          EXPECT_EQ(r.at_end.system->has_mallinfo, allocator == "glibc");
          CheckAllocatorStats(r, s);
        }
      }
    }
  }
}

}  // namespace
}  // namespace goalloc::replay
