// The heap that serves the dynamic loader while the recorder looks up the real allocator.
//
// dlsym(RTLD_NEXT, "malloc") may itself allocate (dlerror state, symbol-version tables),
// and those calls arrive at our malloc before the real one is known. They are served from
// a small static buffer by bumping a pointer; the blocks are never reused, never passed to
// the real free (free ignores them) and never recorded, since the program never made them.
#pragma once

#include <cstddef>

namespace goalloc::record {

// Returns `size` bytes aligned to `align` (a power of two), zeroed, or null when the static
// buffer is exhausted. Thread-safe.
void* BootstrapAlloc(size_t size, size_t align);

// Whether `p` points into the static buffer.
bool IsBootstrapBlock(const void* p);

// The size requested for a block that IsBootstrapBlock (needed to move it on realloc).
size_t BootstrapBlockSize(const void* p);

}  // namespace goalloc::record
