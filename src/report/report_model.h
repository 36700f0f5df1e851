// The report of one replay (docs/report.md): the trace's figures, the replay's measurements,
// and what the reporter derives from them — byte accounting per snapshot, the four
// fragmentation measures, size classes sorted with only active ones, locks sorted by wait,
// and the checks that failed. Text, JSON and HTML renderings all read this model and
// compute nothing of their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/alloc/heap_stats.h"
#include "src/replay/replay_result.h"
#include "src/report/byte_accounting.h"
#include "src/report/fragmentation.h"

namespace goalloc::report {

inline constexpr const char* kSchema = "goalloc-report/1";

struct ToolInfo {
  std::string name = "goalloc-replay";
  std::string version;
};

// A snapshot as reported: where it was taken, and the backend's own figures there.
struct SnapshotReport {
  uint64_t event = 0;
  bool exact = true;
  uint64_t live = 0, footprint = 0;
  std::optional<ByteAccounting> accounting;  // go
  std::optional<alloc::HeapStats> go;        // go: the full stats (size classes, large, tiny)
  std::optional<replay::SystemHeap> system;  // system allocators
  // System allocators that report their own figures: their footprint (resident, else
  // mapped) there less the bytes allocated at the RSS baseline (the replayer's own objects).
  std::optional<uint64_t> allocator_footprint;
  std::optional<replay::RuntimeSnapshot> runtime;  // go-runtime
  // go: the span classes with any activity, sorted by (class, noscan).
  std::vector<alloc::SpanClassStats> size_classes;
};

struct LockTotals {
  uint64_t acquisitions = 0, contended = 0, wait_ns_total = 0, wait_ns_max = 0;
};

// contended / acquisitions; 0 when never acquired.
double ContentionRate(uint64_t contended, uint64_t acquisitions);

struct Report {
  ToolInfo tool;
  replay::TraceSummary trace;
  // The replay's own figures (allocator, mode, timings, RSS, verify outcome); its timeline
  // is the report's timeline.
  replay::ReplayResult run;
  bool is_go = false;
  SnapshotReport at_end, at_peak_live;
  Fragmentation fragmentation;
  std::vector<alloc::LockStats> locks;  // sorted by total wait, longest first
  LockTotals lock_totals;
  bool contention_zero_by_construction = false;  // sim mode: one OS thread
  // Every check that failed (byte accounting, verify, live bytes); empty when all passed.
  std::vector<std::string> failed_checks;
};

Report BuildReport(const ToolInfo& tool, const replay::TraceSummary& trace,
                   replay::ReplayResult run);

}  // namespace goalloc::report
