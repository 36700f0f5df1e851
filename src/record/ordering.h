// The ordering protocol: where each heap call takes its place in the log's global order,
// so that the order written is one in which the calls really happened with respect to
// address reuse - when an address is freed on one thread and returned by an allocation on
// another, the free comes first.
//
// - An allocation takes its sequence number after the real call returned, a free before
//   the real call began. Reuse of an address needs the free to have started before the
//   allocation returned, so free-then-allocate is always the order logged.
// - realloc both ends an object (it may free the old block inside the real call) and
//   begins one (the new block, which another thread may just have freed). Stamped after
//   the call, another thread could be handed the old block and stamp its allocation first;
//   stamped before, the new block could still be awaiting another thread's free. So a
//   realloc that may move holds `g_realloc_lock` across the real call and its stamp, and
//   announces itself in `g_reallocs_in_flight` before; an allocation that sees a realloc
//   in flight stamps under that lock, i.e. after the realloc. Frees need no lock, and
//   without a concurrent realloc an allocation costs one extra relaxed-cost load.
#pragma once

#include <cstddef>

#include "src/trace/event.h"

namespace goalloc::record {

// An allocation (malloc, calloc, aligned_alloc) that returned `p`; call after the real call.
void LogAllocation(trace::Op op, void* p, size_t size, size_t align);

// free(p) of a non-null p; call before the real free.
void LogFree(void* p);

// realloc(p, size) of a non-null p through `real_realloc`, logged as realloc, or as free
// when size is 0 and the block was freed (NULL returned); a failed call is not logged.
void* LoggedRealloc(void* (*real_realloc)(void*, size_t), void* p, size_t size);

}  // namespace goalloc::record
