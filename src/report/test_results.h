// Replay results built by hand for the reporter's unit tests: a small go run in sim mode
// whose every figure is worked out in the comments, and a glibc run. Tests change fields
// to make the case they check.
#pragma once

#include "src/replay/replay_result.h"

namespace goalloc::report::testing {

// 1000 noscan objects of 24 B (class 3: 341 slots per 8 KiB span, 8 B tail each, so 3
// spans), then every other one freed. Heap: one 4 MiB chunk mapped, nothing released,
// 64 KiB metadata. At peak (event 999): 24,000 B live, free slots (1023 − 1000) × 24 = 552,
// tail 3 × 8 = 24, idle 4 MiB − 3 pages = 4,169,728. At end (event 1499): 12,000 B live,
// free slots 523 × 24 = 12,552.
replay::TraceSummary SmallTrace();
replay::ReplayResult SmallGoRun();
// The same trace on glibc: RSS-based footprint, mallinfo figures.
replay::ReplayResult SmallGlibcRun();

}  // namespace goalloc::report::testing
