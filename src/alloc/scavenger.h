// The scavenger's policy (Go's mgcscavenge.go, made deterministic). Go's background
// scavenger works towards a goal set at each GC: retained (heapInUse + heapFree) at most
// 1.1 × heapInUse at that GC. This heap has explicit frees and no GC, so a "cycle" is an
// allocation budget, as Go's pacer would give it: max(cycle_min_bytes, gc_percent / 100 ×
// inuse) bytes of span allocation. At a cycle's end the scavenger releases free pages
// until retained ≤ (1 + retain_ratio) × the cycle's peak inuse. The peak stands in for
// Go's heapInUse at GC time, which is the cycle's high-water mark because Go frees only
// when it sweeps; comparing against the current inuse instead would release memory that
// a program freeing and reallocating within a cycle immediately faults back in, which Go
// does not do. The mechanism (MHeap::MaybeScavenge
// with PageAlloc::TakeScavengeRun/ReturnScavenged, scavenger.cc): free, unscavenged pages,
// highest addresses first, in runs of up to 64 pages taken under the mheap lock, released
// with MADV_DONTNEED outside it, and returned free with their scavenged bits set; reusing
// such a page clears its bit and moves its bytes from released back to in use.
#pragma once

#include <cstdint>

#include "src/alloc/heap.h"

namespace goalloc::alloc {

// Bytes the scavenger should release at the end of a cycle whose peak inuse was
// `peak_inuse`, with `retained` = sys − released now.
uint64_t ScavengeGoal(const HeapConfig& config, uint64_t peak_inuse, uint64_t retained);

// Span-allocation bytes the cycle that starts with `inuse` bytes in use lasts.
uint64_t CycleBudget(const HeapConfig& config, uint64_t inuse);

}  // namespace goalloc::alloc
