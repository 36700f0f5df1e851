// What one replay produced, for the reporter: the trace's own figures (from decoding),
// the measurements of the replay, timeline samples and the two full snapshots (at the
// peak-live event and at the end). It is also what a child process (system allocator
// under LD_PRELOAD) sends back to the parent, as JSON (replay_result_json.h).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/alloc/heap_stats.h"
#include "src/replay/go_runtime_result.h"
#include "src/replay/huge_page_allocator.h"
#include "src/trace/event.h"
#include "src/trace/live_objects.h"

namespace goalloc::replay {

// Figures of the trace itself, computed while decoding (independent of the allocator).
struct TraceSummary {
  std::string path;
  std::string encoding;                        // "json", "mtrace", "binary"
  uint64_t events = 0;                         // every event read, inconsistent ones included
  uint32_t threads = 0;                        // distinct recorded tids
  std::array<uint64_t, trace::kNumOps> ops{};  // indexed by trace::Op
  trace::InconsistencyCounts inconsistent;
  uint64_t peak_live_bytes = 0, peak_live_objects = 0, peak_live_event = 0;
  uint64_t final_live_bytes = 0, final_live_objects = 0;
  bool has_time = false;  // events carry `t`
};

// What a system allocator says of its own heap (allocator_stats.h), whole-process figures
// as the library reports them; each is absent where the library does not offer it.
struct AllocatorStats {
  std::optional<uint64_t> mapped;     // memory obtained from the OS and not returned
  std::optional<uint64_t> resident;   // of it, what the allocator counts as resident
  std::optional<uint64_t> allocated;  // bytes in objects handed out (the library's rounding)
  // The allocator-reported footprint: resident where the library counts it, else mapped.
  std::optional<uint64_t> footprint() const { return resident ? resident : mapped; }
};

// The system allocator's own figures at a snapshot.
struct SystemHeap {
  uint64_t rss_bytes = 0;  // resident set minus the replayer's baseline
  bool has_mallinfo = false;
  uint64_t arena = 0, hblkhd = 0, uordblks = 0, fordblks = 0, keepcost = 0;
  std::optional<AllocatorStats> allocator;  // where the library offers them
};

struct Sample {
  uint64_t event = 0;                     // the state after this event index
  uint64_t t = trace::kNoTime;            // the event's `t`, when the trace has it
  uint64_t live = 0;                      // requested bytes of live objects
  uint64_t footprint = 0;                 // see docs/report.md
  std::optional<alloc::HeapTotals> heap;  // go backend
  std::optional<RuntimeSample> runtime;   // go-runtime backend
};

// A full snapshot: at the peak-live event, or at the end.
struct Snapshot {
  uint64_t event = 0;
  bool exact = true;  // taken at exactly that event (false: the nearest sample point)
  uint64_t live = 0;  // requested bytes the replay holds there (counted by the replay threads,
                      // checked against the trace's own figure)
  uint64_t footprint = 0;
  std::optional<alloc::HeapStats> go;
  std::optional<SystemHeap> system;
  std::optional<RuntimeSnapshot> runtime;  // go-runtime backend
};

struct ReplayResult {
  std::string allocator;     // go, glibc, jemalloc, tcmalloc, mimalloc
  std::string mode;          // sim, parallel
  std::string size_classes;  // go: "go" (Go's table) or "FILE (fnv1a64 HASH)"; others: ""
  uint32_t threads = 0;      // replay threads (= Ps)
  double decode_seconds = 0, replay_seconds = 0, cpu_seconds = 0, events_per_second = 0;
  uint64_t events_replayed = 0;  // consistent events executed
  uint64_t baseline_rss_bytes = 0, peak_rss_bytes = 0, final_rss_bytes = 0;  // net of baseline
  // System allocators: where their own figures come from ("" when the library offers none)
  // and those figures at the RSS baseline, which the allocator-reported footprint is net of.
  std::string allocator_stats_source;
  std::optional<AllocatorStats> allocator_stats_baseline;
  // ~--timeline N samples, first and last event included. Mapped (huge_page_allocator.h):
  // in a replay child it lies outside the heap of the allocator under test.
  HugeVector<Sample> timeline;
  Snapshot at_peak_live, at_end;
  // Highest footprint seen (go: checked after every event in sim mode; otherwise samples).
  // System allocators: also at least peak_rss_bytes (VmHWM catches a peak between samples);
  // the event and live figures are then those of the highest sample.
  uint64_t peak_footprint = 0, peak_footprint_event = 0, live_at_peak_footprint = 0;
  std::vector<alloc::LockStats> locks;  // go backend
  bool verified = false;                // --verify ran
  std::string verify_error;             // empty when every check passed
  std::optional<GcFigures> gc;          // backends that collect (go-runtime)
};

}  // namespace goalloc::replay
