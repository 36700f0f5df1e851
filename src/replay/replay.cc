// Replay: runs it where the allocator's registry entry says (see allocators.h).
#include "src/replay/replay.h"

#include <fmt/core.h>
#include <unistd.h>

#include <stdexcept>

#include "src/replay/go_runtime_backend.h"
#include "src/replay/in_process_replay.h"
#include "src/replay/prepared_trace.h"
#include "src/replay/replay_child.h"
#include "src/replay/thread_limit.h"

namespace goalloc::replay {

ReplayResult Replay(const PreparedTrace& trace, const ReplayOptions& options) {
  ReplayOptions resolved = options;  // the replay threads decided once, here and in a child
  resolved.threads = ReplayThreads(options.threads, trace.summary().threads,
                                   options.mode.parallel(), ReadThreadLimits());
  switch (options.allocator.where()) {
    case Where::kInProcess:
      return ReplayInProcess(trace, resolved);
    case Where::kGoRuntime:
      return ReplayInGoRuntime(trace, resolved);
    case Where::kChild:
      break;
  }
  const std::string library(options.allocator.library());
  if (library.empty()) return ReplayInChild(trace, resolved, library);  // glibc: no preload
  if (!PreloadSupported()) {
    throw std::invalid_argument(
        fmt::format("allocator '{}' is not available in a sanitizer build (it is preloaded)",
                    options.allocator.name()));
  }
  if (::access(library.c_str(), R_OK) != 0) {
    throw std::invalid_argument(
        fmt::format("allocator '{}' is not installed: {} is missing (scripts/setup installs it)",
                    options.allocator.name(), library));
  }
  return ReplayInChild(trace, resolved, library);
}

}  // namespace goalloc::replay
