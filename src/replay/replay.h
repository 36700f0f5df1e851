// Running a replay: decode a trace once into a compact event array (ids renumbered
// densely), then replay it on one allocator in one mode. `compare` decodes once and
// replays many times. Allocators other than `go` and `glibc` run in a child process with
// the library preloaded (replay_child.h); callers do not see the difference.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "src/alloc/heap.h"
#include "src/replay/replay_result.h"

namespace goalloc::replay {

struct DecodeOptions {
  bool strict = false;    // the first inconsistent event is a TraceError (exit 2)
  bool progress = false;  // progress on stderr
};

struct ReplayOptions {
  std::string allocator = "go";  // go, glibc, jemalloc, tcmalloc, mimalloc
  std::string mode;              // "sim" or "parallel"; empty: the allocator's default
  uint32_t threads = 0;          // replay threads; 0: the trace's number of threads
  uint32_t timeline_samples = 1000;
  bool verify = false;  // go: Heap::Verify at the end (and every verify_every events);
                        // all: contents of realloc/calloc checked, alignment checked
  uint64_t verify_every = 0;
  bool progress = false;
  alloc::HeapConfig heap;
  std::string size_classes = "go";  // go: the name of heap.size_classes (ReplayResult's)
  // go-runtime (docs/go-runtime.md): GOGC (empty: off), GOMEMLIMIT, --seal, --repeat.
  std::optional<uint32_t> gogc = 100;
  std::optional<uint64_t> memory_limit;
  bool seal = false;
  uint32_t repeat = 1;
};

// The decoded trace; opaque to callers (defined in prepared_trace.h).
class PreparedTrace;

// Reads and validates the whole trace. Throws trace::TraceError on malformed input, and on
// the first inconsistent event when options.strict.
std::shared_ptr<const PreparedTrace> DecodeTrace(const std::string& path,
                                                 const DecodeOptions& options);
const TraceSummary& SummaryOf(const PreparedTrace& trace);
double DecodeSecondsOf(const PreparedTrace& trace);

// Replays. Throws cli-independent errors: std::invalid_argument for a bad option (unknown or
// missing allocator, bad mode); ReplayFailed when the replay could not finish.
ReplayResult Replay(const PreparedTrace& trace, const ReplayOptions& options);

class ReplayFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Allocator names installed on this machine, `go` first.
std::vector<std::string> InstalledAllocators();

}  // namespace goalloc::replay
