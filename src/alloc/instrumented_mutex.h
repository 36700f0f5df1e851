// The allocator's only kind of lock: a mutex that counts its acquisitions, the contended
// ones (the first try_lock failed), and the total and maximum wait in nanoseconds. The
// counters are written only by the holder, so they need no atomics; they are read when no
// other thread is inside the heap (the stop-the-world contract of heap.h).
// It is a capability of clang's thread-safety analysis (thread_annotations.h): fields say
// GUARDED_BY the mutex that guards them, and functions that need it say REQUIRES.
#pragma once

#include <cstdint>
#include <mutex>

#include "src/alloc/thread_annotations.h"

namespace goalloc::alloc {

class CAPABILITY("mutex") InstrumentedMutex {
 public:
  void lock() ACQUIRE() {
    if (mu_.try_lock()) {
      acquisitions_++;
      return;
    }
    LockSlow();
  }
  void unlock() RELEASE() { mu_.unlock(); }

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

// Holds an InstrumentedMutex for its scope (std::lock_guard, visible to the analysis).
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(InstrumentedMutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.lock(); }
  ~MutexLock() RELEASE() { mu_.unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  InstrumentedMutex& mu_;
};

}  // namespace goalloc::alloc
