// Generated event streams for the replay's tests and benchmarks, each with a fixed seed:
// a cross-thread producer/consumer pattern, a thread-local pattern (for scaling), and a
// random mix of every op across threads. Ids are recorder-like (reused after free).
#pragma once

#include <cstdint>
#include <vector>

#include "src/trace/event.h"

namespace goalloc::replay {

// Thread 0 allocates `objects` objects; threads 1..threads-1 take turns freeing them (some
// through realloc first), a little behind the producer, so nearly every free is cross-thread.
std::vector<trace::Event> ProducerConsumerTrace(uint32_t threads, uint64_t objects, uint64_t seed);

// Every thread allocates and frees its own objects (a window of `window` live objects per
// thread), interleaved round-robin: no cross-thread frees.
std::vector<trace::Event> ThreadLocalTrace(uint32_t threads, uint64_t events_per_thread,
                                           uint64_t window, uint64_t seed);

// Every op (malloc, calloc, aligned_alloc, realloc, free), sizes from 0 to ~1 MiB, scan and
// noscan, frees from any thread.
std::vector<trace::Event> MixedTrace(uint32_t threads, uint64_t events, uint64_t seed);

}  // namespace goalloc::replay
