// The parallel engine's stop-the-world at sample points (as Go's ReadMemStats stops the
// world). Replay thread r must not run its local event pause_before[r][p] before point p is
// taken, and point p can be taken once every thread has *arrived* at it: done all its events
// up to the point's index. Then no thread has run past the point either, so the allocator's
// state is exactly the state after that event, and the thread that completes the arrivals
// takes the snapshot.
//
// Unlike a counting barrier, arrival is published as a count of points: a thread with no
// events until a later point arrives at all of them at once and stays parked, and a thread
// that has finished arrives at every point and leaves. A pause therefore involves only the
// threads that have events around it; with more replay threads than cores, the others are
// not woken for it (each wake-up is a context switch). Threads are woken only when the
// point they wait for is taken.
//
// Correctness of the hand-off: arrivals, `taken_` and `claimed_` are sequentially
// consistent. A thread that arrives while another is taking a snapshot (claimed_ != taken_)
// leaves the next point to it: the taker re-checks the arrivals after publishing `taken_`,
// and the late thread's arrival precedes its own read of `taken_`, which saw the old value.
#pragma once

#include <atomic>
#include <cstdint>

#include "src/replay/huge_page_allocator.h"

namespace goalloc::replay {

class SampleGate {
 public:
  SampleGate(uint32_t threads, uint64_t points);

  // Thread r has arrived at points [0, arrived). Takes, in order, every point that all
  // threads have now arrived at and that nobody else is taking, calling take(p) for each.
  template <class F>
  void Arrive(uint32_t r, uint64_t arrived, F&& take) {
    threads_[r].arrived.store(arrived);
    for (;;) {
      uint64_t p = taken_.load();
      if (p >= points_ || claimed_.load() != p || !AllArrivedAt(p)) return;
      if (!claimed_.compare_exchange_strong(p, p + 1)) return;  // another thread takes it
      take(p);
      taken_.store(p + 1);
      WakeReleased(p + 1);
    }
  }

  // Waits until points [0, arrived) are taken.
  void Wait(uint32_t r, uint64_t arrived);

  uint64_t taken() const { return taken_.load(); }

 private:
  struct alignas(64) Thread {
    std::atomic<uint64_t> arrived{0};
    std::atomic<uint64_t> wake{0};  // bumped when the points it waits for are taken
  };

  bool AllArrivedAt(uint64_t p) const;
  // Wakes the threads waiting for exactly `taken` points.
  void WakeReleased(uint64_t taken);

  const uint32_t count_;
  const uint64_t points_;
  HugeVector<Thread> threads_;  // mapped, out of the heap under test
  alignas(64) std::atomic<uint64_t> taken_{0};
  std::atomic<uint64_t> claimed_{0};
};

}  // namespace goalloc::replay
