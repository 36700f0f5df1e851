// Synthetic replays for the HTML report's tests: a go run whose byte accounting adds up
// exactly (span classes whose slots and tails fill their pages, one large object), with a
// timeline and per-lock waits, and a glibc run with its mallinfo figures. Test-only.
#pragma once

#include <string>

#include "src/replay/replay_result.h"

namespace goalloc::report {

// The trace both runs replay; `path` may hold characters that must be escaped.
replay::TraceSummary TestTrace(const std::string& path);

// mode "sim": locks without waits; "parallel": contended locks.
replay::ReplayResult TestGoRun(const replay::TraceSummary& trace, const std::string& mode);
replay::ReplayResult TestGlibcRun(const replay::TraceSummary& trace);

}  // namespace goalloc::report
