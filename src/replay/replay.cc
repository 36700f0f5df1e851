// Replay: picks where a replay runs, in this process or in a fresh child (see allocators.h).
#include "src/replay/replay.h"

#include <fmt/core.h>
#include <unistd.h>

#include <stdexcept>

#include "src/replay/allocators.h"
#include "src/replay/go_runtime_backend.h"
#include "src/replay/in_process_replay.h"
#include "src/replay/prepared_trace.h"
#include "src/replay/replay_child.h"
#include "src/replay/thread_limit.h"

namespace goalloc::replay {

ReplayResult Replay(const PreparedTrace& trace, const ReplayOptions& options) {
  if (!IsKnownAllocator(options.allocator)) {
    throw std::invalid_argument(fmt::format(
        "unknown allocator '{}' (known: go, go-runtime, glibc, jemalloc, tcmalloc, mimalloc)",
        options.allocator));
  }
  ReplayOptions resolved = options;  // the replay threads decided once, here and in a child
  resolved.threads = ReplayThreads(options.threads, trace.summary().threads,
                                   ResolveMode(options.mode) == "parallel", ReadThreadLimits());
  if (IsInProcessAllocator(options.allocator)) return ReplayInProcess(trace, resolved);
  if (options.allocator == kGoRuntime) return ReplayInGoRuntime(trace, resolved);
  const std::string library(PreloadLibrary(options.allocator));
  if (library.empty()) return ReplayInChild(trace, resolved, library);  // glibc: no preload
  if (!PreloadSupported()) {
    throw std::invalid_argument(
        fmt::format("allocator '{}' is not available in a sanitizer build (it is preloaded)",
                    options.allocator));
  }
  if (::access(library.c_str(), R_OK) != 0) {
    throw std::invalid_argument(
        fmt::format("allocator '{}' is not installed: {} is missing (scripts/setup installs it)",
                    options.allocator, library));
  }
  return ReplayInChild(trace, resolved, library);
}

}  // namespace goalloc::replay
