// The allocator's only kind of lock: a mutex that counts its acquisitions, the contended
// ones (the first try_lock failed), and the total and maximum wait in nanoseconds. The
// counters are written only by the holder, so they need no atomics; they are read when no
// other thread is inside the heap (the stop-the-world contract of heap.h).
#pragma once

#include <cstdint>
#include <mutex>

namespace goalloc::alloc {

class InstrumentedMutex {
 public:
  void lock() {
    if (mu_.try_lock()) {
      acquisitions_++;
      return;
    }
    LockSlow();
  }
  void unlock() { mu_.unlock(); }

  uint64_t acquisitions() const { return acquisitions_; }
  uint64_t contended() const { return contended_; }
  uint64_t wait_ns_total() const { return wait_ns_total_; }
  uint64_t wait_ns_max() const { return wait_ns_max_; }

 private:
  void LockSlow();

  std::mutex mu_;
  uint64_t acquisitions_ = 0;
  uint64_t contended_ = 0;
  uint64_t wait_ns_total_ = 0;
  uint64_t wait_ns_max_ = 0;
};

}  // namespace goalloc::alloc
