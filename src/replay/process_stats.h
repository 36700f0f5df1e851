// Measurements of the replay process itself, from the kernel: resident set size
// (/proc/self/statm), its high-water mark (VmHWM in /proc/self/status, which writing "5" to
// /proc/self/clear_refs resets), and CPU time (the thread's CPU clock). The replay subtracts a
// baseline taken after decoding, so the figures describe the allocator, not the replayer.
#pragma once

#include <cstdint>

namespace goalloc::replay {

uint64_t ResidentBytes();      // current RSS
uint64_t PeakResidentBytes();  // VmHWM
// Resets VmHWM to the current RSS; false when the kernel refuses (then VmHWM still counts
// what came before, and callers fall back on their own samples).
bool ResetPeakResident();
// User + system time of the calling thread: each replay thread measures its own, so that
// neither other threads of the process (the progress display) nor the start and exit of the
// replay threads count as replay.
double ThreadCpuSeconds();
double WallSeconds();  // monotonic clock

}  // namespace goalloc::replay
