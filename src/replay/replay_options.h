// What a caller asks of decoding and of a replay, and the error a replay that could not finish
// throws. Below the facade (replay.h): the engines, backends and child protocol take these
// without depending on the facade that dispatches to them.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "src/alloc/heap.h"
#include "src/replay/allocators.h"

namespace goalloc::replay {

struct DecodeOptions {
  bool strict = false;    // the first inconsistent event is a TraceError (exit 2)
  bool progress = false;  // progress on stderr
};

struct ReplayOptions {
  Allocator allocator = "go";
  Mode mode;
  uint32_t threads = 0;  // replay threads; 0: the trace's number of threads
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

// The replay could not finish (an allocation failed, a child process failed); the message
// names the trace, the event and the allocator.
class ReplayFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace goalloc::replay
