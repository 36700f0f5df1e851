// The contended path of InstrumentedMutex: time the wait on a monotonic clock.
#include "src/alloc/instrumented_mutex.h"

#include <algorithm>
#include <chrono>

namespace goalloc::alloc {

void InstrumentedMutex::LockSlow() {
  auto start = std::chrono::steady_clock::now();
  mu_.lock();
  uint64_t waited = uint64_t(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count());
  acquisitions_++;
  contended_++;
  wait_ns_total_ += waited;
  wait_ns_max_ = std::max(wait_ns_max_, waited);
}

}  // namespace goalloc::alloc
