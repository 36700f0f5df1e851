// The parallel engine's sample-point gate (see sample_gate.h).
#include "src/replay/sample_gate.h"

#include <thread>

#include "src/replay/pointer_table.h"

namespace goalloc::replay {

SampleGate::SampleGate(uint32_t threads, uint64_t points)
    : count_(threads), points_(points), threads_(threads) {}

bool SampleGate::AllArrivedAt(uint64_t p) const {
  for (uint32_t r = 0; r < count_; ++r) {
    if (threads_[r].arrived.load() <= p) return false;
  }
  return true;
}

void SampleGate::WakeReleased(uint64_t taken) {
  for (uint32_t r = 0; r < count_; ++r) {
    Thread& t = threads_[r];
    if (t.arrived.load() != taken) continue;
    t.wake.fetch_add(1);
    t.wake.notify_one();
  }
}

void SampleGate::Wait(uint32_t r, uint64_t arrived) {
  Thread& t = threads_[r];
  // Spin briefly (the taker is usually close), then yield a few times: with more replay
  // threads than cores, a thread this one waits for may be queued on this CPU, and a yield
  // hands it the CPU without the cost of a sleep and a wake-up. Then sleep until woken: when
  // the threads still to arrive are queued on the other CPU, a thread that kept yielding kept
  // its own CPU busy for nothing (0.8 µs of CPU per yield on this VM), and only an idle CPU
  // pulls a queued thread over. With 8 yields instead of 1000, go's parallel replays at
  // --timeline 1000 (4-5 threads on 2 cores) took 20-34 % less CPU and as much wall time.
  constexpr int kSpins = 64, kYields = 8;
  for (int i = 0; i < kSpins + kYields; ++i) {
    if (taken_.load() >= arrived) return;
    if (i < kSpins) {
      CpuRelax();
    } else {
      std::this_thread::yield();
    }
  }
  for (;;) {
    const uint64_t w = t.wake.load();
    if (taken_.load() >= arrived) return;
    t.wake.wait(w);
  }
}

}  // namespace goalloc::replay
