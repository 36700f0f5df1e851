// The scavenger's policy (Go's mgcscavenge.go, made deterministic). Go's background
// scavenger works towards a goal set at each GC: retained (heapInUse + heapFree) at most
// 1.1 × lastHeapInUse × heapGoal / lastHeapGoal. Go frees only when it sweeps, so its heap
// grows to the goal in every cycle and lastHeapInUse ≈ lastHeapGoal: the goal is about
// 1.1 × the heap goal. This heap has explicit frees and no GC, so a "cycle" is the
// allocation budget Go's pacer would give, max(cycle_min_bytes, gc_percent / 100 × inuse)
// bytes of span allocation, and the heap goal is inuse + that budget; at a cycle's end the
// scavenger releases free pages until retained ≤ (1 + retain_ratio) × the next heap goal.
// (Bounding retained memory by the current inuse instead released memory that a program
// freeing and reallocating faults straight back in, which Go does not do.) The mechanism
// (MHeap::MaybeScavenge with PageAlloc::TakeScavengeRun/ReturnScavenged, scavenger.cc): free,
// unscavenged pages, highest addresses first, in runs of up to 64 pages taken under the mheap lock,
// released with MADV_DONTNEED outside it, and returned free with their scavenged bits set; reusing
// such a page clears its bit and moves its bytes from released back to in use.
#pragma once

#include <cstdint>

#include "src/alloc/heap.h"

namespace goalloc::alloc {

// Span-allocation bytes the cycle that starts with `inuse` bytes in use lasts.
uint64_t CycleBudget(const HeapConfig& config, uint64_t inuse);

// Bytes the scavenger should release at the end of a cycle, with `inuse` bytes in use and
// `retained` = sys − released: retained above (1 + retain_ratio) × the next heap goal.
uint64_t ScavengeGoal(const HeapConfig& config, uint64_t inuse, uint64_t retained);

}  // namespace goalloc::alloc
