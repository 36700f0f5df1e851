// The scavenger's policy (Go's mgcscavenge.go, made deterministic): it runs after every
// `scavenge_period_bytes` of span allocation (allocation volume, not wall time, so `sim`
// replays repeat exactly) and releases idle pages above the retention bound
// max(retain_min_bytes, retain_ratio × inuse) -- Go's "retained ≤ 1.1 × in-use" goal with
// the GC cycle replaced by an allocation-volume tick. The mechanism (MHeap::MaybeScavenge
// with PageAlloc::TakeScavengeRun/ReturnScavenged, scavenger.cc): free, unscavenged pages,
// highest addresses first, in runs of up to 64 pages taken under the mheap lock, released
// with MADV_DONTNEED outside it, and returned free with their scavenged bits set; reusing
// such a page clears its bit and moves its bytes from released back to in use.
#pragma once

#include <cstdint>

#include "src/alloc/heap.h"

namespace goalloc::alloc {

// Bytes the scavenger should release now.
uint64_t ScavengeGoal(const HeapConfig& config, uint64_t inuse, uint64_t idle);

}  // namespace goalloc::alloc
