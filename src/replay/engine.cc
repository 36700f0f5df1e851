// The rare paths of the engines' per-event code (see engine.h): allocation failures and the
// checks of --verify, which format messages and so stay out of the hot path.
#include "src/replay/engine.h"

namespace goalloc::replay {

void AllocationFailed(CheckLog& log, const ReplayEvent& e, uint64_t size) {
  log.Fatal(fmt::format("{} of {} bytes failed", trace::OpName(e.op), size), &e);
}

void CheckCalloc(CheckLog& log, const ReplayEvent& e, uint64_t size, const void* p) {
  if (!ReadsZero(p, size)) {
    log.Fail(
        fmt::format("calloc of {} bytes (slot {}) returned memory that is not zero", size, e.slot));
  }
}

void CheckAligned(CheckLog& log, const ReplayEvent& e, uint64_t size, const void* p) {
  if ((reinterpret_cast<uintptr_t>(p) & (e.align() - 1)) != 0) {
    log.Fail(
        fmt::format("aligned_alloc({}, {}) returned {} (slot {})", e.align(), size, p, e.slot));
  }
}

void CheckRealloc(CheckLog& log, const ReplayEvent& e, uint64_t old_size, uint64_t size,
                  const void* p) {
  if (!HoldsPattern(p, old_size, std::min(old_size, size), e.slot)) {
    log.Fail(fmt::format("realloc of the object in slot {} from {} to {} bytes lost its contents",
                         e.slot, old_size, size));
  }
}

void CheckFree(CheckLog& log, const ReplayEvent& e, uint64_t size, const void* p) {
  if (!HoldsPattern(p, size, size, e.slot)) {
    log.Fail(
        fmt::format("the object in slot {} ({} bytes) was overwritten while live", e.slot, size));
  }
}

}  // namespace goalloc::replay
