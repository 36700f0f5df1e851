// The table's construction, and the slow path of waiting for a cross-thread allocation (see
// pointer_table.h): spin briefly, then yield, then sleep in short naps. The publisher never
// notifies (that would cost every allocation a syscall or a shared write); the machine may run more
// replay threads than it has cores, so waiting must give the CPU away quickly.
#include "src/replay/pointer_table.h"

#include <sched.h>
#include <time.h>

namespace goalloc::replay {

PointerTable::PointerTable(uint64_t slots) : slots_(slots) {}

void* PointerTable::AwaitSlow(const std::atomic<void*>& slot) {
  // Few spins: on git-grep's trace (5 threads, 2 cores) nearly every wait that outlasted 16
  // spins also outlasted 128, because its producer was not running; a yield lets it run.
  constexpr int kSpins = 16, kYields = 64;
  for (int i = 0;; ++i) {
    void* p = slot.load(std::memory_order_acquire);
    if (p != nullptr) return p;
    if (i < kSpins) {
      CpuRelax();
    } else if (i < kSpins + kYields) {
      sched_yield();
    } else {
      timespec nap{0, 20'000};  // 20 µs
      nanosleep(&nap, nullptr);
    }
  }
}

}  // namespace goalloc::replay
