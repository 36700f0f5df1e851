// Go 1.19's size-class rules, which the go-runtime backend runs on, as far as they differ
// from the model's (Go 1.22 and later, src/alloc/sizeclasses.h): no 8-byte header for scan
// objects over 512 B and a small-object limit of 32768 B (reference/go-allocator-facts.md
// §12). From them: which span classes a trace uses (for --seal) and the heap a final GC
// must leave (HeapAlloc = the class-size sum of the live objects, tiny blocks as blocks).
#pragma once

#include <cstdint>
#include <vector>

#include "src/replay/prepared_trace.h"

namespace goalloc::replay {

// How Go 1.19 allocates an object of `size` requested bytes.
struct Go119Object {
  enum Kind { kZero, kTiny, kSmall, kLarge } kind = kZero;
  int size_class = 0;  // kSmall; kTiny objects share 16-byte blocks of class 2 noscan
  uint64_t bytes = 0;  // what it adds to HeapAlloc: class size or whole pages (0: tiny, zero)
};
Go119Object ClassifyGo119(uint64_t size, bool scan);

// A span class a trace's objects use (tiny objects use class 2 noscan).
struct UsedSpanClass {
  uint32_t object_size = 0;
  bool scan = false;
};
std::vector<UsedSpanClass> UsedSpanClasses(const PreparedTrace& trace);

// Bytes HeapAlloc counts for the objects live at the end: every small object's class size,
// every large object's pages, and `live_tiny_blocks` × 16.
uint64_t PredictedLiveHeapAlloc(const PreparedTrace& trace, uint64_t live_tiny_blocks);

}  // namespace goalloc::replay
