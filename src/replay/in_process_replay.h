// A replay in this process, on the allocator of options.allocator: go, noop, glibc, or
// (inside a replay child, where it is this process's malloc) a preloaded allocator. Runs the
// whole measurement: baseline RSS after decoding, peak RSS reset, the engine, the snapshots,
// the checks, then the result.
#pragma once

#include "src/replay/prepared_trace.h"
#include "src/replay/replay_options.h"
#include "src/replay/replay_result.h"

namespace goalloc::replay {

ReplayResult ReplayInProcess(const PreparedTrace& trace, const ReplayOptions& options);

}  // namespace goalloc::replay
