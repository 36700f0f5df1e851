// The scavenger: policy (ScavengeGoal) and mechanism (PageAlloc::Scavenge).
#include "src/alloc/scavenger.h"

#include <algorithm>

#include "src/alloc/os_mem.h"
#include "src/alloc/pagealloc.h"

namespace goalloc::alloc {

uint64_t ScavengeGoal(const HeapConfig& config, uint64_t inuse, uint64_t idle) {
  uint64_t bound = std::max(config.retain_min_bytes, uint64_t(config.retain_ratio * double(inuse)));
  return idle > bound ? idle - bound : 0;
}

uintptr_t PageAlloc::Scavenge(uintptr_t bytes) {
  uintptr_t goal = (bytes + kPageSize - 1) / kPageSize;
  uintptr_t done = 0;
  const auto& arenas = index_->arenas();
  for (auto it = arenas.rbegin(); it != arenas.rend() && done < goal; ++it) {
    HeapArena* a = *it;
    for (uint32_t ci = a->mapped_chunks; ci-- > 0 && done < goal;) {
      for (uint32_t w = kChunkWords; w-- > 0 && done < goal;) {
        uint64_t cand = ~a->alloc[ci][w] & ~a->scav[ci][w];
        while (cand != 0 && done < goal) {
          uint32_t hi = 63 - uint32_t(__builtin_clzll(cand));
          uint32_t lo = hi;
          while (lo > 0 && ((cand >> (lo - 1)) & 1) && hi - lo + 1 < goal - done) lo--;
          uint32_t n = hi - lo + 1;
          uint64_t mask = (n == 64 ? ~uint64_t{0} : ((uint64_t{1} << n) - 1)) << lo;
          SysUnused(a->ChunkBase(ci) + (uintptr_t(w) * 64 + lo) * kPageSize, n * kPageSize);
          a->scav[ci][w] |= mask;
          cand &= ~mask;
          done += n;
        }
      }
    }
  }
  return done * kPageSize;
}

}  // namespace goalloc::alloc
