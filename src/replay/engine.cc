// The rare paths of the engines' per-event code (see engine.h): allocation failures and the
// checks of --verify, which format messages and so stay out of the hot path.
#include "src/replay/engine.h"

namespace goalloc::replay {

void AllocationFailed(CheckLog& log, const ReplayEvent& e) {
  log.Fatal(fmt::format("{} of {} bytes failed", trace::OpName(e.op), e.size));
}

void CheckCalloc(CheckLog& log, const ReplayEvent& e, const void* p) {
  if (!ReadsZero(p, e.size)) {
    log.Fail(fmt::format("calloc of {} bytes (object {}) returned memory that is not zero", e.size,
                         e.begins));
  }
}

void CheckAligned(CheckLog& log, const ReplayEvent& e, const void* p) {
  if ((reinterpret_cast<uintptr_t>(p) & (e.aux - 1)) != 0) {
    log.Fail(
        fmt::format("aligned_alloc({}, {}) returned {} (object {})", e.aux, e.size, p, e.begins));
  }
}

void CheckRealloc(CheckLog& log, const ReplayEvent& e, const void* p) {
  if (!HoldsPattern(p, e.aux, std::min(e.aux, e.size), e.ends)) {
    log.Fail(fmt::format("realloc of object {} from {} to {} bytes lost its contents", e.ends,
                         e.aux, e.size));
  }
}

void CheckFree(CheckLog& log, const ReplayEvent& e, const void* p) {
  if (!HoldsPattern(p, e.size, e.size, e.ends)) {
    log.Fail(fmt::format("object {} ({} bytes) was overwritten while live", e.ends, e.size));
  }
}

}  // namespace goalloc::replay
