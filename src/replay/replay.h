// Running a replay: decode a trace once into a compact event array (ids renumbered
// densely), then replay it on one allocator in one mode. `compare` decodes once and
// replays many times. Where the replay runs (this process, a child with the library
// preloaded, the Go program) follows from the allocator's registry entry (allocators.h);
// callers do not see the difference. Options and errors: replay_options.h.
#pragma once

#include <memory>
#include <string>

#include "src/replay/replay_options.h"
#include "src/replay/replay_result.h"

namespace goalloc::replay {

// The decoded trace; opaque to callers (defined in prepared_trace.h).
class PreparedTrace;

// Reads and validates the whole trace. Throws trace::TraceError on malformed input, and on
// the first inconsistent event when options.strict.
std::shared_ptr<const PreparedTrace> DecodeTrace(const std::string& path,
                                                 const DecodeOptions& options);
const TraceSummary& SummaryOf(const PreparedTrace& trace);
double DecodeSecondsOf(const PreparedTrace& trace);  // also every ReplayResult's decode_seconds

// Replays. Throws cli-independent errors: std::invalid_argument for a bad option (a preloaded
// allocator that is not installed, options the allocator cannot take); ReplayFailed when the
// replay could not finish.
ReplayResult Replay(const PreparedTrace& trace, const ReplayOptions& options);

}  // namespace goalloc::replay
